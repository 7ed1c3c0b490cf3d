using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Tests.Recommendation;

public class RankingMetricsTests
{
    [Fact]
    public void Evaluate_TwoUsers_MatchesHandComputedValues()
    {
        // User A: top-3 [1, 2, 3], relevant {1, 3, 7}: hits at ranks 1 and 3.
        //   P = 2/3, R = 2/3, DCG = 1 + 1/log2(4) = 1.5, IDCG = 1 + 1/log2(3) + 1/log2(4) = 2.1309298, nDCG = 0.7039180,
        //   AP (recommenders map_at_k) = (1/1 + 2/3) / |relevant| = 0.5555556.
        // User B: top-3 [4, 5, 6], relevant {5}: hit at rank 2. P = 1/3, R = 1, nDCG = 1/log2(3) = 0.6309298, AP = (1/2) / 1.
        // User C: relevant {} is skipped.
        var recommended = new IReadOnlyList<int>[] { [1, 2, 3, 9], [4, 5, 6], [1, 2, 3] };
        var relevant = new IReadOnlySet<int>[] { new HashSet<int> { 1, 3, 7 }, new HashSet<int> { 5 }, new HashSet<int>() };
        var popularity = new float[] { 0, 8, 4, 2, 1, 1, 1, 1, 1, 1 };

        var report = RankingMetrics.Evaluate(recommended, relevant, 3, popularity, 8);

        Assert.Equal(2, report.Users);
        Assert.Equal(0.5, report.Precision, 12);
        Assert.Equal(((2.0 / 3) + 1) / 2, report.Recall, 12);
        Assert.Equal((0.7039180 + 0.6309298) / 2, report.Ndcg, 6);
        Assert.Equal((0.5555556 + 0.5) / 2, report.Map, 6);
        Assert.Equal(1.0, report.HitRate, 12);
        Assert.Equal(0.6, report.Coverage, 12); // items 1..6 of 10
        // Novelty: −log2(p) for items 1, 2, 3, 4, 5, 6 with p = 8/8, 4/8, 2/8, 1/8, 1/8, 1/8: (0 + 1 + 2 + 3 + 3 + 3) / 6.
        Assert.Equal(2.0, report.Novelty, 12);
    }

    [Fact]
    public void Evaluate_PerfectRanking_ScoresOne()
    {
        var report = RankingMetrics.Evaluate([[3, 1, 2]], [new HashSet<int> { 1, 2, 3 }], 3, new float[4], 1);
        Assert.Equal(1.0, report.Precision, 12);
        Assert.Equal(1.0, report.Ndcg, 12);
        Assert.Equal(1.0, report.Map, 12);
    }

    [Fact]
    public void Evaluate_NoRelevantItems_Throws()
    {
        Assert.Throws<ArgumentException>(() => RankingMetrics.Evaluate([[1]], [new HashSet<int>()], 1, new float[2], 1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Evaluate([[1]], [new HashSet<int> { 1 }], 0, new float[2], 1));
        Assert.Equal("k", error.ParamName);
    }
}
