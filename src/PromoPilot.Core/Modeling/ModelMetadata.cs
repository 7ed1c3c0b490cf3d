namespace PromoPilot.Core.Modeling;

/// <summary>One input feature of a trained model: its name and whether it is categorical (else numeric).</summary>
public sealed record ModelFeature(string Name, bool Categorical);

/// <summary>
/// What a saved model was trained on and how: the facts the model registry keeps beside the model file, and the
/// feature schema a caller's data must match before the model may score it.
/// </summary>
/// <param name="Name">Registry name, e.g. "coupon-response".</param>
/// <param name="Kind">Model family, e.g. "response" or "uplift".</param>
/// <param name="Learner">Algorithm, e.g. "lightgbm".</param>
/// <param name="Features">Input features in training order.</param>
/// <param name="DataDescription">Which data trained it (file, dataset, query).</param>
/// <param name="DataFrom">Earliest event time in the training data, when known.</param>
/// <param name="DataTo">Latest event time in the training data, when known.</param>
/// <param name="Parameters">Training parameters as text (learning rate, leaves ...).</param>
/// <param name="Metrics">Evaluation metrics (auc, logloss ...).</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Version">Version in the registry (1, 2, ...); 0 before it is registered.</param>
/// <param name="CreatedAt">When it was registered (from the registry's TimeProvider).</param>
public sealed record ModelMetadata(
    string Name,
    string Kind,
    string Learner,
    IReadOnlyList<ModelFeature> Features,
    string DataDescription,
    DateTimeOffset? DataFrom,
    DateTimeOffset? DataTo,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, double> Metrics,
    int Seed,
    int Version = 0,
    DateTimeOffset CreatedAt = default)
{
    /// <summary>Refuses data whose features differ from the model's: names, order-free, and kinds.</summary>
    /// <exception cref="ModelSchemaException">A feature is missing, unexpected, or changed kind; the message lists each.</exception>
    public void CheckSchema(IReadOnlyList<ModelFeature> actual) => ModelSchema.Check($"model '{Name}' v{Version}", Features, actual);
}

/// <summary>The data's features do not match the features a model was trained on.</summary>
public sealed class ModelSchemaException : InvalidOperationException
{
    public ModelSchemaException(string message)
        : base(message)
    {
    }

    public ModelSchemaException()
    {
    }

    public ModelSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Feature-schema comparison shared by model loading and the registry.</summary>
public static class ModelSchema
{
    /// <exception cref="ModelSchemaException">The schemas differ; the message names every difference.</exception>
    public static void Check(string what, IReadOnlyList<ModelFeature> trained, IReadOnlyList<ModelFeature> actual)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(actual);
        var have = actual.GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var feature in trained)
        {
            if (!have.TryGetValue(feature.Name, out var other))
            {
                problems.Add($"missing '{feature.Name}'");
            }
            else if (other.Categorical != feature.Categorical)
            {
                problems.Add($"'{feature.Name}' is {Kind(other)}, the model was trained with it {Kind(feature)}");
            }
        }

        var known = trained.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(actual.Where(f => !known.Contains(f.Name)).Select(f => $"unexpected '{f.Name}'"));
        if (problems.Count > 0)
        {
            throw new ModelSchemaException($"{what} was trained on another feature schema: {string.Join("; ", problems)}.");
        }
    }

    private static string Kind(ModelFeature feature) => feature.Categorical ? "categorical" : "numeric";
}
