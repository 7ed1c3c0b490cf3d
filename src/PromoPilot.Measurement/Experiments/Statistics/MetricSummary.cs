namespace PromoPilot.Measurement.Experiments.Statistics;

/// <summary>
/// Sufficient statistics of one metric in one variant: unit count, sum and sum of squares.
/// Summaries add: the summary of two disjoint sets of units is the sum of their summaries, so a
/// store query, a stream of events or a day-by-day table all produce the same input to the tests.
/// </summary>
public readonly record struct MetricSummary(long Count, double Sum, double SumOfSquares)
{
    /// <summary>The empty summary (no units).</summary>
    public static MetricSummary Empty => default;

    /// <summary>Relative size below which a centred sum of squares is treated as rounding noise.</summary>
    public const double RelativeRoundingFloor = 1e-12;

    /// <summary>Mean per unit; NaN when there are no units (callers check <see cref="Count"/>).</summary>
    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    /// <summary>
    /// Sample variance with n − 1 in the denominator; 0 for a single unit. Computed from the raw
    /// moments, so a centred sum of squares below <see cref="RelativeRoundingFloor"/> of the raw one
    /// is rounding noise and counts as exactly 0: constant data must read as zero variance.
    /// </summary>
    public double Variance
    {
        get
        {
            if (Count < 2)
            {
                return 0;
            }

            var centred = SumOfSquares - (Sum * Sum / Count);
            return centred <= RelativeRoundingFloor * SumOfSquares ? 0 : centred / (Count - 1);
        }
    }

    /// <summary>Summary of one unit with the given value.</summary>
    public static MetricSummary Of(double value) => new(1, value, value * value);

    /// <summary>Summary of a set of unit values.</summary>
    public static MetricSummary Of(ReadOnlySpan<double> values)
    {
        double sum = 0, sumOfSquares = 0;
        foreach (var value in values)
        {
            sum += value;
            sumOfSquares += value * value;
        }

        return new MetricSummary(values.Length, sum, sumOfSquares);
    }

    /// <summary>Summary of a binary metric: <paramref name="successes"/> of <paramref name="count"/> units had value 1.</summary>
    public static MetricSummary OfProportion(long count, long successes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (successes < 0 || successes > count)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"successes must lie in [0, {count}].");
        }

        return new MetricSummary(count, successes, successes);
    }

    /// <summary>Adds one unit's value.</summary>
    public MetricSummary Add(double value) => new(Count + 1, Sum + value, SumOfSquares + (value * value));

    /// <summary>The summary of the union of two disjoint sets of units.</summary>
    public static MetricSummary operator +(MetricSummary left, MetricSummary right) =>
        new(left.Count + right.Count, left.Sum + right.Sum, left.SumOfSquares + right.SumOfSquares);

    /// <summary>Same as the + operator, for languages without operator overloading.</summary>
    public static MetricSummary Add(MetricSummary left, MetricSummary right) => left + right;

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="name"/> for a negative count or a non-finite sum.</summary>
    internal void ThrowIfInvalid(string name)
    {
        if (Count < 0 || !double.IsFinite(Sum) || !double.IsFinite(SumOfSquares))
        {
            throw new ArgumentException($"{name} must have a non-negative count and finite sums (count {Count}, sum {Sum}, sum of squares {SumOfSquares}).", name);
        }
    }
}
