using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Tests.Recommendation;

public class RecommenderTuningTests
{
    [Theory]
    [InlineData("ease", 5)]
    [InlineData("hybrid", 5)]
    [InlineData("itemknn", 8)]
    [InlineData("userknn", 4)]
    [InlineData("als", 8)]
    [InlineData("bpr", 2)]
    [InlineData("content", 9)]
    [InlineData("pop", 1)]
    public void Grid_EveryAlgorithm_HasDistinctPointsThatTheCatalogAccepts(string algorithm, int points)
    {
        var grid = RecommenderTuning.Grid(algorithm);

        Assert.Equal(points, grid.Count);
        Assert.Equal(points, grid.Select(RecommenderTuning.Describe).Distinct().Count());
        Assert.All(grid, p => Assert.NotNull(RecommenderCatalog.Create(algorithm, p, SyntheticInteractions.Attributes())));
    }

    [Fact]
    public void Grid_FixedParameter_IsLeftOutOfTheSearchAndKeptInEveryPoint()
    {
        var grid = RecommenderTuning.Grid("als", new Dictionary<string, string> { ["factors"] = "16", ["seed"] = "3" });

        Assert.Equal(4, grid.Count);
        Assert.All(grid, p => Assert.Equal("16", p["factors"]));
        Assert.All(grid, p => Assert.Equal("3", p["seed"]));
    }

    [Fact]
    public void Grid_UnknownAlgorithm_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => RecommenderTuning.Grid("svd"));

        Assert.Contains("svd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_RandomValidationSplit_PicksTheCandidateWithTheBestNdcgReproducibly()
    {
        var random = new Random(11);
        var rows = new List<RatedInteraction>();
        for (var u = 0; u < 120; u++)
        {
            // Two taste groups over 40 items, with noise.
            var group = u % 2;
            foreach (var i in Enumerable.Range(0, 40).Where(i => random.NextDouble() < ((i % 2 == group) ? 0.35 : 0.05)))
            {
                rows.Add(new RatedInteraction(u, i, 1, 0));
            }
        }

        var validation = RecommendationSplits.Stratified(rows, 120, 40, 0.25, seed: 5);

        var result = RecommenderTuning.Search("itemknn", validation, 5);

        var best = result.Candidates.Max(c => c.Metrics.Ndcg);
        Assert.Equal(best, result.Candidates.First(c => c.Parameters == result.Best).Metrics.Ndcg);
        Assert.Equal(result.Candidates.First(c => c.Metrics.Ndcg == best).Parameters, result.Best);
        var again = RecommenderEvaluator.Run(RecommenderCatalog.Create("itemknn", result.Best), validation, 5);
        Assert.Equal(best, again.Metrics.Ndcg, 12);
        Assert.Equal(8, result.Candidates.Count);
    }

    [Fact]
    public void Search_ValidationWithoutTestInteractions_ThrowsClearly()
    {
        var train = SyntheticInteractions.Train();
        var empty = new RecommendationSplit(train, CsrMatrix.FromTriples(train.Rows, train.Columns, [], [], []));

        var error = Assert.Throws<ArgumentException>(() => RecommenderTuning.Search("ease", empty, 10));

        Assert.Contains("nothing to score", error.Message, StringComparison.Ordinal);
    }
}
