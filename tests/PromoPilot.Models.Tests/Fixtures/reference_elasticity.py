"""Reference values for tests/PromoPilot.Models.Tests/Elasticity/LogLogElasticityTests.cs.

A synthetic store x week x brand panel (seeded): log units = 3 + brand effect + store effect + week effect
- 2.4 log price + 0.4 deal + 0.6 feat + noise with a store-level shock (so clustered errors differ from HC1).
Fits statsmodels OLS of log units on log price, deal, feat and dummy-coded brand, store and week effects, with
nonrobust, HC1 and store-clustered covariances, and writes the data and results to reference_elasticity.json.
Run: /usr/bin/python3 reference_elasticity.py  (Debian python3-statsmodels 0.13.5, numpy)
"""
import json

import numpy as np
import statsmodels.api as sm

rng = np.random.default_rng(20240611)
brands, stores, weeks = 3, 12, 15
rows = []
brand_fx = [0.0, 0.5, -0.3]
store_fx = rng.normal(0, 0.3, stores)
store_shock = rng.normal(0, 0.25, stores)
week_fx = rng.normal(0, 0.2, weeks)
for s in range(stores):
    for w in range(weeks):
        for b in range(brands):
            if rng.random() < 0.08:
                continue  # unbalanced panel
            deal = int(rng.random() < 0.3)
            feat = int(rng.random() < 0.2)
            price = float(np.exp(rng.normal(np.log(2.5) + 0.1 * b, 0.15) - 0.15 * deal))
            noise = rng.normal(0, 0.3) + store_shock[s] * rng.normal(1.0, 0.5)
            log_units = 3 + brand_fx[b] + store_fx[s] + week_fx[w] - 2.4 * np.log(price) + 0.4 * deal + 0.6 * feat + noise
            rows.append(dict(store=s + 1, week=w + 1, brand=b + 1, units=float(np.exp(log_units)), price=price, deal=deal, feat=feat))

y = np.log([r["units"] for r in rows])
cols = [np.log([r["price"] for r in rows]), np.ones(len(rows)), [r["deal"] for r in rows], [r["feat"] for r in rows]]
for key, levels in (("brand", brands), ("store", stores), ("week", weeks)):
    for level in range(2, levels + 1):  # first level dropped, as the C# design does
        cols.append([1.0 if r[key] == level else 0.0 for r in rows])
X = np.column_stack(cols)
groups = np.array([r["store"] for r in rows])
out = {"generator": "/usr/bin/python3 reference_elasticity.py (statsmodels 0.13.5)", "rows": rows}
for name, fit in (
    ("classical", sm.OLS(y, X).fit()),
    ("hc1", sm.OLS(y, X).fit(cov_type="HC1")),
    ("cluster", sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": groups})),
):
    out[name] = {"coefficients": [float(v) for v in fit.params], "std_errors": [float(v) for v in fit.bse]}
with open("reference_elasticity.json", "w") as f:
    json.dump(out, f, indent=1)
print(len(rows), out["hc1"]["coefficients"][0], out["classical"]["std_errors"][0], out["hc1"]["std_errors"][0], out["cluster"]["std_errors"][0])
