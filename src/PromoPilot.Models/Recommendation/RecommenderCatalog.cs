using System.Globalization;
using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Recommendation;

/// <summary>Builds a recommender from its short name and optional "name=value" parameters (CLI and benchmarks).</summary>
public static class RecommenderCatalog
{
    /// <summary>The algorithm names, in the order the CLI lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["pop", "itemknn", "userknn", "als", "bpr", "ease", "hybrid", "content"];

    /// <summary>
    /// Creates an unfitted model. Parameters (case-insensitive) override option defaults: pop: byweight;
    /// itemknn: neighbors, shrinkage, weighting (none|tfidf|bm25), k1, b; userknn: neighbors, shrinkage;
    /// als: factors, regularization, alpha, iterations, cgsteps, seed; bpr: factors, learningrate, regularization,
    /// iterations, seed, threads; ease: lambda; hybrid: minhistory and the ease lambda (EASE for users with at least
    /// minhistory interactions, then item-kNN, then, with item attributes, content, then popular); content: title, category,
    /// brand, price (group weights), pricebands. <paramref name="items"/> (one per matrix column) is needed by content and
    /// adds the content member to hybrid.
    /// </summary>
    public static Recommender Create(string algorithm, IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyList<ItemAttributes>? items = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var p = new Dictionary<string, string>(parameters ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        double D(string key, double fallback) => Take(p, used, key) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        int I(string key, int fallback) => Take(p, used, key) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        Recommender model = algorithm.ToLowerInvariant() switch
        {
            "pop" => new PopularRecommender(new PopularOptions { ByWeight = Take(p, used, "byweight") is { } b && bool.Parse(b) }),
            "itemknn" => new ItemKnnRecommender(ItemKnn(D, I, p, used)),
            "userknn" => new UserKnnRecommender(new UserKnnOptions { Neighbors = I("neighbors", 50), Shrinkage = D("shrinkage", 0) }),
            "als" => new AlsRecommender(new AlsOptions
            {
                Factors = I("factors", 32),
                Regularization = D("regularization", 30),
                Alpha = D("alpha", 3),
                Iterations = I("iterations", 15),
                CgSteps = I("cgsteps", 3),
                Seed = I("seed", 42),
            }),
            "bpr" => new BprRecommender(new BprOptions
            {
                Factors = I("factors", 64),
                LearningRate = D("learningrate", 0.01),
                Regularization = D("regularization", 0.001),
                Iterations = I("iterations", 100),
                Seed = I("seed", 42),
                Threads = I("threads", 1),
            }),
            "ease" => new EaseRecommender(new EaseOptions { Lambda = D("lambda", 500) }),
            "hybrid" => Hybrid(D("lambda", 500), I("minhistory", 5), items),
            "content" => new ContentRecommender(items ?? throw new ArgumentException("the content model needs item attributes (titles, categories, brands, prices).", nameof(items)), new ContentOptions
            {
                TitleWeight = D("title", 1),
                CategoryWeight = D("category", 1),
                BrandWeight = D("brand", 0.5),
                PriceWeight = D("price", 0.25),
                PriceBands = I("pricebands", 5),
            }),
            _ => throw new ArgumentException($"unknown algorithm '{algorithm}' (expected one of {string.Join(", ", Names)}).", nameof(algorithm)),
        };
        var unknown = p.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"parameter(s) {string.Join(", ", unknown)} do not apply to {algorithm}.", nameof(parameters));
        }

        return model;
    }

    private static HybridRecommender Hybrid(double lambda, int minHistory, IReadOnlyList<ItemAttributes>? items)
    {
        ModelArgs.Positive(minHistory, "minhistory");

        List<HybridMember> chain = [new(new EaseRecommender(new EaseOptions { Lambda = lambda }), minHistory), new(new ItemKnnRecommender(), 1)];
        if (items is not null)
        {
            chain.Add(new(new ContentRecommender(items), 1));
        }

        chain.Add(new(new PopularRecommender(), 0));
        return new HybridRecommender(chain);
    }

    private static ItemKnnOptions ItemKnn(Func<string, double, double> d, Func<string, int, int> i, Dictionary<string, string> p, HashSet<string> used) => new()
    {
        Neighbors = i("neighbors", 100),
        Shrinkage = d("shrinkage", 0),
        Weighting = Take(p, used, "weighting") is { } w ? Enum.Parse<KnnWeighting>(w, ignoreCase: true) : KnnWeighting.None,
        Bm25K1 = d("k1", 1.2),
        Bm25B = d("b", 0.75),
    };

    private static string? Take(Dictionary<string, string> p, HashSet<string> used, string key)
    {
        if (p.TryGetValue(key, out var value))
        {
            used.Add(key);
            return value;
        }

        return null;
    }
}
