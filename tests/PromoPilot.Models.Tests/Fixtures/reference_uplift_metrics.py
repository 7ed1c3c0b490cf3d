"""Reference values for UpliftMetrics, written from scikit-uplift's documented definitions (not its code).

Definitions (docs/response-uplift.md):
- rows ranked by score, highest first; ties in reverse row order (stable ascending sort, reversed);
- curves are evaluated at the last row of each run of equal scores, with a leading (0, 0);
- uplift curve value = (treated mean - control mean among top rows) * rows, empty group -> 0 mean;
- Qini curve value = treated sum - control sum * treated rows / control rows (0 when no control row);
- perfect uplift curve ranks by 2*[y == t] + (y if control responders > treated non-responders else t);
- perfect Qini curve (negative effect allowed) ranks by y*t - y*(1-t);
- normalized score = (trapz(actual) - base) / (trapz(perfect) - base), base = trapz of (0,0)-(x_last, y_last) of perfect;
- uplift at k: by_group takes int(n_t*k) treated and int(n_c*k) control rows in rank order; overall takes int(n*k) rows.

Run: /usr/bin/python3 reference_uplift_metrics.py > uplift_metrics.json
"""
import json

import numpy as np


def order(score):
    return np.argsort(score, kind="mergesort")[::-1]


def curve(y, score, t, qini):
    o = order(score)
    y, s, t = y[o], score[o], t[o]
    n = len(y)
    last = [i for i in range(n) if i == n - 1 or s[i + 1] != s[i]]
    xs, vs = [0.0], [0.0]
    for i in last:
        ty = float(np.sum(y[: i + 1] * t[: i + 1]))
        cy = float(np.sum(y[: i + 1] * (1 - t[: i + 1])))
        nt = float(np.sum(t[: i + 1]))
        nall = i + 1.0
        nc = nall - nt
        if qini:
            v = ty - (cy * nt / nc if nc > 0 else 0.0)
        else:
            v = ((ty / nt if nt > 0 else 0.0) - (cy / nc if nc > 0 else 0.0)) * nall
        xs.append(nall)
        vs.append(v)
    return np.array(xs), np.array(vs)


def trapz(x, v):
    return float(sum((x[i] - x[i - 1]) * (v[i] + v[i - 1]) / 2 for i in range(1, len(x))))


def normalized(actual, perfect):
    base = perfect[0][-1] * perfect[1][-1] / 2
    return (trapz(*actual) - base) / (trapz(*perfect) - base)


def qini_score(y, s, t):
    return normalized(curve(y, s, t, True), curve(y, y * t - y * (1 - t), t, True))


def uplift_score(y, s, t):
    cr = np.sum((y == 1) & (t == 0))
    tn = np.sum((y == 0) & (t == 1))
    perfect = 2 * (y == t) + (y if cr > tn else t)
    return normalized(curve(y, s, t, False), curve(y, perfect.astype(float), t, False))


def at_k(y, s, t, k, strategy):
    o = order(s)
    y, t = y[o], t[o]
    if strategy == "overall":
        size = int(len(y) * k)
        yy, tt = y[:size], t[:size]
        return float(yy[tt == 1].mean() - yy[tt == 0].mean())
    nt, nc = int(np.sum(t == 1) * k), int(np.sum(t == 0) * k)
    return float(y[t == 1][:nt].mean() - y[t == 0][:nc].mean())


def main():
    rng = np.random.default_rng(7)
    cases = []
    for case, (n, share, ties) in enumerate([(40, 0.5, False), (300, 0.5, True), (500, 0.3, False), (250, 0.7, True), (1000, 0.5, False)]):
        t = (rng.random(n) < share).astype(float)
        t[0], t[1] = 1.0, 0.0
        x = rng.normal(size=n)
        p = 0.2 + 0.1 * t * (x > 0) + 0.05 * x.clip(-1, 1)
        y = (rng.random(n) < p).astype(float)
        score = 0.3 * x + rng.normal(scale=0.5, size=n)
        if ties:
            score = np.round(score, 1)
        qx, qv = curve(y, score, t, True)
        ux, uv = curve(y, score, t, False)
        cases.append({
            "name": f"case{case}",
            "outcome": y.tolist(),
            "treatment": [bool(v) for v in t],
            "uplift": score.tolist(),
            "qini_auc_score": qini_score(y, score, t),
            "uplift_auc_score": uplift_score(y, score, t),
            "uplift_at_30_by_group": at_k(y, score, t, 0.3, "by_group"),
            "uplift_at_30_overall": at_k(y, score, t, 0.3, "overall"),
            "uplift_at_10_by_group": at_k(y, score, t, 0.1, "by_group"),
            "qini_curve_x": qx.tolist(),
            "qini_curve_y": qv.tolist(),
            "uplift_curve_y": uv.tolist(),
        })
    print(json.dumps({"cases": cases}))


if __name__ == "__main__":
    main()
