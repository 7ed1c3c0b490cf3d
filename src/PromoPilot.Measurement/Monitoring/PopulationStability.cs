using System.Globalization;

namespace PromoPilot.Measurement.Monitoring;

/// <summary>How far a monitored quantity has moved: within bounds, worth a look, or worth acting on.</summary>
public enum DriftStatus
{
    /// <summary>Below the warning threshold.</summary>
    Ok,

    /// <summary>At or above the warning threshold, below the alert threshold.</summary>
    Warn,

    /// <summary>At or above the alert threshold.</summary>
    Alert,
}

/// <summary>Options of <see cref="PopulationStability"/>.</summary>
public sealed record PsiOptions
{
    /// <summary>Quantile bins cut from the reference sample, ≥ 2. Default 10 (deciles).</summary>
    public int Bins { get; init; } = 10;

    /// <summary>
    /// Floor on a bin's share before the logarithm, so an empty bin (in either sample) gives a large but finite term,
    /// in (0, 0.1). Default 1e-4.
    /// </summary>
    public double Epsilon { get; init; } = 1e-4;

    /// <summary>PSI at or above this is <see cref="DriftStatus.Warn"/>. Default 0.1 (the usual "some shift" rule of thumb).</summary>
    public double Warn { get; init; } = 0.1;

    /// <summary>PSI at or above this is <see cref="DriftStatus.Alert"/>. Default 0.25 (the usual "major shift" rule of thumb).</summary>
    public double Alert { get; init; } = 0.25;

    internal void Validate()
    {
        if (Bins < 2)
        {
            throw new ArgumentException($"Bins must be at least 2, not {Bins}.", nameof(Bins));
        }

        if (!(Epsilon is > 0 and < 0.1))
        {
            throw new ArgumentException($"Epsilon must lie in (0, 0.1), not {Epsilon}.", nameof(Epsilon));
        }

        if (!(Warn > 0 && Alert >= Warn && double.IsFinite(Alert)))
        {
            throw new ArgumentException($"thresholds must satisfy 0 < Warn ≤ Alert, not Warn {Warn}, Alert {Alert}.", nameof(Warn));
        }
    }

    /// <summary>The status of a PSI value under these thresholds.</summary>
    public DriftStatus StatusOf(double psi) => psi >= Alert ? DriftStatus.Alert : psi >= Warn ? DriftStatus.Warn : DriftStatus.Ok;
}

/// <summary>
/// The training-time summary of one quantity's distribution: the interior bin edges (quantiles of the reference
/// sample, duplicates removed) and the share of the reference in each bin. Bin i holds values x with
/// edge[i−1] &lt; x ≤ edge[i] (the first bin is open below, the last open above), so there are Edges.Count + 1 bins.
/// This is what is saved with a model; the sample itself is not kept.
/// </summary>
/// <param name="Name">The feature (or "score").</param>
/// <param name="Edges">Interior cut points, strictly increasing (may be empty: a constant reference has one bin).</param>
/// <param name="Shares">Reference share per bin (Edges.Count + 1 values summing to 1).</param>
/// <param name="Count">Finite values in the reference sample.</param>
/// <param name="Missing">Non-finite values (NaN, ±∞) in the reference sample, not binned.</param>
public sealed record ReferenceDistribution(string Name, IReadOnlyList<double> Edges, IReadOnlyList<double> Shares, long Count, long Missing = 0)
{
    /// <summary>
    /// Cuts <paramref name="options"/>.Bins quantile bins from a reference sample: the cut points are the k/Bins
    /// quantiles (k = 1 … Bins−1, linear interpolation between order statistics, numpy's default "linear" method),
    /// with repeated cut points merged (a binary feature gets two bins).
    /// </summary>
    /// <exception cref="ArgumentException">The sample has no finite value, or the options are invalid.</exception>
    public static ReferenceDistribution FromSample(string name, IReadOnlyList<double> sample, PsiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(sample);
        options ??= new PsiOptions();
        options.Validate();
        var finite = sample.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            throw new ArgumentException($"the reference sample of '{name}' has no finite value ({sample.Count} values).", nameof(sample));
        }

        Array.Sort(finite);
        var edges = new List<double>(options.Bins - 1);
        for (var k = 1; k < options.Bins; k++)
        {
            var q = Quantile(finite, k / (double)options.Bins);
            if (edges.Count == 0 || q > edges[^1])
            {
                edges.Add(q);
            }
        }

        // The top cut point can equal the maximum: then the last bin would be empty by construction; drop it.
        if (edges.Count > 0 && edges[^1] >= finite[^1])
        {
            edges.RemoveAt(edges.Count - 1);
        }

        var counts = PopulationStability.Count(edges, finite);
        return new ReferenceDistribution(name, edges, [.. counts.Select(c => c / (double)finite.Length)], finite.Length, sample.Count - finite.Length);
    }

    /// <summary>The p-quantile of sorted values by linear interpolation between order statistics (Hyndman &amp; Fan type 7).</summary>
    internal static double Quantile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}

/// <summary>One bin of a PSI comparison.</summary>
/// <param name="Low">Lower edge (exclusive; −∞ for the first bin).</param>
/// <param name="High">Upper edge (inclusive; +∞ for the last bin).</param>
/// <param name="ReferenceShare">Share of the reference in the bin.</param>
/// <param name="RecentShare">Share of the recent sample in the bin.</param>
/// <param name="Term">(recent − reference) · ln(recent / reference), both floored at epsilon.</param>
public sealed record PsiBin(double Low, double High, double ReferenceShare, double RecentShare, double Term);

/// <summary>The population stability index of one quantity: recent sample against its training reference.</summary>
/// <param name="Name">The feature (or "score").</param>
/// <param name="Psi">Σ over bins of (a − e) ln(a / e), a = recent share, e = reference share (each floored at epsilon).</param>
/// <param name="Status">Ok, warn or alert under the options' thresholds.</param>
/// <param name="RecentCount">Finite values in the recent sample.</param>
/// <param name="RecentMissing">Non-finite values in the recent sample (not binned).</param>
/// <param name="Bins">Per-bin shares and terms.</param>
public sealed record PsiResult(string Name, double Psi, DriftStatus Status, long RecentCount, long RecentMissing, IReadOnlyList<PsiBin> Bins);

/// <summary>
/// Population stability index (PSI): how much a distribution has moved from the one a model was trained on.
/// PSI = Σᵢ (aᵢ − eᵢ) ln(aᵢ / eᵢ) over quantile bins of the reference, where eᵢ and aᵢ are the reference and
/// recent shares; it is the symmetrized Kullback–Leibler divergence (Jeffreys divergence) of the binned
/// distributions. Thresholds follow the credit-scoring convention (Siddiqi 2006, "Credit Risk Scorecards", ch. 8;
/// Yurdakul 2018, "Statistical properties of the population stability index"): below 0.1 no significant shift,
/// 0.1–0.25 some shift (warn), 0.25 or more a major shift (alert).
/// </summary>
public static class PopulationStability
{
    /// <summary>Compares a recent sample with a saved reference.</summary>
    /// <exception cref="ArgumentException">The recent sample has no finite value, the reference's shares do not match its edges, or the options are invalid.</exception>
    public static PsiResult Compute(ReferenceDistribution reference, IReadOnlyList<double> recent, PsiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(recent);
        options ??= new PsiOptions();
        options.Validate();
        if (reference.Shares.Count != reference.Edges.Count + 1)
        {
            throw new ArgumentException($"reference '{reference.Name}' has {reference.Edges.Count} edges but {reference.Shares.Count} shares (expected edges + 1).", nameof(reference));
        }

        var finite = recent.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            throw new ArgumentException($"the recent sample of '{reference.Name}' has no finite value ({recent.Count} values).", nameof(recent));
        }

        var counts = Count(reference.Edges, finite);
        var bins = new List<PsiBin>(counts.Length);
        var psi = 0.0;
        for (var i = 0; i < counts.Length; i++)
        {
            var e = Math.Max(reference.Shares[i], options.Epsilon);
            var a = Math.Max(counts[i] / (double)finite.Length, options.Epsilon);
            var term = (a - e) * Math.Log(a / e);
            psi += term;
            bins.Add(new PsiBin(
                i == 0 ? double.NegativeInfinity : reference.Edges[i - 1],
                i == counts.Length - 1 ? double.PositiveInfinity : reference.Edges[i],
                reference.Shares[i],
                counts[i] / (double)finite.Length,
                term));
        }

        return new PsiResult(reference.Name, psi, options.StatusOf(psi), finite.Length, recent.Count - finite.Length, bins);
    }

    /// <summary>Counts per bin: bin i = number of edges strictly below x (so edge[i−1] &lt; x ≤ edge[i]).</summary>
    internal static long[] Count(IReadOnlyList<double> edges, IEnumerable<double> values)
    {
        var sorted = edges as double[] ?? [.. edges];
        var counts = new long[sorted.Length + 1];
        foreach (var v in values)
        {
            var i = Array.BinarySearch(sorted, v);
            // Exact hit at i: x = edge[i] belongs to bin i; a miss returns ~(first edge greater than x) = edges below x.
            counts[i >= 0 ? FirstEqual(sorted, i) : ~i]++;
        }

        return counts;
    }

    private static int FirstEqual(double[] sorted, int i)
    {
        while (i > 0 && sorted[i - 1] == sorted[i])
        {
            i--;
        }

        return i;
    }

    /// <summary>A PSI value as text with three decimals (for tables and labels).</summary>
    public static string Format(double psi) => psi.ToString("0.000", CultureInfo.InvariantCulture);
}
