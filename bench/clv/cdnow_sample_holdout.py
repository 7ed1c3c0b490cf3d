#!/usr/bin/python3
"""Holdout check of the published BG/NBD fit on the published CDNOW 1/10th sample.

The sample summary (x, t_x, T, zbar) has no holdout column, so each sample customer is matched to
the master file's customer with the same calibration summary (zbar within 0.02, as the sample rounds
differently); customers whose summary is shared by several master customers get the group's mean
holdout count. Then the published parameters (Fader, Hardie & Lee 2005) predict the 39-week holdout.
Usage: /usr/bin/python3 bench/clv/cdnow_sample_holdout.py [../shared/data/cdnow]
"""
import sys

import numpy as np
import pandas as pd
from scipy.special import hyp2f1

folder = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/cdnow"
sample = pd.read_csv(f"{folder}/cdnow_sample_summary.csv.gz")
master = pd.read_csv(f"{folder}/cdnow_master.csv.gz", dtype={"customer_id": str, "date": str})
master["day"] = pd.to_datetime(master["date"])
calibration_end = pd.Timestamp("1997-09-30")

days = master.groupby(["customer_id", "day"]).dollar_value.sum().reset_index()
days["first"] = days.groupby("customer_id").day.transform("min")
calibration = days[days.day <= calibration_end]
repeat = calibration[calibration.day > calibration["first"]]
summary = pd.DataFrame({
    "x": calibration.groupby("customer_id").size() - 1,
    "t_x": (calibration.groupby("customer_id").day.max() - calibration.groupby("customer_id")["first"].min()).dt.days / 7,
    "T": (calibration_end - calibration.groupby("customer_id")["first"].min()).dt.days / 7,
    "zbar": repeat.groupby("customer_id").dollar_value.mean(),
}).fillna({"zbar": 0.0})
summary["x_holdout"] = days[days.day > calibration_end].groupby("customer_id").size()
summary = summary.fillna({"x_holdout": 0.0})
summary["t_x"] = summary.t_x.round(2)
summary["T"] = summary["T"].round(2)

groups = summary.groupby(["x", "t_x", "T"])
matched, unmatched = [], 0
for row in sample.itertuples():
    key = (row.x, round(row.t_x, 2), round(row.T, 2))
    if key not in groups.groups:
        unmatched += 1
        continue
    candidates = groups.get_group(key)
    close = candidates[(candidates.zbar - row.zbar).abs() <= 0.02]
    matched.append((close if len(close) else candidates).x_holdout.mean())

r, alpha, a, b = 0.243, 4.414, 0.793, 2.426
x, t_x, T, t = sample.x.values, sample.t_x.values, sample["T"].values, 39.0
z = t / (alpha + T + t)
numerator = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z))
denominator = 1 + (x > 0) * (a / (b + x - 1)) * ((alpha + T) / (alpha + t_x)) ** (r + x)
expected = (numerator / denominator).sum()
actual = sum(matched) / len(matched) * len(sample)
print(f"sample customers {len(sample)}, matched {len(matched)}, unmatched {unmatched}")
print(f"holdout repeat transactions: expected {expected:.1f}, actual {actual:.1f} (matched scaled to all), "
      f"error {100 * (expected - actual) / actual:+.1f}%")
