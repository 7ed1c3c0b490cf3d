"""Reference values for the Bayesian and sequential readouts (tests/.../Bayesian, .../Sequential).

Run: /usr/bin/python3 tests/PromoPilot.Measurement.Tests/Fixtures/reference_bayes_sequential.py
(Debian python3-numpy and python3-scipy 1.10.1); it rewrites reference_bayes_sequential.json beside itself.

Each figure is computed a different way from the C# code:
- Beta-Binomial: chance to beat control and both expected losses by scipy numerical integration over the
  Beta densities (C#: Evan Miller's closed-form sum).
- Normal model: conjugate posterior written out with numpy, chance to beat by scipy.stats.norm.cdf, expected
  losses by numerical integration (scipy.stats.norm.expect) (C#: closed-form partial expectations).
- Asymptotic confidence sequence (Waudby-Smith et al. 2023, as in GrowthBook's docs): the half-width
  written out with numpy from the paper's formula and the rho recipe.
"""
import json
import os

import numpy as np
from scipy import integrate, stats

TOL = dict(epsabs=1e-13, epsrel=1e-12, limit=500)


def window(a, b):
    """The interval outside which a Beta(a, b) density is below double precision."""
    mean = a / (a + b)
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    return max(0.0, mean - 40 * sd), min(1.0, mean + 40 * sd)


def beta_binomial(control, treatment, prior=(1, 1)):
    (nc, sc), (nt, st) = control, treatment
    ac, bc = prior[0] + sc, prior[1] + nc - sc
    at, bt = prior[0] + st, prior[1] + nt - st
    c, t = stats.beta(ac, bc), stats.beta(at, bt)
    lo = min(window(ac, bc)[0], window(at, bt)[0])
    hi = max(window(ac, bc)[1], window(at, bt)[1])
    points = [t.mean(), c.mean()]
    chance = integrate.quad(lambda x: t.pdf(x) * c.cdf(x), lo, hi, points=points, **TOL)[0]

    def excess(upper, lower_value):
        # E[max(U - v, 0)] for U with the given distribution, by integrating over U's density.
        ulo, uhi = window(*upper.args)
        start = max(lower_value, ulo)
        if start >= uhi:
            return 0.0
        return integrate.quad(lambda u: (u - lower_value) * upper.pdf(u), start, uhi, **TOL)[0]

    risk_treatment = integrate.quad(lambda x: t.pdf(x) * excess(c, x), lo, hi, points=points, **TOL)[0]
    risk_control = integrate.quad(lambda x: c.pdf(x) * excess(t, x), lo, hi, points=points, **TOL)[0]
    return dict(control=dict(count=nc, successes=sc), treatment=dict(count=nt, successes=st),
                control_rate=c.mean(), treatment_rate=t.mean(), chance_to_beat_control=chance,
                risk_of_choosing_treatment=risk_treatment, risk_of_choosing_control=risk_control)


def summary(values):
    values = np.asarray(values, dtype=float)
    return dict(count=int(values.size), sum=float(values.sum()), sum_of_squares=float((values * values).sum()))


def effect(control, treatment, scale):
    """Plug-in effect and standard error from raw moments, written out independently of the C# code."""
    def moments(s):
        n = s["count"]
        mean = s["sum"] / n
        var = (s["sum_of_squares"] - n * mean * mean) / (n - 1)
        return n, mean, var
    nc, mc, vc = moments(control)
    nt, mt, vt = moments(treatment)
    if scale == "absolute":
        return mt - mc, np.sqrt(vt / nt + vc / nc)
    return mt / mc - 1, np.sqrt(vt / (nt * mc ** 2) + mt ** 2 * vc / (nc * mc ** 4))


def normal_bayes(control, treatment, scale, prior_mean=0.0, prior_sd=np.inf, level=0.95):
    est, se = effect(control, treatment, scale)
    prior_precision = 0.0 if np.isinf(prior_sd) else 1 / prior_sd ** 2
    post_var = 1 / (1 / se ** 2 + prior_precision)
    post_mean = post_var * (est / se ** 2 + prior_mean * prior_precision)
    post = stats.norm(post_mean, np.sqrt(post_var))
    return dict(control=control, treatment=treatment, scale=scale, prior_mean=prior_mean,
                prior_sd=None if np.isinf(prior_sd) else prior_sd, credible_level=level,
                posterior_mean=post_mean, posterior_sd=np.sqrt(post_var),
                credible_low=post.ppf((1 - level) / 2), credible_high=post.ppf((1 + level) / 2),
                chance_to_beat_control=post.sf(0.0),
                risk_of_choosing_treatment=post.expect(lambda d: np.maximum(-d, 0.0), epsabs=1e-14, epsrel=1e-12),
                risk_of_choosing_control=post.expect(lambda d: np.maximum(d, 0.0), epsabs=1e-14, epsrel=1e-12))


def sequential(control, treatment, scale, alpha, tuning):
    est, se = effect(control, treatment, scale)
    n = control["count"] + treatment["count"]
    rho = np.sqrt((-2 * np.log(alpha) + np.log(-2 * np.log(alpha) + 1)) / tuning)
    half = se * np.sqrt(n) * np.sqrt(2 * (n * rho ** 2 + 1) / (n ** 2 * rho ** 2) * np.log(np.sqrt(n * rho ** 2 + 1) / alpha))
    return dict(control=control, treatment=treatment, scale=scale, alpha=alpha, tuning_sample_size=tuning,
                rho=rho, effect=est, standard_error=se, low=est - half, high=est + half)


rng = np.random.default_rng(20261122)
revenue_c = summary(rng.binomial(1, 0.05, 4000) * rng.exponential(40.0, 4000))
revenue_t = summary(rng.binomial(1, 0.06, 4100) * rng.exponential(40.0, 4100))
normal_c = summary(rng.normal(10.0, 3.0, 500))
normal_t = summary(rng.normal(10.4, 3.5, 450))
small_c = summary(rng.normal(1.0, 1.0, 12))
small_t = summary(rng.normal(1.5, 1.0, 9))
conv_c = summary(rng.binomial(1, 0.10, 2000))
conv_t = summary(rng.binomial(1, 0.11, 2000))

fixture = dict(
    beta_binomial=[
        beta_binomial((1000, 100), (1000, 120)),
        beta_binomial((5000, 250), (5000, 240)),
        beta_binomial((10, 0), (10, 1)),
        beta_binomial((0, 0), (0, 0)),
        beta_binomial((100, 3), (80, 6)),
        beta_binomial((20000, 1000), (20000, 1080)),
    ],
    normal=[
        normal_bayes(revenue_c, revenue_t, "absolute"),
        normal_bayes(revenue_c, revenue_t, "relative"),
        normal_bayes(revenue_c, revenue_t, "relative", prior_mean=0.0, prior_sd=0.3),
        normal_bayes(normal_c, normal_t, "absolute", prior_mean=0.5, prior_sd=0.2, level=0.9),
        normal_bayes(small_c, small_t, "absolute"),
        normal_bayes(conv_c, conv_t, "relative", prior_sd=0.3),
    ],
    sequential=[
        sequential(revenue_c, revenue_t, "absolute", 0.05, 5000),
        sequential(revenue_c, revenue_t, "relative", 0.05, 5000),
        sequential(normal_c, normal_t, "absolute", 0.05, 100),
        sequential(normal_c, normal_t, "absolute", 0.01, 20000),
        sequential(small_c, small_t, "absolute", 0.1, 5000),
        sequential(conv_c, conv_t, "relative", 0.05, 4000),
    ],
)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference_bayes_sequential.json")
with open(out, "w") as f:
    json.dump(fixture, f, indent=1, default=float)
    f.write("\n")
print(out)
