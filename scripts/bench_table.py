#!/usr/bin/env python3
"""Statistics and plain-text tables for scripts/bench.sh.

Reads the raw results.tsv written by bench.sh, one line per run:
    section  program  column  run  microseconds  status
section is "interp" (table 1) or "budget" (table 2); status is ok, error,
timeout or mismatch ("-" microseconds when the run was skipped after a
deterministic failure).  Prints the two tables described in
vm/benches/README.md.
"""
import argparse
import math
import statistics
import sys
from collections import defaultdict

LABEL = {"error": "ERROR", "timeout": "TIMEOUT", "mismatch": "MISMATCH"}


def load(path):
    times = defaultdict(list)  # (section, prog, col) -> [seconds]
    status = {}  # (section, prog, col) -> worst status seen
    rank = {"ok": 0, "mismatch": 1, "timeout": 2, "error": 3}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 6:
                continue
            section, prog, col, _run, usecs, st = parts
            key = (section, prog, col)
            if usecs != "-" and st in ("ok", "mismatch"):
                times[key].append(int(usecs) / 1e6)
            if rank.get(st, 3) >= rank.get(status.get(key, "ok"), 0):
                status[key] = st
    return times, status


def cell(times, status, key):
    """(text, median or None if the run is unusable for ratios)."""
    st = status.get(key)
    if st is None:
        return "-", None
    if st in ("error", "timeout"):
        return LABEL[st], None
    med = statistics.median(times[key]) if times[key] else None
    if med is None:
        return "-", None
    if st == "mismatch":
        return f"{med:.3f}*", None
    return f"{med:.3f}", med


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def render(header, rows, footer, right_from=1):
    widths = [max(len(r[i]) for r in [header] + rows + footer) for i in range(len(header))]

    def fmt(r):
        out = []
        for i, c in enumerate(r):
            if i == len(r) - 1:  # last column (notes): left aligned, no padding
                out.append(c)
            elif i < right_from:
                out.append(c.ljust(widths[i]))
            else:
                out.append(c.rjust(widths[i]))
        return "  ".join(out).rstrip()

    line = "-" * len(fmt([("x" * w) for w in widths[:-1]] + [""]))
    print(fmt(header))
    print(line)
    for r in rows:
        print(fmt(r))
    if footer:
        print(line)
        for r in footer:
            print(fmt(r))


def table_interp(times, status, programs, columns, runs):
    print(f"Table 1: median wall-clock seconds over {runs} run(s); ratio = selenite / lua5.4")
    print()
    header = ["program"] + columns + ["ratio", "notes"]
    rows, ratios = [], []
    for p in programs:
        cells, meds, notes = [], {}, []
        for c in columns:
            text, med = cell(times, status, ("interp", p, c))
            cells.append(text)
            meds[c] = med
            st = status.get(("interp", p, c))
            if st and st != "ok":
                notes.append(f"{c} {LABEL[st]}")
        sel, ref = meds.get("selenite"), meds.get("lua5.4")
        if sel is not None and ref is not None and ref > 0:
            r = sel / ref
            ratios.append(r)
            rtext = f"{r:.2f}x"
        else:
            rtext = "-"
        rows.append([p] + cells + [rtext, ", ".join(notes)])
    g = geomean(ratios)
    footer = [[f"geomean ({len(ratios)}/{len(programs)} ok)"] + [""] * len(columns)
              + [f"{g:.2f}x" if g else "-", ""]]
    render(header, rows, footer)
    print("  * = output differs from lua5.4 (excluded from the geometric mean)")


def table_budget(times, status, programs, budget, runs):
    print(f"Table 2: selenite --budget {budget} vs without; median seconds over {runs} run(s);"
          f" overhead = budget / plain")
    print()
    header = ["program", "plain", f"budget {budget}", "overhead", "notes"]
    rows, ratios = [], []
    for p in programs:
        notes = []
        texts, meds = [], []
        for c in ("plain", "budget"):
            text, med = cell(times, status, ("budget", p, c))
            texts.append(text)
            meds.append(med)
            st = status.get(("budget", p, c))
            if st and st != "ok":
                notes.append(f"{c} {LABEL[st]}")
        if meds[0] is not None and meds[1] is not None and meds[0] > 0:
            r = meds[1] / meds[0]
            ratios.append(r)
            rtext = f"{r:.2f}x"
        else:
            rtext = "-"
        rows.append([p] + texts + [rtext, ", ".join(notes)])
    g = geomean(ratios)
    footer = [[f"geomean ({len(ratios)}/{len(programs)} ok)", "", "", f"{g:.2f}x" if g else "-", ""]]
    render(header, rows, footer)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--budget", default="10000")
    ap.add_argument("--columns", nargs="+", required=True)
    ap.add_argument("--programs", nargs="+", required=True)
    a = ap.parse_args()
    times, status = load(a.results)
    table_interp(times, status, a.programs, a.columns, a.runs)
    if a.budget != "0":
        print()
        table_budget(times, status, a.programs, a.budget, a.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
