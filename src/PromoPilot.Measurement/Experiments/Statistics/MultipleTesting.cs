namespace PromoPilot.Measurement.Experiments.Statistics;

/// <summary>
/// Adjusted p-values for a family of tests (several metrics or several arms of one experiment),
/// returned in the order given. Compare each adjusted p-value with α as usual.
/// </summary>
public static class MultipleTesting
{
    /// <summary>
    /// Holm's step-down adjustment (Holm 1979), controlling the family-wise error rate: with p-values
    /// sorted ascending, p̃(i) = max over j ≤ i of min(1, (m − j + 1)·p(j)). Matches
    /// statsmodels.stats.multitest.multipletests(method="holm").
    /// </summary>
    /// <exception cref="ArgumentException">A p-value outside [0, 1] or NaN.</exception>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        var (sorted, order) = Sort(pValues);
        var m = sorted.Length;
        var adjusted = new double[m];
        var running = 0.0;
        for (var i = 0; i < m; i++)
        {
            running = Math.Max(running, Math.Min(1, (m - i) * sorted[i]));
            adjusted[order[i]] = running;
        }

        return adjusted;
    }

    /// <summary>
    /// Benjamini–Hochberg step-up adjustment (Benjamini &amp; Hochberg 1995), controlling the false
    /// discovery rate for independent or positively dependent tests: with p-values sorted ascending,
    /// p̃(i) = min over j ≥ i of min(1, m·p(j) / j). Matches multipletests(method="fdr_bh").
    /// </summary>
    /// <exception cref="ArgumentException">A p-value outside [0, 1] or NaN.</exception>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        var (sorted, order) = Sort(pValues);
        var m = sorted.Length;
        var adjusted = new double[m];
        var running = 1.0;
        for (var i = m - 1; i >= 0; i--)
        {
            running = Math.Min(running, m * sorted[i] / (i + 1));
            adjusted[order[i]] = running;
        }

        return adjusted;
    }

    private static (double[] Sorted, int[] Order) Sort(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        if (pValues.Any(p => !(p >= 0 && p <= 1)))
        {
            throw new ArgumentException("p-values must lie in [0, 1].", nameof(pValues));
        }

        var sorted = pValues.ToArray();
        var order = Enumerable.Range(0, sorted.Length).ToArray();
        Array.Sort(sorted, order);
        return (sorted, order);
    }
}
