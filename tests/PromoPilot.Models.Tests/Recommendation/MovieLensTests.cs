using System.IO.Compression;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Tests.Recommendation;

/// <summary>MovieLens-100K (not redistributable: read from ../shared/data, skipped when absent).</summary>
public class MovieLensTests
{
    [DatasetFact("movielens_100k")]
    public void Ease_StratifiedSplitSeed42_MatchesTheNumpyReferenceAndBeatsThePublishedRows()
    {
        var rows = new List<RatedInteraction>();
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(SharedData.Path("movielens_100k", "u.data.gz")), CompressionMode.Decompress)))
        {
            while (reader.ReadLine() is { Length: > 0 } line)
            {
                var f = line.Split('\t');
                rows.Add(new RatedInteraction(int.Parse(f[0]) - 1, int.Parse(f[1]) - 1, 1f, long.Parse(f[3])));
            }
        }

        var split = RecommendationSplits.Stratified(rows, 943, 1682, 0.25, 42);
        var run = RecommenderEvaluator.Run(new EaseRecommender(), split, 10);

        // bench/recs/reference_ease.py on the same split (seed 42, lambda 500 chosen on validation there too):
        // nDCG@10 0.48820, P@10 0.42556, R@10 0.22905, MAP 0.15349 (numpy float64; ours runs in float32).
        Assert.Equal(943, run.Metrics.Users);
        Assert.Equal(0.48820, run.Metrics.Ndcg, 0.002);
        Assert.Equal(0.42556, run.Metrics.Precision, 0.002);
        Assert.Equal(0.22905, run.Metrics.Recall, 0.002);
        Assert.Equal(0.15349, run.Metrics.Map, 0.002);

        // Published Microsoft recommenders BiVAE row (nDCG 0.4687, P 0.4082) and the numpy EASE row (0.4801, 0.4229).
        Assert.True(run.Metrics.Ndcg > 0.4801 && run.Metrics.Precision > 0.4229, $"nDCG {run.Metrics.Ndcg}, P {run.Metrics.Precision}");
    }
}
