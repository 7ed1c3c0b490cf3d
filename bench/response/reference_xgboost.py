"""xgboost reference for `promopilot response eval --dataset in-vehicle-coupon` on the same 80/20 split.

The split is StratifiedSplit (src/PromoPilot.Models/Response/StratifiedSplit.cs) re-derived here: within each label,
rows ordered by SplitMix64(seed << 32 | row), the first round(n * 0.2) go to the test side. Features: categories
one-hot (empty = its own level), numbers as they are. xgboost: 300 trees, depth 6, hist, learning rate 0.3 (default).

Run: /usr/bin/python3 reference_xgboost.py FILE [--seed 42] [--threads 1]   -> one JSON object
"""
import argparse
import csv
import gzip
import json
import math
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import accuracy_score, brier_score_loss, log_loss, roc_auc_score

M = (1 << 64) - 1


def splitmix(seed, row):
    z = ((seed & 0xFFFFFFFF) << 32 | row) + 0x9E3779B97F4A7C15 & M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


def split(strata, fraction, seed):
    test = set()
    for s in sorted(set(strata)):
        rows = sorted((i for i, v in enumerate(strata) if v == s), key=lambda i: (splitmix(seed, i), i))
        test.update(rows[: int(math.floor(len(rows) * fraction + 0.5))])
    return [i for i in range(len(strata)) if i not in test], sorted(test)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    opener = gzip.open if a.input.endswith(".gz") else open
    with opener(a.input, "rt", newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    y = np.array([int(r[header.index("Y")]) for r in rows])
    cols = []
    for c, name in enumerate(header):
        if name == "Y":
            continue
        values = [r[c].strip() for r in rows]
        try:
            cols.append(np.array([[float(v) if v else np.nan for v in values]]).T)
        except ValueError:
            levels = sorted(set(values))
            cols.append(np.array([[1.0 if v == l else 0.0 for l in levels] for v in values]))
    x = np.hstack(cols)
    train, test = split(list(y), 0.2, a.seed)
    model = xgb.XGBClassifier(n_estimators=300, max_depth=6, tree_method="hist", n_jobs=a.threads, random_state=a.seed)
    start = time.perf_counter()
    model.fit(x[train], y[train])
    fit = time.perf_counter() - start
    p = model.predict_proba(x[test])[:, 1]
    print(json.dumps({
        "model": "xgboost", "auc": roc_auc_score(y[test], p), "logloss": log_loss(y[test], p),
        "brier": brier_score_loss(y[test], p), "accuracy": accuracy_score(y[test], p >= 0.5),
        "fit_seconds": fit, "rows_train": len(train), "rows_test": len(test),
    }))


if __name__ == "__main__":
    main()
