using PromoPilot.Core.Customers;

namespace PromoPilot.Features.Clv;

/// <summary>Expected against actual holdout purchases of the customers with one calibration frequency.</summary>
/// <param name="Frequency">Calibration x: "0" … "6", and "7+" for 7 or more.</param>
/// <param name="Customers">Customers in the group.</param>
/// <param name="Expected">Σ E[Y(t*) | x, t_x, T] over the group.</param>
/// <param name="Actual">Σ x* over the group.</param>
public sealed record HoldoutGroup(string Frequency, int Customers, double Expected, long Actual)
{
    /// <summary>Mean expected purchases per customer (the conditional expectation plotted in the literature).</summary>
    public double MeanExpected => Customers == 0 ? 0 : Expected / Customers;

    /// <summary>Mean actual purchases per customer.</summary>
    public double MeanActual => Customers == 0 ? 0 : (double)Actual / Customers;
}

/// <summary>The calibration / holdout validation of a fitted BG/NBD model.</summary>
/// <param name="Customers">Customers with a holdout observation.</param>
/// <param name="Expected">Total expected holdout purchases.</param>
/// <param name="Actual">Total actual holdout purchases.</param>
/// <param name="Groups">The same by calibration frequency 0, 1, …, 6, 7+.</param>
public sealed record HoldoutCheck(int Customers, double Expected, long Actual, IReadOnlyList<HoldoutGroup> Groups)
{
    /// <summary>(Expected − Actual) / Actual; null when there were no actual holdout purchases.</summary>
    public double? RelativeError => Actual == 0 ? null : (Expected - Actual) / Actual;

    /// <summary>
    /// Compares E[Y(t*) | x, t_x, T] with the purchases x* each customer made in the holdout period of length t*
    /// that followed the calibration period, in total and grouped by calibration frequency, as Fader, Hardie &amp; Lee
    /// (2005) do for CDNOW in their conditional-expectation plot.
    /// </summary>
    /// <exception cref="ArgumentException">A customer without <see cref="RepeatPurchaseSummary.HoldoutFrequency"/> and
    /// <see cref="RepeatPurchaseSummary.HoldoutDuration"/>, or with a negative one.</exception>
    public static HoldoutCheck Compute(BgNbdParameters model, IReadOnlyList<RepeatPurchaseSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(customers);
        const int top = 7;
        var count = new int[top + 1];
        var expected = new double[top + 1];
        var actual = new long[top + 1];
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            if (c?.HoldoutFrequency is not { } xStar || c.HoldoutDuration is not { } tStar || xStar < 0 || !double.IsFinite(tStar) || tStar < 0)
            {
                throw new ArgumentException($"{nameof(customers)}[{i}]: the holdout check needs a holdout frequency ≥ 0 and a finite holdout duration ≥ 0 for every customer.", nameof(customers));
            }

            var g = Math.Min(c.Frequency, top);
            count[g]++;
            expected[g] += model.ExpectedPurchases(c, tStar);
            actual[g] += xStar;
        }

        var groups = Enumerable.Range(0, top + 1)
            .Select(g => new HoldoutGroup(g == top ? $"{top}+" : g.ToString(System.Globalization.CultureInfo.InvariantCulture), count[g], expected[g], actual[g]))
            .ToList();
        return new HoldoutCheck(customers.Count, expected.Sum(), actual.Sum(), groups);
    }
}
