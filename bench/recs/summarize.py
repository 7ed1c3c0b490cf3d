#!/usr/bin/env python3
"""Mean and spread (sample standard deviation; min..max of fit seconds) per algorithm of a run.sh JSON-lines file."""
import json, statistics, sys
from collections import defaultdict

rows = defaultdict(list)
for line in open(sys.argv[1]):
    d = json.loads(line)
    rows[d["algo"]].append(d)

def ms(values):
    return f"{statistics.mean(values):.4f} ± {statistics.stdev(values) if len(values) > 1 else 0:.4f}"

print("| algorithm | seeds | nDCG@10 | P@10 | R@10 | MAP@10 | coverage | fit s (median, min..max) | load (median) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for algo, runs in rows.items():
    fit = [r["fit_seconds"] for r in runs]
    extra = f" (λ {sorted({r['chosen_lambda'] for r in runs})})" if "chosen_lambda" in runs[0] else ""
    print(f"| {algo}{extra} | {len(runs)} | {ms([r['ndcg'] for r in runs])} | {ms([r['precision'] for r in runs])} | {ms([r['recall'] for r in runs])} | "
          f"{ms([r['map'] for r in runs])} | {statistics.mean(r['coverage'] for r in runs):.3f} | {statistics.median(fit):.3f} ({min(fit):.3f}..{max(fit):.3f}) | "
          f"{statistics.median(float(r.get('load', 'nan')) for r in runs):.1f} |")
