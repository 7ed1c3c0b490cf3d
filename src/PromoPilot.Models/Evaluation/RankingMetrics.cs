using System.Diagnostics;
using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Evaluation;

/// <summary>
/// Top-K ranking metrics averaged over the users with at least one relevant (test) item.
/// </summary>
/// <param name="Precision">Mean of hits@K / K.</param>
/// <param name="Recall">Mean of hits@K / |relevant|.</param>
/// <param name="Ndcg">Mean of DCG@K / IDCG@K with binary relevance, DCG = Σ over hits at rank r of 1 / log2(r + 1), IDCG the same for min(|relevant|, K) hits at the top.</param>
/// <param name="Map">
/// Mean average precision exactly as the Microsoft recommenders <c>map_at_k</c> (python_evaluation, releases up to
/// 1.1; renamed <c>map</c> in 1.2) computes it: per user Σ over hits at rank r ≤ K of (hits up to r) / r, divided by
/// |relevant| (not by min(|relevant|, K)); this is the definition behind their published MovieLens table.
/// </param>
/// <param name="HitRate">Share of users with at least one hit in the top K.</param>
/// <param name="Coverage">Distinct items recommended to anyone / items in the catalog.</param>
/// <param name="Novelty">Mean over all recommended items of −log2(share of training users who have the item); items no training user has count as one user.</param>
/// <param name="Users">Users evaluated.</param>
public sealed record RankingReport(double Precision, double Recall, double Ndcg, double Map, double HitRate, double Coverage, double Novelty, int Users);

/// <summary>Ranking metrics of recommendation lists against held-out items.</summary>
public static class RankingMetrics
{
    /// <summary>
    /// Scores <paramref name="recommended"/>[n] (best first; only the first <paramref name="k"/> count) against
    /// <paramref name="relevant"/>[n]. Users with no relevant item are skipped. <paramref name="itemPopularity"/>
    /// (training users per item) and <paramref name="trainUsers"/> feed novelty.
    /// </summary>
    public static RankingReport Evaluate(IReadOnlyList<IReadOnlyList<int>> recommended, IReadOnlyList<IReadOnlySet<int>> relevant, int k, ReadOnlySpan<float> itemPopularity, int trainUsers)
    {
        ArgumentNullException.ThrowIfNull(recommended);
        ArgumentNullException.ThrowIfNull(relevant);
        ModelArgs.Positive(k, nameof(k));
        ModelArgs.Positive(trainUsers, nameof(trainUsers));
        if (recommended.Count != relevant.Count)
        {
            throw new ArgumentException("recommended and relevant must have one entry per user.", nameof(relevant));
        }

        double precision = 0, recall = 0, ndcg = 0, map = 0, hitRate = 0, novelty = 0;
        long noveltyCount = 0;
        var users = 0;
        var covered = new HashSet<int>();
        for (var n = 0; n < recommended.Count; n++)
        {
            var truth = relevant[n];
            if (truth.Count == 0)
            {
                continue;
            }

            users++;
            var list = recommended[n];
            var top = Math.Min(k, list.Count);
            int hits = 0;
            double dcg = 0, averagePrecision = 0;
            for (var r = 0; r < top; r++)
            {
                var item = list[r];
                covered.Add(item);
                var count = (uint)item < (uint)itemPopularity.Length ? Math.Max(1f, itemPopularity[item]) : 1f;
                novelty += -Math.Log2(count / trainUsers);
                noveltyCount++;
                if (truth.Contains(item))
                {
                    hits++;
                    dcg += 1 / Math.Log2(r + 2);
                    averagePrecision += (double)hits / (r + 1);
                }
            }

            double idcg = 0;
            for (var r = 0; r < Math.Min(truth.Count, k); r++)
            {
                idcg += 1 / Math.Log2(r + 2);
            }

            precision += (double)hits / k;
            recall += (double)hits / truth.Count;
            ndcg += dcg / idcg;
            map += averagePrecision / truth.Count;
            hitRate += hits > 0 ? 1 : 0;
        }

        if (users == 0)
        {
            throw new ArgumentException("no user has a relevant item: nothing to evaluate.", nameof(relevant));
        }

        return new RankingReport(precision / users, recall / users, ndcg / users, map / users, hitRate / users,
            itemPopularity.Length == 0 ? 0 : (double)covered.Count / itemPopularity.Length, noveltyCount == 0 ? 0 : novelty / noveltyCount, users);
    }
}

/// <summary>An evaluation run: the metrics and how long fitting and recommending took.</summary>
public sealed record RecommenderEvaluation(string Algorithm, int K, RankingReport Metrics, double FitSeconds, double PredictSeconds, int Users, int Items);

/// <summary>Fits a recommender on a split's train matrix and scores its top-K for every test user.</summary>
public static class RecommenderEvaluator
{
    /// <summary>
    /// Fits <paramref name="model"/> on <paramref name="split"/>.Train, recommends <paramref name="k"/> unseen items
    /// (all items ranked, training items excluded) to every user with test items, and scores them.
    /// </summary>
    public static RecommenderEvaluation Run(Recommender model, RecommendationSplit split, int k)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(split);
        ModelArgs.Positive(k, nameof(k));
        var fit = Stopwatch.StartNew();
        model.Fit(split.Train);
        var fitSeconds = fit.Elapsed.TotalSeconds;
        var users = Enumerable.Range(0, split.Test.Rows).Where(u => split.Test.RowLength(u) > 0).ToArray();
        var predict = Stopwatch.StartNew();
        var lists = model.RecommendBatch(users, split.Train, k);
        var predictSeconds = predict.Elapsed.TotalSeconds;
        var recommended = lists.Select(l => (IReadOnlyList<int>)l.Items.Select(s => s.Item).ToArray()).ToArray();
        var relevant = users.Select(u => (IReadOnlySet<int>)new HashSet<int>(split.Test.RowColumns(u).ToArray())).ToArray();
        var metrics = RankingMetrics.Evaluate(recommended, relevant, k, model.ItemPopularity, split.Train.Rows);
        return new RecommenderEvaluation(model.Algorithm, k, metrics, fitSeconds, predictSeconds, split.Train.Rows, split.Train.Columns);
    }
}
