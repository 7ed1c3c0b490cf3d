using PromoPilot.Core.Domain;
using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Tests.Recommendation;

/// <summary>The serving bundle the decision service reads: ids in, ids out, marked fallbacks, thread-safe.</summary>
public class RecommendationModelTests
{
    private static InteractionMatrix Data()
    {
        var train = SyntheticInteractions.Train();
        var interactions = new List<Interaction>();
        for (var u = 0; u < train.Rows; u++)
        {
            foreach (var i in train.RowColumns(u))
            {
                interactions.Add(new Interaction($"user{u}", $"sku{i}", EventType.Purchase));
            }
        }

        // Two catalog items nobody bought (cold items 24, 25), in block 1 and block 3 by their attributes.
        return InteractionMatrix.Build(interactions).WithItems(["sku24", "sku25"]);
    }

    private static ItemAttributes[] Attributes(InteractionMatrix data)
    {
        var blocks = SyntheticInteractions.Attributes();
        return [.. data.ItemIds.Select(id => int.Parse(id[3..], System.Globalization.CultureInfo.InvariantCulture) switch
        {
            24 => blocks[6] with { Title = "a new block1word thing" },
            25 => blocks[18] with { Title = "another block3word thing" },
            var i => blocks[i],
        })];
    }

    private static RecommendationModel Bundle(Recommender? model = null)
    {
        var data = Data();
        model ??= new EaseRecommender(new EaseOptions { Lambda = 1 });
        model.Fit(data.Matrix);
        var content = new ContentRecommender(Attributes(data));
        content.Fit(data.Matrix);
        return RecommendationModel.Create(model, data, content);
    }

    [Fact]
    public void Recommend_KnownUser_EqualsTheModelByIndexMappedToIds()
    {
        var data = Data();
        var bundle = Bundle();
        for (var u = 0; u < SyntheticInteractions.Users; u++)
        {
            var id = $"user{u}";
            var row = data.UserIds.ToList().IndexOf(id);
            var expected = bundle.Model.Recommend(row, data.Matrix, 4).Items.Select(s => (data.ItemIds[s.Item], s.Score));

            var result = bundle.Recommend(id, 4);

            Assert.Null(result.Fallback);
            Assert.False(result.ColdStart);
            Assert.True(result.KnownUser);
            Assert.Equal(EaseRecommender.Name, result.Source);
            Assert.Equal(expected, result.Items.Select(s => (s.ItemId, s.Score)));
            Assert.Equal($"sku{SyntheticInteractions.HeldOut(u)}", result.Items[0].ItemId);
        }
    }

    [Fact]
    public void Recommend_UnknownUserWithoutHistory_GetsPopularMarked()
    {
        var bundle = Bundle();

        var result = bundle.Recommend("stranger", 3);

        Assert.Equal("popular", result.Fallback);
        Assert.True(result.ColdStart);
        Assert.False(result.KnownUser);
        Assert.Equal(3, result.Items.Count);
        Assert.All(result.Items, s => Assert.Equal(10f, s.Score)); // 12 users per block, each item held out by 2 of them
    }

    [Fact]
    public void Recommend_UnknownUserWithOneColdItem_GetsContentMarked()
    {
        var bundle = Bundle();

        var result = bundle.Recommend("newcomer", 3, new RecommendationQuery { RecentItems = [new("sku25", 5f)] });

        Assert.Equal("content", result.Fallback);
        Assert.Equal(ContentRecommender.Name, result.Source);
        Assert.All(result.Items, s => Assert.InRange(int.Parse(s.ItemId[3..], System.Globalization.CultureInfo.InvariantCulture), 18, 23)); // block 3
        Assert.DoesNotContain(result.Items, s => s.ItemId == "sku25");
    }

    [Fact]
    public void Recommend_UnknownUserWithWarmItems_IsAnsweredByTheModel()
    {
        var bundle = Bundle();

        var result = bundle.Recommend("newcomer", 1, new RecommendationQuery { RecentItems = [new("sku7", 1f), new("sku8", 1f), new("nonexistent", 1f)] });

        Assert.Null(result.Fallback);
        Assert.False(result.KnownUser);
        Assert.InRange(int.Parse(result.Items[0].ItemId[3..], System.Globalization.CultureInfo.InvariantCulture), 6, 11); // block 1
    }

    [Fact]
    public void Recommend_ExcludedAndAllowedIds_AreHonouredAndUnknownIdsIgnored()
    {
        var bundle = Bundle();
        var best = bundle.Recommend("user0", 1).Items[0].ItemId;

        var without = bundle.Recommend("user0", 30, new RecommendationQuery { ExcludedItems = [best, "nonexistent"] });
        var only = bundle.Recommend("user0", 30, new RecommendationQuery { AllowedItems = ["sku13", "sku14", "nonexistent"] });
        var withHistory = bundle.Recommend("user0", 30, new RecommendationQuery { ExcludeHistory = false });

        Assert.DoesNotContain(without.Items, s => s.ItemId == best);
        Assert.Equal(bundle.ItemIds.Count - 5 - 1, without.Items.Count);
        Assert.Equal(["sku13", "sku14"], only.Items.Select(s => s.ItemId).Order());
        Assert.Equal(bundle.ItemIds.Count, withHistory.Items.Count);
    }

    [Fact]
    public void SaveLoad_RoundTrip_AnswersIdentically()
    {
        var bundle = Bundle(new HybridRecommender([new EaseRecommender(new EaseOptions { Lambda = 1 }), new ItemKnnRecommender(), new PopularRecommender()]));
        using var stream = new MemoryStream();
        bundle.Save(stream);
        stream.Position = 0;

        var loaded = RecommendationModel.Load(stream);

        Assert.Equal(bundle.UserIds, loaded.UserIds);
        Assert.Equal(bundle.ItemIds, loaded.ItemIds);
        Assert.NotNull(loaded.ContentFallback);
        foreach (var user in bundle.UserIds.Append("stranger"))
        {
            Assert.Equal(bundle.Recommend(user, 10).Items, loaded.Recommend(user, 10).Items);
        }

        var cold = new RecommendationQuery { RecentItems = [new("sku24", 1f)] };
        Assert.Equal(bundle.Recommend("x", 5, cold), loaded.Recommend("x", 5, cold), new UserRecommendationsComparer());
        Assert.Equal(bundle.SimilarItems("sku24", 3), loaded.SimilarItems("sku24", 3));
    }

    [Fact]
    public void SimilarItems_ColdItemUsesContent_UnknownItemIsEmpty()
    {
        var bundle = Bundle();

        var similar = bundle.SimilarItems("sku24", 3);

        Assert.All(similar, s => Assert.InRange(int.Parse(s.ItemId[3..], System.Globalization.CultureInfo.InvariantCulture), 6, 11));
        Assert.Empty(bundle.SimilarItems("nonexistent", 3));
    }

    [Fact]
    public void Recommend_ManyThreadsAtOnce_GiveTheSequentialAnswers()
    {
        var bundle = Bundle(new AlsRecommender(new AlsOptions { Factors = 8, Iterations = 5 }));
        var users = bundle.UserIds.Concat(["a", "b", "c"]).ToArray();
        var expected = users.Select(u => bundle.Recommend(u, 5).Items.ToArray()).ToArray();

        var results = new RecommendedItem[users.Length * 8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n => results[n] = bundle.Recommend(users[n % users.Length], 5).Items.ToArray());

        for (var n = 0; n < results.Length; n++)
        {
            Assert.Equal(expected[n % users.Length], results[n]);
        }
    }

    [Fact]
    public void Create_ModelFittedOnAnotherMatrix_Throws()
    {
        var model = new PopularRecommender();
        model.Fit(SyntheticInteractions.Train());

        Assert.Throws<ArgumentException>(() => RecommendationModel.Create(model, Data()));
    }

    [Fact]
    public void Load_NotABundle_ThrowsInvalidData()
    {
        using var stream = new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8]);

        Assert.Throws<InvalidDataException>(() => RecommendationModel.Load(stream));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bundle().Recommend("user0", 0));
    }

    private sealed class UserRecommendationsComparer : IEqualityComparer<UserRecommendations>
    {
        public bool Equals(UserRecommendations? x, UserRecommendations? y) =>
            x is not null && y is not null && x.Fallback == y.Fallback && x.Source == y.Source && x.Items.SequenceEqual(y.Items);

        public int GetHashCode(UserRecommendations obj) => obj.Items.Count;
    }
}
