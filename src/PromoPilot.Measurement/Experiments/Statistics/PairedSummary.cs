namespace PromoPilot.Measurement.Experiments.Statistics;

/// <summary>
/// Sufficient statistics of two per-unit quantities X and Y in one variant: count, sums, sums of
/// squares and the cross-product. Used for CUPED (Y = metric, X = pre-period covariate) and for
/// ratio metrics (Y = numerator such as revenue, X = denominator such as visits). Addable like
/// <see cref="MetricSummary"/>.
/// </summary>
public readonly record struct PairedSummary(
    long Count, double SumX, double SumY, double SumXX, double SumYY, double SumXY)
{
    /// <summary>The empty summary (no units).</summary>
    public static PairedSummary Empty => default;

    /// <summary>The marginal summary of X.</summary>
    public MetricSummary X => new(Count, SumX, SumXX);

    /// <summary>The marginal summary of Y.</summary>
    public MetricSummary Y => new(Count, SumY, SumYY);

    /// <summary>Sample covariance of X and Y (n − 1 denominator); 0 below two units.</summary>
    public double Covariance => Count < 2 ? 0 : (SumXY - (SumX * SumY / Count)) / (Count - 1);

    /// <summary>Summary of one unit with values (x, y).</summary>
    public static PairedSummary Of(double x, double y) => new(1, x, y, x * x, y * y, x * y);

    /// <summary>Adds one unit's pair of values.</summary>
    public PairedSummary Add(double x, double y) =>
        new(Count + 1, SumX + x, SumY + y, SumXX + (x * x), SumYY + (y * y), SumXY + (x * y));

    /// <summary>The summary of the union of two disjoint sets of units.</summary>
    public static PairedSummary operator +(PairedSummary left, PairedSummary right) =>
        new(left.Count + right.Count, left.SumX + right.SumX, left.SumY + right.SumY,
            left.SumXX + right.SumXX, left.SumYY + right.SumYY, left.SumXY + right.SumXY);

    /// <summary>Same as the + operator, for languages without operator overloading.</summary>
    public static PairedSummary Add(PairedSummary left, PairedSummary right) => left + right;

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="name"/> for a negative count or a non-finite sum.</summary>
    internal void ThrowIfInvalid(string name)
    {
        X.ThrowIfInvalid(name);
        Y.ThrowIfInvalid(name);
        if (!double.IsFinite(SumXY))
        {
            throw new ArgumentException($"{name} must have a finite sum of cross-products.", name);
        }
    }
}
