namespace PromoPilot.Measurement.Monitoring;

/// <summary>
/// What monitoring needs to remember about a model from its training: the distribution of each input feature and of
/// its score on the training data (quantile bins, not the data), and its reliability table there. Saved beside the
/// model when it is trained; recent data is compared with it.
/// </summary>
/// <param name="Features">One reference distribution per input feature.</param>
/// <param name="Score">The reference distribution of the model's score (e.g. predicted uplift).</param>
/// <param name="Calibration">The reliability table of the model's probabilities on its training data; null when it predicts none.</param>
/// <param name="Rows">Training rows summarized.</param>
public sealed record ModelReference(IReadOnlyList<ReferenceDistribution> Features, ReferenceDistribution Score, ReliabilityTable? Calibration, long Rows)
{
    /// <summary>Summarizes training data: each feature column and the scores into quantile bins; the calibration table when given.</summary>
    /// <param name="features">Feature name → values per training row.</param>
    /// <param name="scores">The model's score per training row.</param>
    /// <param name="calibration">The reliability table on the training rows, if the model predicts probabilities.</param>
    /// <param name="options">Binning options.</param>
    /// <exception cref="ArgumentException">A column's length differs from the scores', or a column has no finite value.</exception>
    public static ModelReference Summarize(
        IReadOnlyDictionary<string, IReadOnlyList<double>> features, IReadOnlyList<double> scores, ReliabilityTable? calibration, PsiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(scores);
        var distributions = new List<ReferenceDistribution>(features.Count);
        foreach (var (name, values) in features.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (values.Count != scores.Count)
            {
                throw new ArgumentException($"feature '{name}' has {values.Count} values for {scores.Count} scores.", nameof(features));
            }

            distributions.Add(ReferenceDistribution.FromSample(name, values, options));
        }

        return new ModelReference(distributions, ReferenceDistribution.FromSample("score", scores, options), calibration, scores.Count);
    }
}
