#!/usr/bin/env python3
"""Reference values for the BG/NBD and Gamma-Gamma tests, computed with mpmath (50 significant digits) from the textbook formulas of
Fader, Hardie & Lee (2005), independently of PromoPilot's stable rewrite.

Run: python3 tests/PromoPilot.Features.Tests/Clv/clv_reference.py   (needs only mpmath; mpmath 1.3.0 was used)
The printed rows are the TheoryData of BgNbdModelTests, HypergeometricTests and GammaGammaModelTests.
"""
from mpmath import mp, mpf, hyp2f1, loggamma, beta, log, exp

mp.dps = 50


def expected(r, alpha, a, b, x, tx, T, t):
    r, alpha, a, b, tx, T, t = map(mpf, (r, alpha, a, b, tx, T, t))
    z = t / (alpha + T + t)
    bracket = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    first = (a + b + x - 1) / (a - 1) * bracket
    odds = 0 if x == 0 else a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)
    return first / (1 + odds)


def p_alive(r, alpha, a, b, x, tx, T):
    r, alpha, a, b, tx, T = map(mpf, (r, alpha, a, b, tx, T))
    odds = 0 if x == 0 else a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)
    return 1 / (1 + odds)


def loglik(r, alpha, a, b, x, tx, T):
    r, alpha, a, b, tx, T = map(mpf, (r, alpha, a, b, tx, T))
    common = exp(loggamma(r + x) - loggamma(r)) * alpha ** r
    l = beta(a, b + x) / beta(a, b) * common / (alpha + T) ** (r + x)
    if x > 0:
        l += beta(a + 1, b + x - 1) / beta(a, b) * common / (alpha + tx) ** (r + x)
    return log(l)


print("// 2F1(a, b; c; z)")
for a, b, c, z in [(1, 1, 2, 0.5), (0.243, 2.426, 2.219, 0.3), (2.243, 4.426, 4.219, 0.5), (-0.5, 0.7, 1.3, 0.9),
                   (3.5, 0.25, 0.5, -0.75), (10, 12, 15.5, 0.8), (0.3, -2, 1.7, 0.99)]:
    print(f"[{a}, {b}, {c}, {z}, {mp.nstr(hyp2f1(a, b, c, z), 17)}],")

print("// E[Y(t) | x, t_x, T] and P(alive): r, alpha, a, b, x, t_x, T, t, E, P")
cases = [
    (0.243, 4.414, 0.793, 2.426, 2, 30.43, 38.86, 39),
    (0.243, 4.414, 0.793, 2.426, 0, 0, 38.86, 39),
    (0.243, 4.414, 0.793, 2.426, 7, 35.0, 37.0, 52),
    (0.243, 4.414, 0.793, 2.426, 150, 300.0, 310.0, 52),
    (1.5, 2.0, 3.2, 1.4, 1, 2.0, 10.0, 5),
    (0.6, 10.0, 1.0 + 1e-9, 3.0, 3, 20.0, 30.0, 26),
    (0.6, 10.0, 0.4, 0.3, 0, 0, 20.0, 26),
    (0.6, 10.0, 0.4, 0.3, 4, 12.0, 20.0, 26),
    (2.0, 0.5, 0.2, 0.9, 5, 1.0, 50.0, 520),
    (0.243, 4.414, 0.793, 2.426, 0, 0, 0, 78),
]
for r, alpha, a, b, x, tx, T, t in cases:
    print(f"[{r}, {alpha}, {a!r}, {b}, {x}, {tx}, {T}, {t}, {mp.nstr(expected(r, alpha, a, b, x, tx, T, t), 17)}, {mp.nstr(p_alive(r, alpha, a, b, x, tx, T), 17)}],")

print("// log-likelihood of one customer: r, alpha, a, b, x, t_x, T, LL")
for r, alpha, a, b, x, tx, T, _ in cases[:5]:
    print(f"[{r}, {alpha}, {a!r}, {b}, {x}, {tx}, {T}, {mp.nstr(loglik(r, alpha, a, b, x, tx, T), 17)}],")


def gg_loglik(p, q, g, x, zbar):
    p, q, g, x, zbar = map(mpf, (p, q, g, x, zbar))
    return (loggamma(p * x + q) - loggamma(p * x) - loggamma(q) + q * log(g) + (p * x - 1) * log(zbar)
            + p * x * log(x) - (p * x + q) * log(g + x * zbar))


def gg_mean(p, q, g, x, zbar):
    p, q, g, x, zbar = map(mpf, (p, q, g, x, zbar))
    return (g + x * zbar) * p / (p * x + q - 1)


print("// Gamma-Gamma: p, q, gamma, x, zbar, ln f(zbar), E[M | x, zbar]")
for p, q, g, x, zbar in [(6.25, 3.74, 15.44, 2, 22.35), (6.25, 3.74, 15.44, 1, 11.77), (0.8, 2.5, 40.0, 12, 3.5)]:
    print(f"[{p}, {q}, {g}, {x}, {zbar}, {mp.nstr(gg_loglik(p, q, g, x, zbar), 17)}, {mp.nstr(gg_mean(p, q, g, x, zbar), 17)}],")
