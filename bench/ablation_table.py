#!/usr/bin/env python3
"""The table of docs/learning.md from the lines bench/ablation.sh appends to WORK/ablation.tsv: per row, the seeds,
the mean test F2, its spread (max - min) and standard deviation, the mean validation F2 and the training images/s.
Usage: bench/ablation_table.py WORK/ablation.tsv (the last line of a row and seed counts, so a rerun replaces)."""
import statistics
import sys

rows = {}
for line in open(sys.argv[1]):
    parts = line.rstrip("\n").split("\t")
    if len(parts) < 6:
        continue
    row, seed, test_f2, valid_f2, img_s, seconds = parts[:6]
    rows.setdefault(row, {})[seed] = (float(test_f2), valid_f2, img_s)

print("| row | seeds | test F2 mean | spread | sd | valid F2 mean |")
print("|---|---|---|---|---|---|")
for row, by_seed in rows.items():
    tests = [v[0] for v in by_seed.values()]
    valids = [float(v[1]) for v in by_seed.values() if v[1] != "nan"]
    sd = statistics.stdev(tests) if len(tests) > 1 else float("nan")
    valid = f"{statistics.mean(valids):.4f}" if valids else ""
    print(f"| {row} | {','.join(sorted(by_seed))} | {statistics.mean(tests):.4f} | {max(tests) - min(tests):.4f} "
          f"| {sd:.4f} | {valid} |")
