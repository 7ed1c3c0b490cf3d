using MathNet.Numerics.Distributions;
using PromoPilot.Core.Customers;

namespace PromoPilot.Features.Tests.Clv;

/// <summary>Customers drawn from the BG/NBD and Gamma-Gamma generative stories with a seeded Random.</summary>
internal static class Simulation
{
    /// <summary>
    /// BG/NBD (Fader, Hardie &amp; Lee 2005, section 2): λ ~ Gamma(r, rate α), p ~ Beta(a, b); purchases follow a
    /// Poisson process of rate λ from the first purchase at 0; after each repeat purchase the customer drops out with
    /// probability p. Each customer is observed for T ~ Uniform(minAge, maxAge); the holdout counts purchases in
    /// (T, T + holdout].
    /// </summary>
    public static List<RepeatPurchaseSummary> BgNbd(int customers, double r, double alpha, double a, double b, int seed, double minAge = 30, double maxAge = 78, double holdout = 0)
    {
        var random = new Random(seed);
        var rows = new List<RepeatPurchaseSummary>(customers);
        for (var i = 0; i < customers; i++)
        {
            var lambda = Gamma.Sample(random, r, alpha);
            var p = Beta.Sample(random, a, b);
            var age = minAge + ((maxAge - minAge) * random.NextDouble());
            int x = 0, xHoldout = 0;
            double t = 0, recency = 0;
            while (true)
            {
                t += Exponential.Sample(random, lambda);
                if (t > age + holdout)
                {
                    break;
                }

                if (t <= age)
                {
                    x++;
                    recency = t;
                }
                else
                {
                    xHoldout++;
                }

                if (random.NextDouble() < p)
                {
                    break;
                }
            }

            rows.Add(holdout > 0
                ? new RepeatPurchaseSummary(x, recency, age, HoldoutFrequency: xHoldout, HoldoutDuration: holdout)
                : new RepeatPurchaseSummary(x, recency, age));
        }

        return rows;
    }

    /// <summary>
    /// Gamma-Gamma (Fader, Hardie &amp; Lee 2005, "RFM and CLV"): ν ~ Gamma(q, rate γ) per customer, each of x
    /// transaction values ~ Gamma(p, rate ν), x ~ Uniform{1..maxX}; zbar is their mean.
    /// </summary>
    public static List<RepeatPurchaseSummary> GammaGamma(int customers, double p, double q, double gamma, int seed, int maxX = 10)
    {
        var random = new Random(seed);
        var rows = new List<RepeatPurchaseSummary>(customers);
        for (var i = 0; i < customers; i++)
        {
            var nu = Gamma.Sample(random, q, gamma);
            var x = random.Next(1, maxX + 1);
            double sum = 0;
            for (var j = 0; j < x; j++)
            {
                sum += Gamma.Sample(random, p, nu);
            }

            rows.Add(new RepeatPurchaseSummary(x, 1, 1, sum / x));
        }

        return rows;
    }
}
