#!/usr/bin/python3
"""Reference readout of the Cookie Cats A/B test (gate_30 control vs gate_40) with scipy / statsmodels.

Writes reference_cookie_cats.json beside this script: aggregate results only (the data is not redistributable,
tests read it from ../shared/data/cookie_cats). Run: /usr/bin/python3 reference_cookie_cats.py [../shared/data]
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

data_root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "shared", "data")
frame = pd.read_csv(os.path.join(data_root, "cookie_cats", "cookie_cats.csv.gz"))
control, treatment = frame[frame.version == "gate_30"], frame[frame.version == "gate_40"]
result = {"srm_p_value": float(stats.chisquare([len(control), len(treatment)]).pvalue), "metrics": {}}

for metric in ["retention_1", "retention_7"]:
    successes = np.array([treatment[metric].sum(), control[metric].sum()])
    counts = np.array([len(treatment), len(control)])
    _, p_value = proportions_ztest(successes, counts)  # pooled standard error
    low, high = confint_proportions_2indep(successes[0], counts[0], successes[1], counts[1], method="wald", compare="diff")
    result["metrics"][metric] = {
        "control_mean": float(control[metric].mean()), "treatment_mean": float(treatment[metric].mean()),
        "effect": float(treatment[metric].mean() - control[metric].mean()),
        "ci_low": float(low), "ci_high": float(high), "p_value": float(p_value)}

rounds_t, rounds_c = treatment.sum_gamerounds.astype(float), control.sum_gamerounds.astype(float)
welch = stats.ttest_ind(rounds_t, rounds_c, equal_var=False)
se = np.sqrt(rounds_t.var(ddof=1) / len(rounds_t) + rounds_c.var(ddof=1) / len(rounds_c))
df = se ** 4 / ((rounds_t.var(ddof=1) / len(rounds_t)) ** 2 / (len(rounds_t) - 1) + (rounds_c.var(ddof=1) / len(rounds_c)) ** 2 / (len(rounds_c) - 1))
effect = rounds_t.mean() - rounds_c.mean()
q = stats.t.ppf(0.975, df)
result["metrics"]["sum_gamerounds"] = {
    "control_mean": float(rounds_c.mean()), "treatment_mean": float(rounds_t.mean()), "effect": float(effect),
    "ci_low": float(effect - q * se), "ci_high": float(effect + q * se), "p_value": float(welch.pvalue)}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference_cookie_cats.json"), "w") as out:
    json.dump(result, out, indent=2)
    out.write("\n")
