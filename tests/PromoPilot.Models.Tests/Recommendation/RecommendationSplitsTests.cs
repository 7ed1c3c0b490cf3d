using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Tests.Recommendation;

public class RecommendationSplitsTests
{
    private static List<RatedInteraction> Data(int users, int seed)
    {
        var random = new Random(seed);
        var rows = new List<RatedInteraction>();
        for (var u = 0; u < users; u++)
        {
            var items = Enumerable.Range(0, 50).OrderBy(_ => random.Next()).Take(1 + random.Next(30)).ToArray();
            foreach (var i in items)
            {
                rows.Add(new RatedInteraction(u, i, 1f, random.Next(1000)));
            }
        }

        return rows;
    }

    [Fact]
    public void ShuffleKey_KnownValues_MatchThePythonReference()
    {
        // Values printed by key() in bench/recs/reference_ease.py (SplitMix64 over seed * golden + (user << 32 | item)).
        Assert.Equal(566489329403328680UL, RecommendationSplits.ShuffleKey(42, 0, 0));
        Assert.Equal(4611431992851220371UL, RecommendationSplits.ShuffleKey(42, 5, 1681));
        Assert.Equal(13833180354585780160UL, RecommendationSplits.ShuffleKey(1, 942, 7));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Stratified_EveryUser_KeepsRoundedShareInTrainAndPartitions(int seed)
    {
        var data = Data(40, seed);
        var split = RecommendationSplits.Stratified(data, 40, 50, 0.25, seed);
        for (var u = 0; u < 40; u++)
        {
            var n = data.Count(x => x.User == u);
            Assert.Equal((int)Math.Round(0.75 * n, MidpointRounding.ToEven), split.Train.RowLength(u));
            Assert.Equal(n, split.Train.RowLength(u) + split.Test.RowLength(u));
            var all = split.Train.RowColumns(u).ToArray().Concat(split.Test.RowColumns(u).ToArray()).Order();
            Assert.Equal(data.Where(x => x.User == u).Select(x => x.Item).Order(), all);
        }

        var again = RecommendationSplits.Stratified(data, 40, 50, 0.25, seed);
        Assert.Equal(split.Test.ColumnIndices, again.Test.ColumnIndices);
        var other = RecommendationSplits.Stratified(data, 40, 50, 0.25, seed + 100);
        Assert.NotEqual(split.Test.ColumnIndices, other.Test.ColumnIndices);
    }

    [Fact]
    public void LeaveLastK_EachUser_HoldsOutTheLatest()
    {
        var data = Data(30, 7);
        var split = RecommendationSplits.LeaveLastK(data, 30, 50, 2);
        for (var u = 0; u < 30; u++)
        {
            var mine = data.Where(x => x.User == u).ToList();
            if (mine.Count <= 2)
            {
                Assert.Equal(0, split.Test.RowLength(u));
                continue;
            }

            var latest = mine.OrderBy(x => x.Timestamp).ThenBy(x => x.Item).TakeLast(2).Select(x => x.Item).Order();
            Assert.Equal(latest, split.Test.RowColumns(u).ToArray());
        }
    }

    [Fact]
    public void Temporal_Cutoff_SplitsByTime()
    {
        var data = Data(30, 9);
        var split = RecommendationSplits.Temporal(data, 30, 50, 500);
        Assert.Equal(data.Count(x => x.Timestamp >= 500), split.Test.NonZeros);
        Assert.Equal(data.Count(x => x.Timestamp < 500), split.Train.NonZeros);
    }

    [Fact]
    public void Stratified_BadFraction_NamesTheParameter()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RecommendationSplits.Stratified([], 1, 1, 1.0, 1));
        Assert.Equal("testFraction", error.ParamName);
    }
}
