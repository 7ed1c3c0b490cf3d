"""Reference values for population stability (src/PromoPilot.Measurement/Monitoring/PopulationStability.cs).

Run from the repository root with Debian's Python (numpy 1.24, scipy 1.10):
    /usr/bin/python3 tests/PromoPilot.Measurement.Tests/Fixtures/reference_psi.py
It writes reference_psi.json beside itself. The binning is the one PopulationStability documents:
cut points = np.quantile(reference, k/B, method="linear") for k = 1..B-1, repeated cut points merged,
a top cut point equal to the reference maximum dropped; bin of x = np.searchsorted(edges, x, side="left")
(edge[i-1] < x <= edge[i]); shares floored at epsilon before PSI = sum((a - e) * ln(a / e)).
The "analytic" case needs no binning code at all: the decile PSI of N(mu, 1) against N(0, 1) from
scipy's normal CDF, which a large seeded sample must approach.
"""
import json
import os

import numpy as np
from scipy import stats

rng = np.random.default_rng(20261123)
EPS = 1e-4


def psi(reference, recent, bins):
    cuts = []
    for k in range(1, bins):
        q = float(np.quantile(reference, k / bins, method="linear"))
        if not cuts or q > cuts[-1]:
            cuts.append(q)
    if cuts and cuts[-1] >= reference.max():
        cuts.pop()
    edges = np.array(cuts)
    e = np.bincount(np.searchsorted(edges, reference, side="left"), minlength=len(edges) + 1) / len(reference)
    a = np.bincount(np.searchsorted(edges, recent, side="left"), minlength=len(edges) + 1) / len(recent)
    ef = np.maximum(e, EPS)
    af = np.maximum(a, EPS)
    value = float(np.sum((af - ef) * np.log(af / ef)))
    return edges.tolist(), e.tolist(), a.tolist(), value


cases = []


def case(name, reference, recent, bins=10):
    edges, ref_shares, recent_shares, value = psi(np.asarray(reference, float), np.asarray(recent, float), bins)
    cases.append({
        "name": name, "bins": bins, "reference": [float(x) for x in reference], "recent": [float(x) for x in recent],
        "edges": edges, "reference_shares": ref_shares, "recent_shares": recent_shares, "psi": value,
    })


case("normal_shift_0.3", rng.normal(0, 1, 2000), rng.normal(0.3, 1, 1500))
case("normal_same", rng.normal(5, 2, 1000), rng.normal(5, 2, 1000))
case("lognormal_wider", rng.lognormal(0, 0.5, 1200), rng.lognormal(0.1, 0.9, 800))
case("poisson_ties", rng.poisson(2.0, 1000), rng.poisson(3.0, 700))
case("binary_share_moves", rng.binomial(1, 0.3, 1000), rng.binomial(1, 0.5, 600))
case("uniform_5_bins_empty_recent_bins", rng.uniform(0, 1, 500), rng.uniform(0, 0.3, 400), bins=5)

# Analytic: deciles of N(0,1) against N(mu,1), shares from the normal CDF.
analytic = []
for mu in (0.1, 0.5, 1.0):
    z = stats.norm.ppf(np.arange(1, 10) / 10)
    upper = np.append(z, np.inf)
    lower = np.insert(z, 0, -np.inf)
    a = stats.norm.cdf(upper - mu) - stats.norm.cdf(lower - mu)
    analytic.append({"mu": mu, "psi": float(np.sum((a - 0.1) * np.log(a / 0.1)))})

out = {"generator": "reference_psi.py", "numpy": np.__version__, "epsilon": EPS, "cases": cases, "analytic_normal_deciles": analytic}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference_psi.json"), "w") as f:
    json.dump(out, f)
print("\n".join(f"{c['name']}: psi {c['psi']:.6f}, {len(c['edges'])} edges" for c in cases))
print(analytic)
