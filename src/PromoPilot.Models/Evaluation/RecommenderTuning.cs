using System.Globalization;
using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Evaluation;

/// <summary>One point of a tuning grid and how it scored on the validation split.</summary>
public sealed record TuningCandidate(IReadOnlyDictionary<string, string> Parameters, RankingReport Metrics, double FitSeconds);

/// <summary>The outcome of <see cref="RecommenderTuning.Search"/>: the best parameters by validation nDCG@K and every candidate.</summary>
public sealed record TuningResult(string Algorithm, int K, IReadOnlyDictionary<string, string> Best, IReadOnlyList<TuningCandidate> Candidates);

/// <summary>
/// A small, honest hyper-parameter search: every point of a grid is fitted on the train part of a validation split
/// that the caller carves out of the training data (never the test split) and the point with the best nDCG@K wins
/// (ties: the earlier point). Grids (<see cref="Grid"/>) are small on purpose, a few fits per algorithm.
/// </summary>
public static class RecommenderTuning
{
    /// <summary>
    /// The grid searched for <paramref name="algorithm"/>, with <paramref name="fixedParameters"/> (given by the user)
    /// left out of it and added to every point: ease and hybrid λ ∈ {100, 200, 300, 500, 800}; itemknn neighbours ∈
    /// {25, 50, 100, 200} × weighting ∈ {none, bm25}; userknn neighbours ∈ {20, 50, 100, 200}; als factors ∈ {32, 64} ×
    /// regularization ∈ {10, 30} × α ∈ {1, 3}; bpr learning rate ∈ {0.01, 0.05}; content title and category weights
    /// ∈ {0.5, 1, 2}²; pop: nothing to tune.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Grid(string algorithm, IReadOnlyDictionary<string, string>? fixedParameters = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var fixedOnes = new Dictionary<string, string>(fixedParameters ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        var axes = algorithm.ToLowerInvariant() switch
        {
            "ease" or "hybrid" => new (string, string[])[] { ("lambda", ["100", "200", "300", "500", "800"]) },
            "itemknn" => [("neighbors", ["25", "50", "100", "200"]), ("weighting", ["none", "bm25"])],
            "userknn" => [("neighbors", ["20", "50", "100", "200"])],
            "als" => [("factors", ["32", "64"]), ("regularization", ["10", "30"]), ("alpha", ["1", "3"])],
            "bpr" => [("learningrate", ["0.01", "0.05"])],
            "content" => [("title", ["0.5", "1", "2"]), ("category", ["0.5", "1", "2"])],
            "pop" => [],
            _ => throw new ArgumentException($"unknown algorithm '{algorithm}' (expected one of {string.Join(", ", RecommenderCatalog.Names)}).", nameof(algorithm)),
        };

        IEnumerable<Dictionary<string, string>> points = [new Dictionary<string, string>(fixedOnes, StringComparer.OrdinalIgnoreCase)];
        foreach (var (name, values) in axes.Where(a => !fixedOnes.ContainsKey(a.Item1)))
        {
            points = points.SelectMany(p => values.Select(v => new Dictionary<string, string>(p, StringComparer.OrdinalIgnoreCase) { [name] = v })).ToList();
        }

        return [.. points];
    }

    /// <summary>
    /// Fits every grid point on <paramref name="validation"/>.Train and scores it on <paramref name="validation"/>.Test
    /// (a split carved from the training data); returns the best by nDCG@<paramref name="k"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The validation split has no test interactions to score.</exception>
    public static TuningResult Search(string algorithm, RecommendationSplit validation, int k, IReadOnlyDictionary<string, string>? fixedParameters = null, IReadOnlyList<ItemAttributes>? items = null)
    {
        ArgumentNullException.ThrowIfNull(validation);
        ModelArgs.Positive(k, nameof(k));
        if (validation.Test.NonZeros == 0)
        {
            throw new ArgumentException("the validation split has nothing to score (no held-out interactions of users with training history): too little data to tune.", nameof(validation));
        }

        var candidates = new List<TuningCandidate>();
        foreach (var point in Grid(algorithm, fixedParameters))
        {
            var run = RecommenderEvaluator.Run(RecommenderCatalog.Create(algorithm, point, items), validation, k);
            candidates.Add(new TuningCandidate(point, run.Metrics, run.FitSeconds));
        }

        var best = candidates[0];
        foreach (var c in candidates.Skip(1))
        {
            if (c.Metrics.Ndcg > best.Metrics.Ndcg)
            {
                best = c;
            }
        }

        return new TuningResult(algorithm.ToLowerInvariant(), k, best.Parameters, candidates);
    }

    /// <summary>Parameters as "name=value, ..." in grid order, for logs.</summary>
    public static string Describe(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Count == 0 ? "(defaults)" : string.Join(", ", parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")));
    }
}
