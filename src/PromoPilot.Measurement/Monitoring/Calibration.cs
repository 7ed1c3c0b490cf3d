namespace PromoPilot.Measurement.Monitoring;

/// <summary>One bin of a reliability table: predictions in [Low, High) (the last bin includes 1).</summary>
/// <param name="Low">Lower bound of the predicted probability.</param>
/// <param name="High">Upper bound of the predicted probability.</param>
/// <param name="Count">Predictions in the bin.</param>
/// <param name="MeanPredicted">Mean predicted probability in the bin (the bin's midpoint when empty).</param>
/// <param name="ObservedRate">Share of positive outcomes in the bin (0 when empty).</param>
public sealed record ReliabilityBin(double Low, double High, long Count, double MeanPredicted, double ObservedRate);

/// <summary>
/// A reliability table (calibration plot data): predictions grouped into equal-width probability bins, each with
/// its mean prediction and observed outcome rate, and the expected calibration error
/// ECE = Σ_b (n_b / N) · |observed_b − predicted_b| (Naeini, Cooper &amp; Hauskrecht 2015, "Obtaining well calibrated
/// probabilities using Bayesian binning"; Guo et al. 2017, "On calibration of modern neural networks").
/// </summary>
/// <param name="Bins">The bins, low to high.</param>
/// <param name="Count">Predictions in all bins.</param>
/// <param name="Ece">Expected calibration error, in [0, 1].</param>
/// <param name="MeanPredicted">Mean prediction overall.</param>
/// <param name="ObservedRate">Positive rate overall.</param>
public sealed record ReliabilityTable(IReadOnlyList<ReliabilityBin> Bins, long Count, double Ece, double MeanPredicted, double ObservedRate)
{
    /// <summary>Default number of bins.</summary>
    public const int DefaultBins = 10;

    /// <summary>The bin edges of this table (from 0 to 1), to build a comparable table on other data.</summary>
    public IReadOnlyList<double> Edges => [.. Bins.Select(b => b.Low).Append(1.0)];

    /// <summary>Builds the table from predicted probabilities and 0/1 outcomes, in <paramref name="bins"/> equal-width bins over [0, 1].</summary>
    /// <exception cref="ArgumentException">Lengths differ, no prediction, a prediction outside [0, 1] or not finite, or fewer than 2 bins.</exception>
    public static ReliabilityTable Compute(IReadOnlyList<double> predicted, IReadOnlyList<bool> outcomes, int bins = DefaultBins)
    {
        if (bins < 2)
        {
            throw new ArgumentException($"bins must be at least 2, not {bins}.", nameof(bins));
        }

        return Compute(predicted, outcomes, [.. Enumerable.Range(0, bins + 1).Select(b => b / (double)bins)]);
    }

    /// <summary>
    /// Equal-mass bin edges (0, the k/bins quantiles of the predictions with repeats merged, 1): every bin holds about the
    /// same number of predictions, so a model whose probabilities are all small (a 1% conversion rate) still gets a
    /// table with many bins ("adaptive" ECE; Nixon et al. 2019, "Measuring calibration in deep learning").
    /// </summary>
    /// <exception cref="ArgumentException">No prediction, one outside [0, 1], or fewer than 2 bins.</exception>
    public static IReadOnlyList<double> EqualMassEdges(IReadOnlyList<double> predicted, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        if (bins < 2)
        {
            throw new ArgumentException($"bins must be at least 2, not {bins}.", nameof(bins));
        }

        if (predicted.Count == 0 || predicted.Any(p => !(p is >= 0 and <= 1)))
        {
            throw new ArgumentException("equal-mass edges need at least one prediction, each in [0, 1].", nameof(predicted));
        }

        var sorted = predicted.Order().ToArray();
        var edges = new List<double> { 0 };
        for (var k = 1; k < bins; k++)
        {
            var q = ReferenceDistribution.Quantile(sorted, k / (double)bins);
            if (q > edges[^1] && q < 1)
            {
                edges.Add(q);
            }
        }

        edges.Add(1);
        return edges;
    }

    /// <summary>
    /// Builds the table on given bin edges (0 = e₀ &lt; e₁ &lt; … &lt; e_B = 1; bin b holds eᵦ ≤ p &lt; eᵦ₊₁, the last bin
    /// includes 1): a recent table is built on the edges of the training table (<see cref="Edges"/>) so the two compare bin by bin.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, no prediction, a prediction outside [0, 1] or not finite, or edges not strictly increasing from 0 to 1 with at least 2 bins.</exception>
    public static ReliabilityTable Compute(IReadOnlyList<double> predicted, IReadOnlyList<bool> outcomes, IReadOnlyList<double> edges)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(edges);
        if (predicted.Count != outcomes.Count)
        {
            throw new ArgumentException($"{predicted.Count} predictions but {outcomes.Count} outcomes.", nameof(outcomes));
        }

        if (predicted.Count == 0)
        {
            throw new ArgumentException("no predictions to build a reliability table from.", nameof(predicted));
        }

        if (edges.Count < 3 || edges[0] != 0 || edges[^1] != 1 || edges.Zip(edges.Skip(1)).Any(p => !(p.First < p.Second)))
        {
            throw new ArgumentException($"bin edges must rise strictly from 0 to 1 with at least 2 bins, not [{string.Join(", ", edges)}].", nameof(edges));
        }

        var cuts = edges.ToArray();
        var bins = cuts.Length - 1;
        var n = new long[bins];
        var sumP = new double[bins];
        var positives = new long[bins];
        for (var i = 0; i < predicted.Count; i++)
        {
            var p = predicted[i];
            if (!(p is >= 0 and <= 1))
            {
                throw new ArgumentException($"prediction {i} is {p}: probabilities must lie in [0, 1].", nameof(predicted));
            }

            var found = Array.BinarySearch(cuts, p);
            var b = Math.Min(found >= 0 ? found : ~found - 1, bins - 1);
            n[b]++;
            sumP[b] += p;
            positives[b] += outcomes[i] ? 1 : 0;
        }

        var table = new List<ReliabilityBin>(bins);
        var ece = 0.0;
        for (var b = 0; b < bins; b++)
        {
            var low = cuts[b];
            var high = cuts[b + 1];
            var mean = n[b] > 0 ? sumP[b] / n[b] : (low + high) / 2;
            var rate = n[b] > 0 ? positives[b] / (double)n[b] : 0;
            table.Add(new ReliabilityBin(low, high, n[b], mean, rate));
            ece += n[b] / (double)predicted.Count * Math.Abs(rate - mean);
        }

        return new ReliabilityTable(table, predicted.Count, ece, sumP.Sum() / predicted.Count, positives.Sum() / (double)predicted.Count);
    }
}

/// <summary>Options of <see cref="CalibrationDrift"/>.</summary>
public sealed record CalibrationDriftOptions
{
    /// <summary>Recent ECE exceeding the training ECE by this much (absolute) is a warning. Default 0.02.</summary>
    public double Warn { get; init; } = 0.02;

    /// <summary>Recent ECE exceeding the training ECE by this much (absolute) is an alert. Default 0.05.</summary>
    public double Alert { get; init; } = 0.05;

    /// <summary>Fewer recent predictions than this give no status (too noisy to judge). Default 100.</summary>
    public int MinimumCount { get; init; } = 100;
}

/// <summary>How a model's calibration on recent outcomes compares with its calibration at training time.</summary>
/// <param name="Reference">The reliability table saved at training time.</param>
/// <param name="Recent">The reliability table of recent predictions against their outcomes.</param>
/// <param name="EceIncrease">Recent ECE − reference ECE (negative: better calibrated than at training).</param>
/// <param name="CalibrationInLarge">Recent mean prediction − recent positive rate (positive: the model over-predicts).</param>
/// <param name="Status">Ok, warn or alert; null when the recent sample is under the minimum count.</param>
public sealed record CalibrationDriftResult(ReliabilityTable Reference, ReliabilityTable Recent, double EceIncrease, double CalibrationInLarge, DriftStatus? Status);

/// <summary>
/// Calibration drift: the expected calibration error of recent predictions against the one measured when the model
/// was trained. ECE is not zero even for a perfectly calibrated model on a finite sample, so the status is judged on
/// the increase over the training-time ECE (thresholds in <see cref="CalibrationDriftOptions"/>).
/// </summary>
public static class CalibrationDrift
{
    /// <exception cref="ArgumentException">The tables have different bin counts, or the thresholds are not 0 &lt; Warn ≤ Alert.</exception>
    public static CalibrationDriftResult Compare(ReliabilityTable reference, ReliabilityTable recent, CalibrationDriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(recent);
        options ??= new CalibrationDriftOptions();
        if (!(options.Warn > 0 && options.Alert >= options.Warn))
        {
            throw new ArgumentException($"thresholds must satisfy 0 < Warn ≤ Alert, not Warn {options.Warn}, Alert {options.Alert}.", nameof(options));
        }

        if (!reference.Edges.SequenceEqual(recent.Edges))
        {
            throw new ArgumentException($"the reference has {reference.Bins.Count} bins, the recent table {recent.Bins.Count} on other edges: build the recent table on reference.Edges.", nameof(recent));
        }

        var increase = recent.Ece - reference.Ece;
        DriftStatus? status = recent.Count < options.MinimumCount ? null
            : increase >= options.Alert ? DriftStatus.Alert
            : increase >= options.Warn ? DriftStatus.Warn
            : DriftStatus.Ok;
        return new CalibrationDriftResult(reference, recent, increase, recent.MeanPredicted - recent.ObservedRate, status);
    }
}
