namespace PromoPilot.Features.Clv;

/// <summary>
/// The Gaussian hypergeometric function 2F1(a, b; c; z) by its power series, and the numerically stable form of it
/// that the BG/NBD conditional expectation needs.
/// </summary>
/// <remarks>
/// <para>2F1(a, b; c; z) = Σ_{n≥0} (a)_n (b)_n / ((c)_n n!) zⁿ, with (q)_n the rising factorial. Each term is the
/// previous one times (a+n)(b+n) z / ((c+n)(n+1)), so no factorial is ever formed. The series converges for |z| &lt; 1.
/// Convergence check: after each term, ρ = |z| · max(|a+m|/(c+m), 1) · max(|b+m|/(m+1), 1) at the next index m
/// bounds the ratio of every later pair of terms (both factors are monotone in m and tend to 1, once c+m &gt; 0), so
/// when ρ &lt; 1 the rest of the series is at most |term|·ρ/(1−ρ); summation stops when that bound is below
/// <see cref="RelativeTolerance"/> of the sum. A series that needs more than <see cref="MaxTerms"/> terms (|z| within
/// about 4·10⁻⁵ of 1) is refused with an exception rather than returned inaccurate.</para>
/// <para>References: Abramowitz &amp; Stegun 15.1.1 (series), 15.3.3 (Euler's transformation, used by
/// <see cref="BgNbdTail"/>).</para>
/// </remarks>
public static class Hypergeometric
{
    /// <summary>Summation stops when the bound on the remaining terms is below this fraction of the sum.</summary>
    public const double RelativeTolerance = 1e-15;

    /// <summary>The most terms summed before giving up (|z| very close to 1).</summary>
    public const int MaxTerms = 1_000_000;

    /// <summary>2F1(a, b; c; z) for |z| &lt; 1 by its power series.</summary>
    /// <exception cref="ArgumentOutOfRangeException">|z| ≥ 1, or c is 0 or a negative integer (the series is undefined).</exception>
    /// <exception cref="InvalidOperationException">The series did not converge within <see cref="MaxTerms"/> terms.</exception>
    public static double Series2F1(double a, double b, double c, double z)
    {
        if (!double.IsFinite(z) || Math.Abs(z) >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "the 2F1 series converges only for |z| < 1");
        }

        if (c <= 0 && c == Math.Floor(c))
        {
            throw new ArgumentOutOfRangeException(nameof(c), c, "2F1 is undefined when c is 0 or a negative integer");
        }

        return 1 + SumSeries(a * b * z / c, a, b, c, z);
    }

    /// <summary>
    /// The tail of a hypergeometric-type series: Σ_{n≥1} term_n, with term_1 = <paramref name="first"/> and
    /// term_{n+1} = term_n · (p+n)(q+n)·z / ((s+n)(n+1)).
    /// </summary>
    internal static double SumSeries(double first, double p, double q, double s, double z)
    {
        var term = first;
        var sum = first;
        if (term == 0)
        {
            return 0;
        }

        for (var n = 1; n < MaxTerms; n++)
        {
            term *= (p + n) * (q + n) * z / ((s + n) * (n + 1));
            sum += term;
            if (!double.IsFinite(sum))
            {
                throw new InvalidOperationException($"hypergeometric series overflowed (p={p}, q={q}, s={s}, z={z})");
            }

            // For m > n the ratio (p+m)(q+m)z/((s+m)(m+1)) is a product of two factors monotone in m that tend to 1,
            // so |ratio| ≤ ρ = |z|·max(|p+n+1|/|s+n+1|, 1)·max(|q+n+1|/(n+2), 1) and the rest of the series is at most |term|·ρ/(1−ρ).
            var m = n + 1;
            if (s + m > 0)
            {
                var rho = Math.Abs(z) * Math.Max(Math.Abs(p + m) / (s + m), 1) * Math.Max(Math.Abs(q + m) / (m + 1), 1);
                if (rho < 1 && (term == 0 || Math.Abs(term) * rho / (1 - rho) <= RelativeTolerance * Math.Abs(sum)))
                {
                    return sum;
                }
            }
        }

        throw new InvalidOperationException($"hypergeometric series did not converge in {MaxTerms} terms (z={z}); use a shorter horizon");
    }

    /// <summary>
    /// c·(1 − G)/(a − 1) for the BG/NBD conditional expectation, where c = a+b+x−1 and
    /// G = ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z), z = t/(α+T+t).
    /// </summary>
    /// <remarks>
    /// Euler's transformation gives G = (1−z)^(a−1) · 2F1(a+b−1−r, a−1; c; z), whose series starts with 1 and has a
    /// factor (a−1) in every later term. Dividing it out analytically gives
    /// c(1−G)/(a−1) = c·E − (1−z)^(a−1)·U, with E = (1 − (1−z)^(a−1))/(a−1) (→ −ln(1−z) as a → 1, computed with an
    /// accurate expm1) and U = Σ_{n≥1} (A)_n (a)_{n−1} zⁿ / ((c+1)_{n−1} n!), A = a+b−1−r. This form has no
    /// cancellation near a = 1, no pole when a+b+x−1 is near 0 (x = 0, a+b &lt; 1), and its terms stay small for large x,
    /// where the textbook 2F1(r+x, b+x; …) grows like (1−z)^(−(r+x)).
    /// </remarks>
    internal static double BgNbdTail(double r, double alpha, double a, double b, int x, double age, double t)
    {
        var lnOneMinusZ = Math.Log(alpha + age) - Math.Log(alpha + age + t);
        var z = t / (alpha + age + t);
        var c = a + b + x - 1;
        var u = (a - 1) * lnOneMinusZ;
        var e = Math.Abs(a - 1) < 1e-300 ? -lnOneMinusZ : -ExpM1(u) / (a - 1);
        var big = a + b - 1 - r;
        var series = SumSeries(big * z, big, a - 1, c, z);
        return (c * e) - (Math.Exp(u) * series);
    }

    /// <summary>eˣ − 1 accurate for small x (Kahan's method; .NET's double.ExpM1 is computed as Exp(x) − 1).</summary>
    internal static double ExpM1(double x)
    {
        var y = Math.Exp(x);
        if (y == 1)
        {
            return x;
        }

        var ym1 = y - 1;
        return ym1 == -1 ? -1 : ym1 * x / Math.Log(y);
    }
}
