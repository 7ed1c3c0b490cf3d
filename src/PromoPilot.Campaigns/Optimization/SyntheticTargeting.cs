namespace PromoPilot.Campaigns.Optimization;

/// <summary>
/// Seeded synthetic targeting problems for benchmarks and tests: offers of rising depth (a deeper discount costs more and
/// lifts more, with diminishing returns), users with log-normal responsiveness and basket values, 10% of pairs not
/// eligible, and a budget set to a fraction of what giving every user their most valuable offer would cost.
/// </summary>
public static class SyntheticTargeting
{
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the budget fraction is outside (0, 1].</exception>
    public static TargetingProblem Create(int users, int offers, double budgetFraction, int seed, bool offerLimits = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(offers, 1);
        if (!(budgetFraction > 0 && budgetFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(budgetFraction), budgetFraction, "the budget fraction must lie in (0, 1]");
        }

        var random = new Random(seed);
        var value = new float[(long)users * offers];
        var cost = new float[value.LongLength];
        double fullSpend = 0;
        for (var u = 0; u < users; u++)
        {
            var responsiveness = Math.Exp(Gaussian(random) * 0.8) * 0.05;
            var basket = Math.Exp(3.5 + (Gaussian(random) * 0.6));
            var bestValue = 0.0;
            var bestCost = 0.0;
            for (var o = 0; o < offers; o++)
            {
                var i = ((long)u * offers) + o;
                if (random.NextDouble() < 0.1)
                {
                    value[i] = float.NaN;
                    continue;
                }

                var depth = 0.05 * (o + 1);
                var lift = responsiveness * Math.Sqrt(depth / 0.05) * (0.7 + (0.6 * random.NextDouble()));
                var redemption = Math.Min(0.9, 0.1 + lift * 3);
                cost[i] = (float)(redemption * depth * basket);
                value[i] = (float)((lift * basket * 0.3) - (0.2 * cost[i]));
                if (value[i] > bestValue)
                {
                    (bestValue, bestCost) = (value[i], cost[i]);
                }
            }

            fullSpend += bestCost;
        }

        double[]? offerBudgets = null;
        long[]? offerStock = null;
        if (offerLimits)
        {
            offerBudgets = [.. Enumerable.Range(0, offers).Select(o => fullSpend * budgetFraction / offers * (o % 2 == 0 ? 0.5 : 2.0))];
            offerStock = [.. Enumerable.Range(0, offers).Select(o => (long)Math.Max(1, users / (2.0 * offers)))];
        }

        return new TargetingProblem(users, offers, value, cost, fullSpend * budgetFraction, offerBudgets, offerStock);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
