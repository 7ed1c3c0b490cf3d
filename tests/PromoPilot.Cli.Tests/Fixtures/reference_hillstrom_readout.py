#!/usr/bin/python3
"""Reference campaign readout of the bundled Hillstrom sample (samples/hillstrom_sample.csv.gz) with statsmodels/scipy.

For each e-mail arm and for both arms pooled, against "No E-Mail": incremental conversions = (p_t - p_c) * n_t with the
Wald (unpooled) interval of p_t - p_c and the pooled z-test p-value; incremental revenue = (mean_t - mean_c) * n_t with
Welch's interval and p-value. Writes reference_hillstrom_readout.json beside this script.
Run: /usr/bin/python3 reference_hillstrom_readout.py
"""
import json
import os

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

here = os.path.dirname(os.path.abspath(__file__))
frame = pd.read_csv(os.path.join(here, "..", "..", "..", "samples", "hillstrom_sample.csv.gz"))
control = frame[frame.segment == "No E-Mail"]
arms = {"Mens E-Mail": frame[frame.segment == "Mens E-Mail"], "Womens E-Mail": frame[frame.segment == "Womens E-Mail"],
        "(all treated)": frame[frame.segment != "No E-Mail"]}
result = {"control_units": int(len(control)), "srm_p_value": float(stats.chisquare(frame.segment.value_counts().values).pvalue), "rows": []}
for name, arm in arms.items():
    n = len(arm)
    successes = np.array([arm.conversion.sum(), control.conversion.sum()])
    counts = np.array([n, len(control)])
    _, p_conv = proportions_ztest(successes, counts)
    low, high = confint_proportions_2indep(successes[0], n, successes[1], len(control), method="wald", compare="diff")
    effect = arm.conversion.mean() - control.conversion.mean()
    result["rows"].append({"metric": "incremental_conversions", "arm": name, "treated_units": n,
                           "incremental": float(effect * n), "ci_low": float(low * n), "ci_high": float(high * n), "p_value": float(p_conv)})
    spend_t, spend_c = arm.spend.astype(float), control.spend.astype(float)
    vt, vc = spend_t.var(ddof=1) / n, spend_c.var(ddof=1) / len(spend_c)
    se = np.sqrt(vt + vc)
    df = (vt + vc) ** 2 / (vt ** 2 / (n - 1) + vc ** 2 / (len(spend_c) - 1))
    diff = spend_t.mean() - spend_c.mean()
    q = stats.t.ppf(0.975, df)
    welch = stats.ttest_ind(spend_t, spend_c, equal_var=False)
    result["rows"].append({"metric": "incremental_revenue", "arm": name, "treated_units": n,
                           "incremental": float(diff * n), "ci_low": float((diff - q * se) * n), "ci_high": float((diff + q * se) * n),
                           "p_value": float(welch.pvalue)})
with open(os.path.join(here, "reference_hillstrom_readout.json"), "w") as out:
    json.dump(result, out, indent=2)
    out.write("\n")
