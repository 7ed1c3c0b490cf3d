"""Reference values for the frequentist statistics (src/PromoPilot.Measurement/Experiments/Statistics).

Run from the repository root with Debian's Python (scipy 1.10, statsmodels 0.13.5):
    /usr/bin/python3 tests/PromoPilot.Measurement.Tests/Fixtures/reference_frequentist.py
It writes reference_frequentist.json beside itself: the inputs (raw per-unit arrays or counts) and
the outputs of scipy / statsmodels, or of the explicit numpy formulas named below where no library
function exists (relative lift and ratio metrics by the delta method, CUPED's adjusted metric).
"""
import json
import os
import warnings

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (confint_proportions_2indep, proportion_effectsize,
                                          proportions_ztest)
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

rng = np.random.default_rng(20261122)
# scipy warns on the constant arm of one case; its variance is exactly 0 and the result is exact.
warnings.filterwarnings("ignore", message="Precision loss occurred in moment calculation")


def welch(control, treatment, alpha):
    """scipy's Welch t-test; statsmodels for the Welch-Satterthwaite df and the interval."""
    t, p = stats.ttest_ind(treatment, control, equal_var=False)
    cm = CompareMeans(DescrStatsW(treatment), DescrStatsW(control))
    _, p_sm, df = cm.ttest_ind(usevar="unequal")
    assert abs(p - p_sm) < 1e-12
    low, high = cm.tconfint_diff(alpha=alpha, usevar="unequal")
    mc, mt = np.mean(control), np.mean(treatment)
    vc = np.var(control, ddof=1) / len(control)
    vt = np.var(treatment, ddof=1) / len(treatment)
    out = {"control_mean": mc, "treatment_mean": mt, "effect": mt - mc, "se": np.sqrt(vc + vt),
           "df": df, "p": p, "ci_low": low, "ci_high": high}
    out.update(lift(mc, vc, mt, vt, alpha, df))
    return out


def lift(mc, vc, mt, vt, alpha, df=None):
    """Delta method: Var(T/C - 1) = Var(T)/C^2 + T^2 Var(C)/C^4 (vc, vt: variances of the means)."""
    value = mt / mc - 1
    se = np.sqrt(vt / mc**2 + mt**2 * vc / mc**4)
    dist = stats.norm if df is None else stats.t(df)
    q = dist.ppf(1 - alpha / 2)
    return {"lift": value, "lift_se": se, "lift_ci_low": value - q * se, "lift_ci_high": value + q * se,
            "lift_p": 2 * dist.sf(abs(value / se))}


def welch_cases():
    cases = []

    def add(name, control, treatment, alpha=0.05):
        control, treatment = np.asarray(control, float), np.asarray(treatment, float)
        case = {"name": name, "alpha": alpha, "control": control.tolist(), "treatment": treatment.tolist()}
        case.update(welch(control, treatment, alpha))
        cases.append(case)

    add("equal n, unequal variances", rng.normal(10, 2, 50), rng.normal(10.8, 4, 50))
    add("unequal n and variances", rng.normal(5, 1, 30), rng.normal(5.4, 3, 120))
    add("small n 3 vs 4", [1.2, 3.4, 2.2], [2.9, 4.1, 3.3, 5.0])
    add("two units each", [1.0, 2.0], [2.5, 4.5])
    zeros = lambda n: rng.random(n) < 0.85
    revenue_c = np.where(zeros(2000), 0.0, rng.lognormal(3, 1, 2000))
    revenue_t = np.where(zeros(1500), 0.0, rng.lognormal(3.1, 1, 1500))
    add("zero-inflated lognormal revenue", revenue_c, revenue_t)
    add("alpha 0.10", rng.normal(0, 1, 40), rng.normal(0.3, 1, 45), alpha=0.10)
    add("alpha 0.01", rng.normal(0, 1, 200), rng.normal(0.25, 1.5, 180), alpha=0.01)
    add("negative effect, variance ratio 100", rng.normal(20, 10, 60), rng.normal(17, 1, 25))
    add("integer counts with ties", rng.poisson(3, 80), rng.poisson(3.5, 70))
    add("large values", rng.normal(10000, 300, 100), rng.normal(10050, 250, 90))
    add("constant treatment arm", rng.normal(1, 0.5, 20), [2.0] * 15)
    return cases


def proportion_cases():
    cases = []
    for xc, nc, xt, nt, alpha in [(100, 1000, 120, 1000, 0.05), (48, 1200, 61, 1100, 0.05),
                                  (5, 40, 12, 45, 0.05), (3100, 50000, 3050, 49000, 0.05),
                                  (20, 200, 30, 210, 0.10), (0, 50, 4, 60, 0.05), (900, 1000, 950, 1000, 0.01)]:
        z, p = proportions_ztest([xt, xc], [nt, nc])  # pooled SE under the null
        low, high = confint_proportions_2indep(xt, nt, xc, nc, method="wald", compare="diff", alpha=alpha)
        pc, pt = xc / nc, xt / nt
        vc, vt = pc * (1 - pc) / nc, pt * (1 - pt) / nt
        case = {"control_n": nc, "control_x": xc, "treatment_n": nt, "treatment_x": xt, "alpha": alpha,
                "control_mean": pc, "treatment_mean": pt, "effect": pt - pc, "se": np.sqrt(vc + vt),
                "z": z, "p": p, "ci_low": low, "ci_high": high}
        if pc > 0:
            case.update(lift(pc, vc, pt, vt, alpha))
        cases.append(case)
    return cases


def ratio_arm(y, x):
    """Delta method with the gradient of mean(Y)/mean(X): g = (1/mx, -my/mx^2), Var = g' S g / n."""
    mx, my = x.mean(), y.mean()
    cov = np.cov(np.vstack([y, x]), ddof=1)
    g = np.array([1 / mx, -my / mx**2])
    return y.sum() / x.sum(), g @ cov @ g / len(x)


def ratio_cases():
    cases = []

    def add(name, yc, xc, yt, xt, alpha=0.05):
        rc, vc = ratio_arm(yc, xc)
        rt, vt = ratio_arm(yt, xt)
        se = np.sqrt(vc + vt)
        q = stats.norm.ppf(1 - alpha / 2)
        case = {"name": name, "alpha": alpha,
                "control": {"y": yc.tolist(), "x": xc.tolist()}, "treatment": {"y": yt.tolist(), "x": xt.tolist()},
                "control_mean": rc, "treatment_mean": rt, "effect": rt - rc, "se": se,
                "ci_low": rt - rc - q * se, "ci_high": rt - rc + q * se, "p": 2 * stats.norm.sf(abs((rt - rc) / se))}
        case.update(lift(rc, vc, rt, vt, alpha))
        cases.append(case)

    def visits_revenue(n, buy, scale):
        visits = rng.poisson(3, n) + 1.0
        revenue = np.where(rng.random(n) < buy, rng.gamma(2, scale, n) * visits, 0.0)
        return revenue, visits

    add("revenue per visit", *visits_revenue(800, 0.2, 10), *visits_revenue(900, 0.22, 10))
    add("revenue per visit, small arms", *visits_revenue(25, 0.4, 5), *visits_revenue(30, 0.4, 6))
    add("clicks per view, alpha 0.10", *visits_revenue(500, 0.5, 1), *visits_revenue(450, 0.45, 1), alpha=0.10)
    return cases


def cuped_cases():
    cases = []

    def add(name, xc, yc, xt, yt, alpha=0.05):
        x, y = np.concatenate([xc, xt]), np.concatenate([yc, yt])
        theta = np.cov(y, x, ddof=1)[0, 1] / np.var(x, ddof=1)
        rho = np.corrcoef(x, y)[0, 1]
        zc, zt = yc - theta * (xc - x.mean()), yt - theta * (xt - x.mean())
        adjusted = welch(zc, zt, alpha)
        unadjusted = welch(yc, yt, alpha)
        case = {"name": name, "alpha": alpha,
                "control": {"y": yc.tolist(), "x": xc.tolist()}, "treatment": {"y": yt.tolist(), "x": xt.tolist()},
                "theta": theta, "rho": rho, "adjusted": adjusted, "unadjusted_se": unadjusted["se"],
                "variance_ratio": adjusted["se"]**2 / unadjusted["se"]**2,
                "regression": regression(xc, yc, xt, yt, x.mean(), alpha)}
        cases.append(case)

    for rho, n_c, n_t, effect in [(0.5, 300, 300, 0.2), (0.8, 150, 250, 0.0), (0.3, 40, 35, 0.5)]:
        def arm(n, shift):
            x = rng.normal(10, 2, n)
            y = 5 + shift + rho * (x - 10) + np.sqrt(1 - rho**2) * 2 * rng.normal(0, 1, n) * (1 + shift)
            return x, y
        add(f"rho {rho}, n {n_c}/{n_t}, effect {effect}", *arm(n_c, 0.0), *arm(n_t, effect))
    return cases


def regression(xc, yc, xt, yt, centre, alpha):
    """Lin (2013): OLS of Y on (X - centre) per arm; the effect is the difference of intercepts."""
    arms = []
    for x, y in [(xc, yc), (xt, yt)]:
        fit = sm.OLS(y, sm.add_constant(x - centre)).fit()
        arms.append((fit.params[0], fit.params[1], fit.bse[0] ** 2, fit.df_resid))
    (mc, bc, vc, dfc), (mt, bt, vt, dft) = arms
    # The same point estimate as the fully interacted regression on both arms together.
    x, y = np.concatenate([xc, xt]) - centre, np.concatenate([yc, yt])
    t = np.concatenate([np.zeros(len(xc)), np.ones(len(xt))])
    full = sm.OLS(y, np.column_stack([np.ones_like(x), t, x, t * x])).fit()
    assert abs(full.params[1] - (mt - mc)) < 1e-9
    df = (vc + vt) ** 2 / (vc**2 / dfc + vt**2 / dft)
    se = np.sqrt(vc + vt)
    q = stats.t.ppf(1 - alpha / 2, df)
    out = {"control_slope": bc, "treatment_slope": bt, "control_mean": mc, "treatment_mean": mt,
           "effect": mt - mc, "se": se, "df": df, "ci_low": mt - mc - q * se, "ci_high": mt - mc + q * se,
           "p": 2 * stats.t.sf(abs((mt - mc) / se), df)}
    out.update(lift(mc, vc, mt, vt, alpha, df))
    return out


def srm_cases():
    cases = []
    for observed, weights in [([5000, 5000], [1, 1]), ([5000, 5200], [0.5, 0.5]), ([10000, 10450], [1, 1]),
                              ([3000, 3050, 6100], [1, 1, 2]), ([812, 179], [0.8, 0.2]), ([1, 3], [1, 1])]:
        expected = np.asarray(weights, float) / np.sum(weights) * np.sum(observed)
        chi2, p = stats.chisquare(observed, expected)
        cases.append({"observed": observed, "weights": weights, "expected": expected.tolist(),
                      "chi2": chi2, "p": p, "mismatch": bool(p < 0.001)})
    return cases


def multiple_testing_cases():
    vectors = [[0.01, 0.04, 0.03, 0.005], [0.02, 0.02, 0.5, 0.001], [0.3, 0.6, 0.9, 0.05, 0.2], [0.04],
               rng.random(10).round(6).tolist(), (rng.random(8) ** 4).round(8).tolist(), [0.0, 1.0, 0.5]]
    return [{"p": p, "holm": multipletests(p, method="holm")[1].tolist(),
             "fdr_bh": multipletests(p, method="fdr_bh")[1].tolist()} for p in vectors]


def power_cases():
    cases = []
    solver = NormalIndPower()
    for kind, baseline, sd, mde, scale, alpha, power, ratio, n in [
            ("means", 100.0, 10.0, 1.0, "absolute", 0.05, 0.8, 1.0, 500),
            ("means", 50.0, 30.0, 0.05, "relative", 0.05, 0.8, 2.0, 2000),
            ("means", 20.0, 60.0, -2.0, "absolute", 0.01, 0.9, 1.0, 10000),
            ("means", 5.0, 1.0, 0.4, "absolute", 0.10, 0.5, 0.5, 20),
            ("proportions", 0.10, None, 0.01, "absolute", 0.05, 0.8, 1.0, 5000),
            ("proportions", 0.05, None, 0.10, "relative", 0.05, 0.8, 0.5, 20000),
            ("proportions", 0.30, None, -0.05, "absolute", 0.01, 0.95, 1.0, 1000),
            ("proportions", 0.02, None, 0.25, "relative", 0.05, 0.9, 3.0, 30000)]:
        if kind == "means":
            delta = mde * baseline if scale == "relative" else mde
            effect = delta / sd
        else:
            treated = baseline * (1 + mde) if scale == "relative" else baseline + mde
            effect = proportion_effectsize(treated, baseline)
        nobs1 = solver.solve_power(effect_size=effect, nobs1=None, alpha=alpha, power=power, ratio=ratio)
        cases.append({"kind": kind, "baseline": baseline, "sd": sd, "mde": mde, "scale": scale, "alpha": alpha,
                      "power": power, "ratio": ratio, "effect_size": effect, "nobs1": nobs1,
                      "power_check": solver.power(effect, nobs1, alpha, ratio),
                      "n": n, "power_at_n": solver.power(effect, n, alpha, ratio)})
    return cases


def plain(value):
    """numpy scalars and arrays as plain JSON numbers and lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


reference = {"generated_by": "reference_frequentist.py (scipy %s, statsmodels %s, numpy %s)"
             % (scipy.__version__, statsmodels.__version__, np.__version__),
             "welch": welch_cases(), "proportions": proportion_cases(), "ratio": ratio_cases(),
             "cuped": cuped_cases(), "srm": srm_cases(), "multiple_testing": multiple_testing_cases(),
             "power": power_cases()}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference_frequentist.json")
with open(path, "w") as f:
    json.dump(plain(reference), f, indent=1)
    f.write("\n")
print(path)
