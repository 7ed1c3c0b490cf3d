using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Tests.Recommendation;

/// <summary>The one contract every recommender meets, run against each algorithm by a subclass below.</summary>
public abstract class RecommenderContractTests
{
    private static readonly CsrMatrix TrainMatrix = SyntheticInteractions.Train();

    /// <summary>True for models whose known answer is the held-out item; most-popular has no notion of it.</summary>
    protected virtual bool Personalized => true;

    protected abstract Recommender Create();

    [Fact]
    public void Recommend_Checkerboard_HeldOutItemRanksFirst()
    {
        var model = Fitted();
        for (var u = 0; u < SyntheticInteractions.Users; u++)
        {
            var result = model.Recommend(u, TrainMatrix, 3);
            Assert.False(result.ColdStart);
            if (Personalized)
            {
                Assert.Equal(SyntheticInteractions.HeldOut(u), result.Items[0].Item);
            }
            else
            {
                var unseen = Enumerable.Range(0, SyntheticInteractions.Items).Where(i => !TrainMatrix.RowColumns(u).Contains(i));
                var best = unseen.OrderByDescending(i => model.ItemPopularity[i]).ThenBy(i => i).First();
                Assert.Equal(best, result.Items[0].Item);
            }
        }
    }

    [Fact]
    public void RecommendBatch_AnyUsers_EqualsSingleCalls()
    {
        var model = Fitted();
        var users = Enumerable.Range(0, SyntheticInteractions.Users + 2).Reverse().ToArray();
        var batch = model.RecommendBatch(users, TrainMatrix, 5);
        for (var n = 0; n < users.Length; n++)
        {
            var single = model.Recommend(users[n], TrainMatrix, 5);
            Assert.Equal(single.User, batch[n].User);
            Assert.Equal(single.ColdStart, batch[n].ColdStart);
            Assert.Equal(single.Items, batch[n].Items);
        }
    }

    [Fact]
    public void SaveLoad_RoundTrip_RecommendsIdentically()
    {
        var model = Fitted();
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = Recommender.Load(stream);
        Assert.Equal(model.Algorithm, loaded.Algorithm);
        Assert.Equal(model.Items, loaded.Items);
        for (var u = 0; u < SyntheticInteractions.Users + 1; u++)
        {
            Assert.Equal(model.Recommend(u, TrainMatrix, SyntheticInteractions.Items).Items, loaded.Recommend(u, TrainMatrix, SyntheticInteractions.Items).Items);
        }

        Assert.Equal(model.SimilarItems(0, 5), loaded.SimilarItems(0, 5));
    }

    [Fact]
    public void Recommend_Filters_AreHonoured()
    {
        var model = Fitted();
        var all = SyntheticInteractions.Items;
        for (var u = 0; u < SyntheticInteractions.Users; u += 5)
        {
            var seen = TrainMatrix.RowColumns(u).ToArray();
            Assert.DoesNotContain(model.Recommend(u, TrainMatrix, all).Items, s => seen.Contains(s.Item));
            Assert.Equal(all - seen.Length, model.Recommend(u, TrainMatrix, all).Items.Count);

            var withSeen = model.Recommend(u, TrainMatrix, all, new RecommendFilter { ExcludeSeen = false });
            Assert.Equal(all, withSeen.Items.Count);

            var excluded = new HashSet<int> { SyntheticInteractions.HeldOut(u), 0, 7 };
            Assert.DoesNotContain(model.Recommend(u, TrainMatrix, all, new RecommendFilter { ExcludedItems = excluded }).Items, s => excluded.Contains(s.Item));

            var allowed = new HashSet<int> { 1, 9, 13, 22, SyntheticInteractions.HeldOut(u) };
            var subset = model.Recommend(u, TrainMatrix, all, new RecommendFilter { AllowedItems = allowed });
            Assert.All(subset.Items, s => Assert.Contains(s.Item, allowed));
            Assert.Equal(allowed.Count(i => !seen.Contains(i)), subset.Items.Count);
        }
    }

    [Fact]
    public void Recommend_UnknownUser_GetsPopularItemsMarkedColdStart()
    {
        var model = Fitted();
        var result = model.Recommend(SyntheticInteractions.Users + 10, TrainMatrix, 4);
        Assert.True(result.ColdStart);
        var expected = Enumerable.Range(0, SyntheticInteractions.Items).OrderByDescending(i => model.ItemPopularity[i]).ThenBy(i => i).Take(4);
        Assert.Equal(expected, result.Items.Select(s => s.Item));
    }

    [Fact]
    public void SimilarItems_BlockItem_NeighboursComeFromTheSameBlock()
    {
        if (!Personalized)
        {
            return;
        }

        var model = Fitted();
        var similar = model.SimilarItems(8, 3);
        Assert.Equal(3, similar.Count);
        Assert.DoesNotContain(similar, s => s.Item == 8);
        Assert.All(similar, s => Assert.Equal(1, s.Item / SyntheticInteractions.BlockSize));
    }

    [Fact]
    public void Fit_EmptyMatrix_Throws()
    {
        var empty = CsrMatrix.FromTriples(3, 4, [], [], []);
        Assert.Throws<ArgumentException>(() => Create().Fit(empty));
        Assert.Throws<InvalidOperationException>(() => Create().Recommend(0, TrainMatrix, 3));
    }

    private Recommender Fitted()
    {
        var model = Create();
        model.Fit(TrainMatrix);
        return model;
    }
}

public sealed class PopularContractTests : RecommenderContractTests
{
    protected override bool Personalized => false;

    protected override Recommender Create() => new PopularRecommender();
}

public sealed class ItemKnnContractTests : RecommenderContractTests
{
    protected override Recommender Create() => new ItemKnnRecommender(new ItemKnnOptions { Neighbors = 10 });
}

public sealed class ItemKnnBm25ContractTests : RecommenderContractTests
{
    protected override Recommender Create() => new ItemKnnRecommender(new ItemKnnOptions { Neighbors = 10, Weighting = KnnWeighting.Bm25, Shrinkage = 1 });
}

public sealed class UserKnnContractTests : RecommenderContractTests
{
    protected override Recommender Create() => new UserKnnRecommender(new UserKnnOptions { Neighbors = 8 });
}

public sealed class EaseContractTests : RecommenderContractTests
{
    protected override Recommender Create() => new EaseRecommender(new EaseOptions { Lambda = 1 });
}

public sealed class AlsContractTests : RecommenderContractTests
{
    protected override Recommender Create() => new AlsRecommender(new AlsOptions { Factors = 16, Iterations = 15, Regularization = 0.01, Alpha = 10 });
}

public sealed class BprContractTests : RecommenderContractTests
{
    protected override Recommender Create() => new BprRecommender(new BprOptions { Factors = 8, Iterations = 300 });
}

public sealed class HybridContractTests : RecommenderContractTests
{
    protected override Recommender Create() => new HybridRecommender([new EaseRecommender(new EaseOptions { Lambda = 1 }), new ItemKnnRecommender(), new PopularRecommender()]);
}

public sealed class ContentContractTests : RecommenderContractTests
{
    protected override Recommender Create() => new ContentRecommender(SyntheticInteractions.Attributes());
}

public sealed class HybridWithContentContractTests : RecommenderContractTests
{
    protected override Recommender Create() => new HybridRecommender(
    [
        new HybridMember(new EaseRecommender(new EaseOptions { Lambda = 1 }), 5),
        new HybridMember(new ItemKnnRecommender(), 1),
        new HybridMember(new ContentRecommender(SyntheticInteractions.Attributes()), 1),
        new HybridMember(new PopularRecommender(), 0),
    ]);
}
