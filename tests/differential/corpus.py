"""The statements under test: PostgreSQL's regression suite, cut into
statements by libpg_query.

The suite ships inside the source distribution of pglast (in its copy of
libpg_query), so it is fetched with pip into a cache and never committed.
"""

import re
import subprocess
import sys
import tarfile
from pathlib import Path

REGRESS_DIR = "libpg_query/test/sql/postgres_regress/"

# psql commands that end the statement written before them on the same line.
INLINE_META = re.compile(
    r"\s\\(g|gx|gset|gexec|gdesc|bind|bind_named|crosstabview|parse"
    r"|sendpipeline|syncpipeline|close_prepared|watch)\b.*$"
)
COPY_FROM_STDIN = re.compile(r"\bfrom\s+stdin\b.*;\s*$", re.IGNORECASE)

# How many scanner pieces may be joined back into one statement, for
# bodies such as BEGIN ATOMIC ... END that hold semicolons of their own.
MAX_JOIN = 40


def fetch_suite(version, cache):
    """Download pglast's sdist once and extract the regression SQL files."""
    suite = cache / f"postgres_regress-{version}"
    if suite.is_dir() and any(suite.glob("*.sql")):
        return suite
    sdist = download_sdist(version, cache)
    extract_regress(sdist, suite)
    return suite


def download_sdist(version, cache):
    name = f"pglast-{version}.tar.gz"
    if not (cache / name).is_file():
        # Only pglast itself from source: its build requirements may come
        # as wheels, which keeps the metadata step to seconds.
        cmd = [sys.executable, "-m", "pip", "download", "--quiet",
               "--disable-pip-version-check",
               "--no-deps", "--no-binary", "pglast", f"pglast=={version}",
               "-d", str(cache)]
        subprocess.run(cmd, check=True)
    return cache / name


def extract_regress(sdist, suite):
    part = suite.with_suffix(".part")
    part.mkdir(parents=True, exist_ok=True)
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            inner = member.name.split("/", 1)[-1]
            if inner.startswith(REGRESS_DIR) and inner.endswith(".sql"):
                data = tar.extractfile(member).read()
                (part / Path(inner).name).write_bytes(data)
    part.rename(suite)


def read_sql(path):
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def strip_psql(text):
    """Replace psql's own commands and COPY data by statement breaks.

    Each removed line becomes a lone semicolon, so that a statement ended
    by a command such as \\gset stays apart from the next one.
    """
    out, in_copy_data = [], False
    for line in text.split("\n"):
        if in_copy_data:
            in_copy_data = line.strip() != "\\."
            out.append("")
        elif line.lstrip().startswith("\\"):
            out.append(";")
        else:
            out.append(INLINE_META.sub(";", line))
            in_copy_data = bool(COPY_FROM_STDIN.search(line))
    return "\n".join(out)


def statements(text, parser):
    """Statements of a script that libpg_query accepts, in order.

    The scanner cuts at every top-level semicolon; a piece that does not
    parse is joined with the following ones until one statement results.
    Pieces that never parse are dropped, and counted.
    """
    try:
        pieces = list(parser.split(text, with_parser=False))
    except Exception:  # the scanner gave up on this file: keep nothing
        return [], 1
    good, rejected, i = [], 0, 0
    while i < len(pieces):
        taken = join_pieces(pieces, i, parser)
        if taken:
            good.append(";".join(pieces[i:i + taken]))
            i += taken
        else:
            rejected += 1
            i += 1
    return good, rejected


def join_pieces(pieces, start, parser):
    """How many pieces from start make one parsable statement, or 0."""
    for n in range(1, min(MAX_JOIN, len(pieces) - start) + 1):
        try:
            parsed = parser.parse_sql(";".join(pieces[start:start + n]))
        except Exception:
            continue
        return n if len(parsed) == 1 else 0
    return 0


def load(suite, parser, pattern="*"):
    """(file name, statement) pairs of the files matching the glob pattern,
    and how many pieces of them libpg_query rejected."""
    found, rejected = [], 0
    for path in sorted(suite.glob(pattern)):
        if path.suffix != ".sql":
            continue
        good, bad = statements(strip_psql(read_sql(path)), parser)
        found += [(path.name, sql) for sql in good]
        rejected += bad
    return found, rejected
