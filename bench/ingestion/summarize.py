#!/usr/bin/env python3
"""Summarizes bench/out/ingestion_results.jsonl: medians per case and median of per-run ratios to DuckDB read_csv."""
import json, statistics, sys
from collections import defaultdict

runs = [json.loads(line) for line in open(sys.argv[1])]
by = defaultdict(dict)
for r in runs:
    file = r["command"].split()[2] if r["mode"] == "import" else r["command"].split()[1]
    by[file].setdefault(r["mode"], []).append(r)
print("| file | rows | ours: median s | ours: rows/s | ours: peak RSS MB | DuckDB read_csv: median s | time ratio ours/DuckDB (median of pairs) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for file, modes in by.items():
    ours, ref = modes["import"], modes["read-csv"]
    ratios = [a["seconds"] / b["seconds"] for a, b in zip(ours, ref)]
    med = statistics.median(a["seconds"] for a in ours)
    print(f"| {file.split('/')[-1]} | {ours[0]['rows']:,} | {med:.2f} | {ours[0]['rows'] / med:,.0f} | "
          f"{statistics.median(a['peak_rss_mb'] for a in ours):.0f} | {statistics.median(b['seconds'] for b in ref):.2f} | {statistics.median(ratios):.2f} |")
