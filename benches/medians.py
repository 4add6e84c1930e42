"""Prints the table of BENCHMARKS.md from one `cargo bench` run.

    cargo bench 2>&1 | tee target/bench.log
    python3 benches/medians.py target/bench.log

Criterion's medians come from target/criterion/*/*/new/estimates.json; the
lines of the `paired` and `cache_memory` benches come from the log.
"""

import glob
import json
import math
import os
import sys


def medians():
    found = {}
    pattern = os.path.join("target", "criterion", "*", "*", "new", "estimates.json")
    for path in glob.glob(pattern):
        parts = path.split(os.sep)
        with open(path) as file:
            found[parts[-4] + "/" + parts[-3]] = json.load(file)["median"]["point_estimate"]
    return found


def exponent(times):
    """Least-squares slope of log(time) over log(size)."""
    xs = [math.log(size) for size in times]
    ys = [math.log(time) for time in times.values()]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    return num / sum((x - mx) ** 2 for x in xs)


def duration(ns):
    for unit, scale in (("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.1f} {unit}"
    return f"{ns:.1f} ns"


def main():
    m = medians()
    log = open(sys.argv[1]).read().splitlines() if len(sys.argv) > 1 else []
    rows = [
        ("auth_query/parse_only", duration(m["auth_query/parse_only"]), ""),
        ("auth_query/qualify", duration(m["auth_query/qualify"]), ""),
        ("qualify / parse_only", f"{m['auth_query/qualify'] / m['auth_query/parse_only']:.3f}", "≤ 1.10"),
        ("auth_query/qualify_cached", duration(m["auth_query/qualify_cached"]), ""),
        ("parse_only / qualify_cached", f"{m['auth_query/parse_only'] / m['auth_query/qualify_cached']:.0f}", "≥ 1000"),
        ("auth_query/qualify_cached_cow", duration(m["auth_query/qualify_cached_cow"]), ""),
        ("auth_query/qualify_static", duration(m["auth_query/qualify_static"]), "ns"),
        ("auth_query/no_match", duration(m["auth_query/no_match"]), ""),
        ("auth_query/memmem_scan", duration(m["auth_query/memmem_scan"]), ""),
        ("no_match / memmem_scan", f"{m['auth_query/no_match'] / m['auth_query/memmem_scan']:.2f}", ""),
        ("auth_query/regex_peer", duration(m["auth_query/regex_peer"]), ""),
    ]
    scaling = {size: m[f"scaling/{size}x"] for size in (1, 10, 100)}
    for size, time in scaling.items():
        rows.append((f"scaling/{size}x", duration(time), ""))
    rows.append(("scaling exponent", f"{exponent(scaling):.3f}", "1 = linear"))
    for name in ("1", "2", "2_distinct", "2_near_twins", "1_scan", "2_scan"):
        rows.append((f"threads/{name}", duration(m[f"threads/{name}"]), "per call, per thread"))
    for line in log:
        if " / " in line and "interleaved" in line:
            name, _, rest = line.partition(": ")
            rows.append((f"{name} (paired)", rest.split(" (")[0], ""))
        elif line.startswith("cache hits per thread"):
            name, _, rest = line.partition(": ")
            rows.append((f"{name} (paired)", rest.split(" (")[0], ""))
        elif line.startswith(("rewritten:", "unchanged:", "one cold rewrite")):
            name, _, rest = line.partition(": ")
            rows.append((f"cache memory, {name}", rest, ""))
    print("| measure | median | target |")
    print("|---|---|---|")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")


main()
