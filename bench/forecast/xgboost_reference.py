"""Global xgboost reference for `promopilot forecast eval --dataset dominicks-oj --method gbm` (issue 10).

Same series and split as bench/forecast/reference.R and our CLI: store x brand weekly units exp(logmove), series whose
last 52 weeks have no gap, each series its gap-free tail, the last H weeks held out. One global model, direct
multi-horizon with the horizon as a feature: a training row is (series, origin t, step h) with the target log units of
week t+h-1 and features known at the origin: log-unit lags 1..L before t, h, and the target week's own log price, deal
and feat (planned, known in advance). Only weeks before the held-out block are ever targets. Forecast = exp(prediction).
WAPE = sum|y - f| / sum|y|; coverage_90 from conformal quantiles of |log residual| per horizon on the last C training
origins (a model fitted without them), as our gbm does.

Usage: /usr/bin/python3 bench/forecast/xgboost_reference.py ../shared/data/dominicks_oj [H] [threads] [lags]
Needs python3-xgboost (Debian: apt-get install -y python3-xgboost); prints one JSON line.
"""
import gzip
import json
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb

path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/dominicks_oj"
H = int(sys.argv[2]) if len(sys.argv) > 2 else 12
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
L = int(sys.argv[4]) if len(sys.argv) > 4 else 8
MIN_LAGS = 4

t_start = time.perf_counter()
d = pd.read_csv(gzip.open(path + "/oj_yx.csv.gz"))
d = d.sort_values(["store", "brand", "week"])
d["own_price"] = d.apply(lambda r: r[f"price{int(r['brand'])}"], axis=1)
series = []
for (store, brand), k in d.groupby(["store", "brand"], sort=True):
    w = k["week"].to_numpy()
    last = w.max()
    first = last
    ws = set(w.tolist())
    while first - 1 in ws:
        first -= 1
    if last - first + 1 >= 52:
        k = k[k["week"] >= first]
        series.append(dict(store=store, brand=brand, ly=k["logmove"].to_numpy(), lp=np.log(k["own_price"].to_numpy()),
                           deal=k["deal"].to_numpy(), feat=k["feat"].to_numpy()))


def rows(s, origins, steps):
    X, y = [], []
    ly = s["ly"]
    for t in origins:
        lags = [ly[t - j] if t - j >= 0 else np.nan for j in range(1, L + 1)]
        for h in steps:
            i = t + h - 1
            X.append(lags + [h, s["lp"][i], s["deal"][i], s["feat"][i]])
            y.append(ly[i])
    return X, y


def build(end_of_train):
    """Training rows whose targets lie before end_of_train(s) (an index per series)."""
    X, y = [], []
    for s in series:
        e = end_of_train(s)
        for h in range(1, H + 1):
            a, b = rows(s, range(MIN_LAGS, e - h + 1), [h])
            X += a
            y += b
    return np.array(X, dtype=np.float32), np.array(y, dtype=np.float32)


params = dict(objective="reg:squarederror", tree_method="hist", max_depth=6, eta=0.1, subsample=1.0,
              colsample_bytree=1.0, nthread=threads, seed=0)
ROUNDS = 300
t_build = time.perf_counter()
X, y = build(lambda s: len(s["ly"]) - H)
Xt, yt = [], []
for s in series:
    a, b = rows(s, [len(s["ly"]) - H], range(1, H + 1))
    Xt += a
    yt += b
Xt = np.array(Xt, dtype=np.float32)
actual = np.exp(np.array(yt))
t_fit = time.perf_counter()
cpu_fit = time.process_time()
model = xgb.train(params, xgb.DMatrix(X, label=y, nthread=threads), ROUNDS)
pred = np.exp(model.predict(xgb.DMatrix(Xt, nthread=threads)))
t_done = time.perf_counter()
cpu_done = time.process_time()
wape = float(np.abs(actual - pred).sum() / np.abs(actual).sum())

# conformal 90% intervals: refit without the last H training origins' targets, residuals on them per step
Xc, yc = build(lambda s: len(s["ly"]) - 2 * H)
cal = xgb.train(params, xgb.DMatrix(Xc, label=yc, nthread=threads), ROUNDS)
q = np.zeros(H)
for h in range(1, H + 1):
    res = []
    for s in series:
        a, b = rows(s, [len(s["ly"]) - 2 * H], [h])
        res.append(abs(b[0] - cal.predict(xgb.DMatrix(np.array(a, dtype=np.float32)))[0]))
    q[h - 1] = np.quantile(res, min(1.0, 0.9 * (1 + 1 / len(res))), method="higher")
steps = np.tile(np.arange(H), len(series))
lo, hi = pred * np.exp(-q[steps]), pred * np.exp(q[steps])
cov = float(((actual >= lo) & (actual <= hi)).mean())
print(json.dumps(dict(method="xgboost", wape=round(wape, 4), coverage_90=round(cov, 4), series=len(series),
                      points=int(len(actual)), train_rows=int(len(y)), seconds=round(t_done - t_fit, 3), cpu_seconds=round(cpu_done - cpu_fit, 3),
                      seconds_features=round(t_fit - t_build, 3), seconds_total=round(time.perf_counter() - t_start, 3),
                      threads=threads, lags=L, rounds=ROUNDS, xgboost=xgb.__version__)))
