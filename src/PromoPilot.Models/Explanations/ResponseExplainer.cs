using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Response;

namespace PromoPilot.Models.Explanations;

/// <summary>One feature's share of one prediction, in the model's raw score (log-odds margin) units.</summary>
public sealed record FeatureContribution(string Feature, double Contribution);

/// <summary>How much a model's quality drops when one feature's values are shuffled across rows.</summary>
/// <param name="Feature">The input feature (all its one-hot slots permuted together).</param>
/// <param name="AucDrop">Mean AUC(original) − AUC(feature shuffled).</param>
/// <param name="AucDropSd">Standard deviation of the drop over the repeats.</param>
/// <param name="LogLossIncrease">Mean log loss(permuted) − log loss(original).</param>
public sealed record FeatureImportance(string Feature, double AucDrop, double AucDropSd, double LogLossIncrease);

/// <summary>Settings of <see cref="ResponseExplainer.PermutationImportance"/>.</summary>
public sealed record PermutationImportanceOptions
{
    /// <summary>Shuffles per feature; the drop is their mean. Default 3.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Seed of the shuffles. Default 0.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// Global explanations of response models: permutation feature importance (Breiman 2001, "Random forests", §10;
/// Fisher, Rudin &amp; Dominici 2019 "model reliance"), shuffling whole input features (a categorical feature's one-hot
/// slots move together) on labelled rows and measuring the drop in AUC and the rise in log loss. Per-prediction
/// contributions are on <see cref="ResponseModel.Contributions"/>.
/// </summary>
public static class ResponseExplainer
{
    /// <returns>One entry per input feature, largest AUC drop first.</returns>
    /// <exception cref="ArgumentException">Labels of another length, or labels that never vary (AUC undefined).</exception>
    public static IReadOnlyList<FeatureImportance> PermutationImportance(ResponseModel model, FeatureTable features, IReadOnlyList<bool> labels, PermutationImportanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new PermutationImportanceOptions();
        ModelArgs.Positive(options.Repeats, nameof(options.Repeats));
        if (labels.Count != features.RowCount)
        {
            throw new ArgumentException($"{labels.Count} labels for {features.RowCount} rows.", nameof(labels));
        }

        if (labels.All(l => l == labels[0]))
        {
            throw new ArgumentException("labels never vary: AUC, and so permutation importance, is undefined.", nameof(labels));
        }

        var baseline = model.PredictProbabilities(features);
        var baseAuc = ClassificationMetrics.Auc(labels, baseline);
        var baseLoss = ClassificationMetrics.LogLoss(labels, baseline);
        var random = new Random(options.Seed);
        var result = new List<FeatureImportance>();
        foreach (var feature in model.Schema)
        {
            var index = features.Columns.ToList().FindIndex(c => c.Name == feature.Name);
            if (index < 0)
            {
                throw new ArgumentException($"feature '{feature.Name}' is missing from the table (the model was trained with it).", nameof(features));
            }

            var drops = new double[options.Repeats];
            var losses = new double[options.Repeats];
            for (var r = 0; r < options.Repeats; r++)
            {
                var order = Enumerable.Range(0, features.RowCount).ToArray();
                random.Shuffle(order);
                var columns = features.Columns.ToArray();
                columns[index] = columns[index].Take(order);
                var p = model.PredictProbabilities(new FeatureTable(columns));
                drops[r] = baseAuc - ClassificationMetrics.Auc(labels, p);
                losses[r] = ClassificationMetrics.LogLoss(labels, p) - baseLoss;
            }

            var mean = drops.Average();
            var sd = drops.Length > 1 ? Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / (drops.Length - 1)) : 0;
            result.Add(new FeatureImportance(feature.Name, mean, sd, losses.Average()));
        }

        return [.. result.OrderByDescending(f => f.AucDrop).ThenBy(f => f.Feature, StringComparer.Ordinal)];
    }
}
