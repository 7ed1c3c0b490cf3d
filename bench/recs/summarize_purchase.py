#!/usr/bin/env python3
"""Table of a purchase.sh JSON-lines file: every algorithm's row per dataset, with nDCG@10 relative to most-popular."""
import json, sys

rows = [json.loads(line) for line in open(sys.argv[1])]
for ds in dict.fromkeys(r["dataset"] for r in rows):
    part = [r for r in rows if r["dataset"] == ds]
    pop = next((r for r in part if r.get("algo") == "pop" and "ndcg" in r), None)
    first = next((r for r in part if "ndcg" in r), {})
    print(f"\n{ds}: {first.get('users', '?')} users x {first.get('items', '?')} items, train {first.get('train_interactions', '?')} / "
          f"test {first.get('test_interactions', '?')} user-item pairs, {first.get('evaluated_users', '?')} users scored, "
          f"{first.get('cold_users_skipped', '?')} new users skipped, cut-off {first.get('cutoff', '?')}")
    print("| algorithm | nDCG@10 | P@10 | R@10 | MAP@10 | hit rate | coverage | nDCG vs pop | fit s | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in part:
        if "ndcg" not in r:
            print(f"| {r.get('algo')} | error: {r.get('error', 'no result')} | | | | | | | | {r.get('load')} |")
            continue
        rel = f"{r['ndcg'] / pop['ndcg']:.2f}x" if pop and pop["ndcg"] > 0 else ""
        print(f"| {r['algo']} | {r['ndcg']:.4f} | {r['precision']:.4f} | {r['recall']:.4f} | {r['map']:.4f} | {r['hit_rate']:.3f} | "
              f"{r['coverage']:.3f} | {rel} | {r['fit_seconds']:.2f} | {r['load']} |")
