#!/usr/bin/env python3
"""Reference for LinearUpliftModel: statsmodels' unpenalized Logit on the bundled Hillstrom sample with the same
design (features standardized with the population sd, treatment = any e-mail, outcome = visit):
logit P = b0 + b.z + t (g0 + g.z). Run with /usr/bin/python3 (Debian python3-statsmodels); writes
reference_linear_uplift.json beside this script."""
import csv, gzip, json, os
import numpy as np
import statsmodels.api as sm

here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "..", "..", "..", "samples", "hillstrom_sample.csv.gz")
features = ["history", "mens", "newbie", "recency", "womens"]
rows = list(csv.DictReader(gzip.open(path, "rt")))
x = np.array([[float(r[f]) for f in features] for r in rows])
t = np.array([0.0 if r["segment"] == "No E-Mail" else 1.0 for r in rows])
y = np.array([float(r["visit"]) for r in rows])
z = (x - x.mean(axis=0)) / x.std(axis=0)
design = np.column_stack([np.ones(len(rows)), z, t, t[:, None] * z])
fit = sm.Logit(y, design).fit(disp=0, tol=1e-12, maxiter=200)
d = len(features)
p = fit.params
json.dump({
    "features": features, "rows": len(rows),
    "baseline_intercept": p[0], "baseline": list(p[1:d + 1]),
    "treatment_intercept": p[d + 1], "treatment": list(p[d + 2:]),
    "std_errors": list(fit.bse),
}, open(os.path.join(here, "reference_linear_uplift.json"), "w"), indent=1)
