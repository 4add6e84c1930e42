"""Differential check of pgqualify against PostgreSQL's own parser.

The law: for every statement of PostgreSQL's regression suite that
pgqualify accepts, libpg_query parses the output, and the output's tree
equals the input's tree with the schema set on exactly those relation
references that PostgreSQL resolves through search_path (see rules.py),
positions aside. The output must also be the input with nothing but the
schema prefix inserted.

The suite and libpg_query both come from the pinned pglast release,
fetched with pip into target/differential on first use. The statements go
through one process of the qualify_batch example; build it first:

    cargo build --release --example qualify_batch
    python3 tests/differential/check.py [--schema NAME] [--by-kind]

Exits 0 when every accepted statement obeys the law, 1 on a mismatch or a
driver failure, 2 when the check itself cannot run.
"""

import argparse
import collections
import importlib
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # keep the source tree clean

import cases  # noqa: E402
import corpus  # noqa: E402
import rules  # noqa: E402
import trees  # noqa: E402

PGLAST_VERSION = "8.8"  # libpg_query and the regression suite of PG 18
STALL_SECONDS = 60  # a driver silent this long is taken to hang
MAX_CRASHES = 20  # past this the driver itself is broken: stop


@dataclass
class Finding:
    """A statement the check has something to say about."""

    file: str
    sql: str
    kind: str  # the statement's node type, as libpg_query names it
    objects: str = ""  # for DDL, the kind of object it acts on
    output: str = ""
    what: str = ""
    diff: tuple = ()  # (path, wanted, got) for a tree difference


@dataclass
class Outcome:
    mismatches: list = field(default_factory=list)
    refusals: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    kinds: collections.Counter = field(default_factory=collections.Counter)


def main():
    args = parse_args()
    cache = target_dir() / "differential"
    cache.mkdir(parents=True, exist_ok=True)
    try:
        parser = load_pglast(cache)
        suite = corpus.fetch_suite(PGLAST_VERSION, cache)
    except (OSError, subprocess.CalledProcessError) as error:
        fail(f"cannot set up pglast {PGLAST_VERSION}: {error}")
    refuse_on_bad_rules(parser)

    statements, rejected = corpus.load(suite, parser, args.files)
    if not statements:
        fail(f"no statements in files matching {args.files!r}")
    sqls = [sql for _, sql in statements]
    results = run_driver(args.driver, args.schema, sqls)

    outcome = judge(parser, args.schema, statements, results)
    figures(args, len(statements) + rejected, outcome)
    save(cache, args.schema, outcome)
    if args.by_kind:
        by_kind(outcome)
    else:
        listing(outcome.mismatches + outcome.failures, args.list)
    return 1 if outcome.mismatches or outcome.failures else 0


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schema", default='Pg Q"s',
                    help="schema to qualify with (default: %(default)s)")
    ap.add_argument("--driver", type=Path,
                    default=target_dir() / "release/examples/qualify_batch")
    ap.add_argument("--files", default="*",
                    help="only regression files matching this glob")
    ap.add_argument("--list", type=int, default=20,
                    help="mismatches to print (all go to the file)")
    ap.add_argument("--by-kind", action="store_true",
                    help="group mismatches and refusals by statement kind")
    return ap.parse_args()


def target_dir():
    return Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


# -- setup ------------------------------------------------------------------


def load_pglast(cache):
    """Import pglast, installing the pinned wheel under the cache first."""
    site = cache / f"site-py{sys.version_info[0]}{sys.version_info[1]}"
    if not (site / f"pglast-{PGLAST_VERSION}.dist-info").is_dir():
        cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--upgrade",
               "--no-deps", "--only-binary", "pglast", "--target", str(site),
               "--root-user-action=ignore", "--disable-pip-version-check",
               f"pglast=={PGLAST_VERSION}"]
        subprocess.run(cmd, check=True)
    sys.path.insert(0, str(site))
    return importlib.import_module("pglast.parser")


def refuse_on_bad_rules(parser):
    wrong = list(cases.failures(parser, rules.qualified, trees.parse))
    for given, why in wrong:
        print(f"rule case: {why}: {given}", file=sys.stderr)
    if wrong:
        fail("the rules disagree with their own cases")


def fail(message):
    """Stop: the check itself cannot run."""
    print(f"differential check: {message}", file=sys.stderr)
    sys.exit(2)


# -- the driver -------------------------------------------------------------


def run_driver(driver, schema, sqls):
    """(tag, text) per statement, from as few driver processes as possible.

    A statement on which the driver dies or hangs gets tag CRASH, and a
    fresh driver goes on with the next one.
    """
    if not os.access(driver, os.X_OK):
        fail(f"no driver at {driver}: build it with "
             "cargo build --release --example qualify_batch")
    results, crashes = [], 0
    while len(results) < len(sqls):
        got, trouble = run_once(driver, schema, sqls[len(results):])
        results += got
        if trouble:
            results.append(("CRASH", trouble))
            crashes += 1
        if crashes > MAX_CRASHES:
            fail(f"the driver failed {crashes} times; last: {trouble}")
    return results


def run_once(driver, schema, sqls):
    proc = subprocess.Popen([str(driver), schema], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    feed = b"".join(sql.encode() + b"\0" for sql in sqls)
    threading.Thread(target=write_all, args=(proc.stdin, feed),
                     daemon=True).start()
    errors = []
    threading.Thread(target=lambda: errors.append(proc.stderr.read()),
                     daemon=True).start()
    records, stalled = read_records(proc, len(sqls))
    proc.wait()
    if len(records) == len(sqls):
        return records, None
    if stalled:
        return records, f"no answer within {STALL_SECONDS} s"
    stderr = (errors[0] if errors else b"").decode(errors="replace")
    return records, f"driver exited with {proc.returncode}: {stderr[-300:]}"


def write_all(pipe, data):
    try:
        pipe.write(data)
        pipe.close()
    except BrokenPipeError:
        pass


def read_records(proc, expected):
    """Read NUL-separated (tag, text) pairs; kill the driver if it stalls."""
    fields, pending, last = [], [b""], [time.monotonic()]

    def reader():
        while chunk := proc.stdout.read1(1 << 16):
            *done, pending[0] = (pending[0] + chunk).split(b"\0")
            fields.extend(done)
            last[0] = time.monotonic()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    stalled = False
    while thread.is_alive():
        thread.join(timeout=1)
        if thread.is_alive() and time.monotonic() - last[0] > STALL_SECONDS:
            stalled = True
            proc.kill()
    pairs = [(fields[i].decode(errors="replace"),
              fields[i + 1].decode(errors="replace"))
             for i in range(0, len(fields) - 1, 2)]
    return pairs[:expected], stalled


# -- judging ----------------------------------------------------------------


def judge(parser, schema, statements, results):
    """Sort the driver's answers into mismatches, refusals and failures."""
    out = Outcome()
    for (file, sql), (tag, text) in zip(statements, results):
        tree = trees.parse(parser, sql)
        finding = Finding(file, sql, tree[0]["@"], object_type(tree[0]))
        out.kinds[finding.kind] += 1
        if tag == "OK":
            finding.output = text
            finding.what, finding.diff = verdict(parser, schema, sql, tree,
                                                 text)
            if finding.what:
                out.mismatches.append(finding)
        elif tag == "ERR":
            finding.what = text
            out.refusals.append(finding)
        else:
            finding.what = f"{tag}: {text}"
            out.failures.append(finding)
    return out


def verdict(parser, schema, sql, tree, output):
    """What is wrong with output as a rewrite of sql (whose tree is given),
    and the tree difference if there is one; "" when nothing is."""
    got = trees.parse(parser, output)
    if got is None:
        return "output does not parse", ()
    diff = trees.first_difference(rules.qualified(tree, schema), got)
    if diff:
        return trees.describe(diff), diff
    if not insertions_only(sql, output, schema):
        return "output differs from the input by more than schema prefixes", ()
    return "", ()


def insertions_only(sql, output, schema):
    """Whether output is sql with some schema prefixes inserted."""
    quoted = '"' + schema.replace('"', '""') + '".'
    prefixes = [quoted]
    if re.fullmatch(r"[a-z_][a-z0-9_$]*", schema):
        prefixes.append(schema + ".")
    return any(output.replace(p, "") == sql.replace(p, "") for p in prefixes)


# -- reporting --------------------------------------------------------------


def figures(args, tried, out):
    valid = sum(out.kinds.values())
    accepted = valid - len(out.refusals) - len(out.failures)
    print(f"schema {args.schema!r}, PostgreSQL regression suite of pglast "
          f"{PGLAST_VERSION}, files {args.files!r}")
    rows = [
        ("statements tried", tried),
        ("valid for libpg_query", valid),
        ("accepted by pgqualify", f"{accepted} ({percent(accepted, valid)})"),
        ("matches", accepted - len(out.mismatches)),
        ("mismatches", len(out.mismatches)),
        ("driver failures", len(out.failures)),
    ]
    for label, value in rows:
        print(f"  {label:<24}{value}")


def percent(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def save(cache, schema, out):
    slug = re.sub(r"[^A-Za-z0-9]+", "_", schema).strip("_") or "schema"
    for name, items in [("mismatches", out.mismatches + out.failures),
                        ("refusals", out.refusals)]:
        path = cache / f"{name}-{slug}.txt"
        path.write_text("".join(entry(f) for f in items))
        print(f"  all {name} in {path}")


def entry(f):
    text = f"-- {f.file}: {f.what}\n{f.sql}\n"
    return text + (f"-- pgqualify:\n{f.output}\n\n" if f.output else "\n")


def listing(items, limit):
    for f in items[:limit]:
        print()
        print(entry(f), end="")
    if len(items) > limit:
        print(f"\n... and {len(items) - limit} more")


def by_kind(out):
    """Mismatches per statement kind and per difference, one example each;
    then how many statements of each kind pgqualify refuses."""
    print("\nmismatches by statement kind:")
    kinds = collections.Counter(f.kind for f in out.mismatches)
    for kind, count in kinds.most_common():
        print(f"\n{kind}: {count}")
        groups = collections.defaultdict(list)
        for f in out.mismatches:
            if f.kind == kind:
                groups[group_of(f)].append(f)
        for group, members in sorted(groups.items(), key=lambda g: -len(g[1])):
            print(f"  {len(members):>5}  {group}")
            print(f"         in:  {one_line(members[0].sql)}")
            print(f"         out: {one_line(members[0].output)}")

    print("\nrefused by pgqualify, by statement kind (refused / valid):")
    refused = collections.Counter(f.kind for f in out.refusals)
    for kind, n in refused.most_common():
        print(f"  {kind:<32}{n:>6} / {out.kinds[kind]}")


def group_of(f):
    """Where the trees differ, without list indexes, and which way."""
    if not f.diff:
        return f.what
    path, want, got = f.diff
    steps = trees.dotted(path[1:], with_indexes=False)
    where = f"{shorter(steps)} ({direction(want, got)})"
    return f"{where} [{f.objects}]" if f.objects else where


def shorter(steps):
    """The statement's own field and the last steps to the difference."""
    parts = steps.split(".")
    if len(parts) <= 6:
        return steps
    return ".".join(parts[:2]) + " ... " + ".".join(parts[-4:])


def direction(want, got):
    """Whether a qualification is missing, superfluous, or neither."""
    if isinstance(want, tuple) and isinstance(got, tuple):
        return "not qualified" if len(want) > len(got) else "qualified wrongly"
    if got is None:
        return "not qualified"
    if want is None:
        return "qualified wrongly"
    return "changed"


def object_type(stmt):
    for key in ("objtype", "removeType", "renameType", "objectType"):
        if isinstance(stmt.get(key), dict):
            return stmt[key]["name"]
    return ""


def one_line(text, limit=160):
    """The text on one line, without the comment lines that lead it."""
    lines = text.split("\n")
    while len(lines) > 1 and lines[0].lstrip().startswith("--"):
        lines.pop(0)
    flat = " ".join(" ".join(lines).split())
    return flat if len(flat) <= limit else flat[:limit - 3] + "..."


if __name__ == "__main__":
    sys.exit(main())
