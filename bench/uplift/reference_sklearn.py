"""scikit-learn reference for `promopilot uplift eval --dataset hillstrom` on the same 70/30 splits.

Splits: StratifiedSplit re-derived (strata = 2*treated + [outcome > 0], SplitMix64 order, seeds 0..N-1).
Learners: S-learner with HistGradientBoostingClassifier (defaults, random_state = seed), class transformation with
LogisticRegression (defaults, max_iter 1000). Metrics: the definitions in
tests/PromoPilot.Models.Tests/Fixtures/reference_uplift_metrics.py (scikit-uplift's, re-implemented).

Run: /usr/bin/python3 reference_sklearn.py FILE [--treatment "Womens E-Mail"] [--control "No E-Mail"] [--outcome visit] [--seeds 5]
"""
import argparse
import csv
import gzip
import json
import math
import os
import statistics
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "tests", "PromoPilot.Models.Tests", "Fixtures"))
sys.path.insert(0, os.path.join(here, "..", "response"))
from reference_uplift_metrics import at_k, qini_score, uplift_score  # noqa: E402
from reference_xgboost import split  # noqa: E402

FEATURES = ["recency", "history_segment", "history", "mens", "womens", "zip_code", "newbie", "channel"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("--treatment", default="Womens E-Mail")
    ap.add_argument("--control", default="No E-Mail")
    ap.add_argument("--outcome", default="visit")
    ap.add_argument("--seeds", type=int, default=5)
    a = ap.parse_args()
    with gzip.open(a.input, "rt", newline="") if a.input.endswith(".gz") else open(a.input, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["segment"] in (a.treatment, a.control)]
    t = np.array([1.0 if r["segment"] == a.treatment else 0.0 for r in rows])
    y = np.array([float(r[a.outcome]) for r in rows])
    cols = []
    for name in FEATURES:
        values = [r[name] for r in rows]
        try:
            cols.append(np.array([[float(v) for v in values]]).T)
        except ValueError:
            levels = sorted(set(values))
            cols.append(np.array([[1.0 if v == l else 0.0 for l in levels] for v in values]))
    x = np.hstack(cols)
    strata = [int(2 * ti + (yi > 0)) for ti, yi in zip(t, y)]
    results = {"s_hgb": [], "ct_logistic": []}
    for seed in range(a.seeds):
        train, test = split(strata, 0.3, seed)
        xt, tt, yt = x[train], t[train], y[train]
        start = time.perf_counter()
        s = HistGradientBoostingClassifier(random_state=seed).fit(np.c_[xt, tt], yt)
        fit_s = time.perf_counter() - start
        up_s = s.predict_proba(np.c_[x[test], np.ones(len(test))])[:, 1] - s.predict_proba(np.c_[x[test], np.zeros(len(test))])[:, 1]
        start = time.perf_counter()
        z = (tt == yt).astype(int)
        ct = LogisticRegression(max_iter=1000).fit(xt, z)
        fit_ct = time.perf_counter() - start
        up_ct = 2 * ct.predict_proba(x[test])[:, 1] - 1
        for key, up, fit in (("s_hgb", up_s, fit_s), ("ct_logistic", up_ct, fit_ct)):
            results[key].append({
                "qini": qini_score(y[test], up, t[test]), "auuc": uplift_score(y[test], up, t[test]),
                "uplift_at_30": at_k(y[test], up, t[test], 0.3, "by_group"),
                "uplift_at_30_overall": at_k(y[test], up, t[test], 0.3, "overall"), "fit_seconds": fit,
            })
    for key, runs in results.items():
        out = {"learner": key}
        for m in ("qini", "auuc", "uplift_at_30", "uplift_at_30_overall", "fit_seconds"):
            vals = [r[m] for r in runs]
            out[m] = statistics.mean(vals)
            out[m + "_sd"] = statistics.stdev(vals) if len(vals) > 1 else 0.0
        print(json.dumps(out))


if __name__ == "__main__":
    main()
