using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Tests.Recommendation;

public class RecommenderOptionsTests
{
    public static TheoryData<string, Action> OutOfRange() => new()
    {
        { "Neighbors", () => _ = new ItemKnnRecommender(new ItemKnnOptions { Neighbors = 0 }) },
        { "Shrinkage", () => _ = new ItemKnnRecommender(new ItemKnnOptions { Shrinkage = -1 }) },
        { "Bm25B", () => _ = new ItemKnnRecommender(new ItemKnnOptions { Bm25B = 1.5 }) },
        { "Neighbors", () => _ = new UserKnnRecommender(new UserKnnOptions { Neighbors = -2 }) },
        { "Lambda", () => _ = new EaseRecommender(new EaseOptions { Lambda = 0 }) },
        { "Factors", () => _ = new AlsRecommender(new AlsOptions { Factors = 0 }) },
        { "Alpha", () => _ = new AlsRecommender(new AlsOptions { Alpha = double.NaN }) },
        { "CgSteps", () => _ = new AlsRecommender(new AlsOptions { CgSteps = 0 }) },
        { "LearningRate", () => _ = new BprRecommender(new BprOptions { LearningRate = 0 }) },
        { "Threads", () => _ = new BprRecommender(new BprOptions { Threads = 0 }) },
        { "MinHistory", () => _ = new HybridRecommender([new PopularRecommender()], new HybridOptions { MinHistory = 0 }) },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Options_OutOfRange_ThrowNamingTheOption(string option, Action create)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void Ease_MoreItemsThanMaxItems_ThrowsNamingTheLimit()
    {
        var model = new EaseRecommender(new EaseOptions { MaxItems = 10 });
        var error = Assert.Throws<ArgumentException>(() => model.Fit(SyntheticInteractions.Train()));
        Assert.Contains("MaxItems", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ease_BlockedSolver_AgreesWithMathNetCholesky()
    {
        var train = SyntheticInteractions.Train();
        var ours = new EaseRecommender(new EaseOptions { Lambda = 2 });
        var mathNet = new EaseRecommender(new EaseOptions { Lambda = 2, Solver = EaseSolver.MathNetCholesky });
        ours.Fit(train);
        mathNet.Fit(train);
        for (var u = 0; u < SyntheticInteractions.Users; u++)
        {
            var a = ours.Recommend(u, train, 5).Items;
            var b = mathNet.Recommend(u, train, 5).Items;
            Assert.Equal(b.Select(s => s.Item), a.Select(s => s.Item));
            Assert.All(a.Zip(b), p => Assert.Equal(p.Second.Score, p.First.Score, 4));
        }
    }

    [Fact]
    public void Catalog_UnknownNameOrParameter_Throws()
    {
        Assert.Throws<ArgumentException>(() => RecommenderCatalog.Create("svd"));
        Assert.Throws<ArgumentException>(() => RecommenderCatalog.Create("ease", new Dictionary<string, string> { ["factors"] = "3" }));
        Assert.Equal(500, ((EaseRecommender)RecommenderCatalog.Create("ease")).Options.Lambda);
    }
}
