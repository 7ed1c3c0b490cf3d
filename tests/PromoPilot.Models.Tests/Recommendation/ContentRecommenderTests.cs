using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Tests.Recommendation;

public class ContentRecommenderTests
{
    private static readonly ItemAttributes[] Catalog =
    [
        new("Red ceramic mug", "Kitchen/Mugs", "Acme", 4.0),          // 0
        new("Blue ceramic mug", "Kitchen/Mugs", "Acme", 4.5),         // 1
        new("Ceramic mug with spoon", "Kitchen/Mugs", "Other", 6.0),  // 2
        new("Garden hose 20m", "Garden/Hoses", "Hoselux", 25.0),      // 3
        new("Garden hose 50m", "Garden/Hoses", "Hoselux", 45.0),      // 4
        new("Steel kitchen knife", "Kitchen/Knives", "Acme", 30.0),   // 5
        new(),                                                        // 6: nothing known
    ];

    /// <summary>Users 0-2 bought mugs 0 and 1, users 3-4 hose 3; items 2, 4, 5 and 6 are cold (no interactions).</summary>
    private static CsrMatrix Matrix() => CsrMatrix.FromTriples(5, Catalog.Length, [0, 0, 1, 1, 2, 3, 4], [0, 1, 0, 1, 1, 3, 3], [1, 1, 1, 1, 1, 1, 1]);

    private static ContentRecommender Fitted(ContentOptions? options = null)
    {
        var model = new ContentRecommender(Catalog, options);
        model.Fit(Matrix());
        return model;
    }

    [Fact]
    public void SimilarItems_ColdItem_FindsItsCategoryAndTitleNeighbours()
    {
        var model = Fitted();

        Assert.Equal(0, model.ItemPopularity[2]);
        var similar = model.SimilarItems(2, 2);
        Assert.Equal([0, 1], similar.Select(s => s.Item).Order());
        Assert.Equal(4, model.SimilarItems(3, 1)[0].Item);
    }

    [Fact]
    public void ItemFeatures_EveryDescribedItem_HasUnitLengthAndTheEmptyItemNone()
    {
        var features = Fitted().ItemFeatures;

        for (var i = 0; i < 6; i++)
        {
            var norm = Math.Sqrt(features.RowValues(i).ToArray().Sum(v => (double)v * v));
            Assert.Equal(1.0, norm, 5);
        }

        Assert.Equal(0, features.RowLength(6));
    }

    [Fact]
    public void SimilarItems_Cosines_AreSymmetricAndAtMostOne()
    {
        var model = Fitted();
        var all = Catalog.Length - 1;
        for (var a = 0; a < 6; a++)
        {
            foreach (var s in model.SimilarItems(a, all))
            {
                Assert.InRange(s.Score, 0f, 1.00001f);
                var back = model.SimilarItems(s.Item, all).First(x => x.Item == a);
                Assert.Equal(s.Score, back.Score, 5);
            }
        }
    }

    [Fact]
    public void RecommendHistory_OneColdItem_AnswersFromAttributes()
    {
        var model = Fitted();

        var result = model.RecommendHistory([5], [1f], 3);

        Assert.False(result.ColdStart);
        Assert.Equal(ContentRecommender.Name, result.Source);
        Assert.Equal(-1, result.User);
        Assert.DoesNotContain(result.Items, s => s.Item == 5);
        // The knife shares Kitchen and Acme with the mugs, nothing with the hoses.
        Assert.All(result.Items, s => Assert.Contains(s.Item, new[] { 0, 1, 2 }));
    }

    [Fact]
    public void RecommendHistory_ItemWithoutAttributes_FallsBackToPopular()
    {
        var model = Fitted();

        var result = model.RecommendHistory([6], [1f], 2);

        Assert.True(result.ColdStart);
        Assert.Equal(PopularRecommender.Name, result.Source);
        Assert.Equal([1, 0], result.Items.Select(s => s.Item));
    }

    [Fact]
    public void Hybrid_UserWhoseItemsAreCold_IsAnsweredByContentAndNamedSo()
    {
        var hybrid = (HybridRecommender)RecommenderCatalog.Create("hybrid", new Dictionary<string, string> { ["lambda"] = "1" }, Catalog);
        hybrid.Fit(Matrix());

        var cold = hybrid.RecommendHistory([4], [1f], 2);
        var warm = hybrid.Recommend(0, Matrix(), 2);

        Assert.Equal(ContentRecommender.Name, cold.Source);
        Assert.Equal(3, cold.Items[0].Item);
        Assert.Equal(ItemKnnRecommender.Name, warm.Source); // 2 interactions < minhistory 5: item-kNN
        Assert.False(warm.ColdStart);
        // A cold item's similar items come from the content member.
        Assert.Equal([0, 1], hybrid.SimilarItems(2, 2).Select(s => s.Item).Order());
    }

    [Fact]
    public void Fit_AttributeCountDiffersFromItems_ThrowsNamingBoth()
    {
        var model = new ContentRecommender(Catalog[..3]);

        var error = Assert.Throws<ArgumentException>(() => model.Fit(Matrix()));

        Assert.Contains("7 items but 3 item attributes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TitleWeight")]
    [InlineData("PriceBands")]
    [InlineData("MinTokenLength")]
    public void Options_OutOfRange_ThrowNamingTheOption(string option)
    {
        var options = option switch
        {
            "TitleWeight" => new ContentOptions { TitleWeight = -1 },
            "PriceBands" => new ContentOptions { PriceBands = 0 },
            _ => new ContentOptions { MinTokenLength = 0 },
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ContentRecommender(Catalog, options));

        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void Options_AllWeightsZero_AreRejected()
    {
        var options = new ContentOptions { TitleWeight = 0, CategoryWeight = 0, BrandWeight = 0, PriceWeight = 0 };

        Assert.Throws<ArgumentOutOfRangeException>(() => new ContentRecommender(Catalog, options));
    }

    [Fact]
    public void Tokens_Title_LowerCasesDropsStopWordsAndShortWordsAndCounts()
    {
        var tokens = ContentRecommender.Tokens("Set of 3 RED mugs, red & Blue", 2);

        Assert.Equal(2, tokens["t:red"]);
        Assert.Equal(1, tokens["t:set"]);
        Assert.False(tokens.ContainsKey("t:of"));
        Assert.False(tokens.ContainsKey("t:3"));
        Assert.Equal(4, tokens.Count);
    }

    [Fact]
    public void BuildFeatures_OnlyPriceWeight_GroupsItemsByPriceBand()
    {
        var items = Enumerable.Range(0, 10).Select(i => new ItemAttributes(Price: i + 1.0)).ToArray();
        var options = new ContentOptions { TitleWeight = 0, CategoryWeight = 0, BrandWeight = 0, PriceWeight = 1, PriceBands = 5 };
        var model = new ContentRecommender(items, options);
        model.Fit(CsrMatrix.FromTriples(1, 10, [0], [0], [1]));

        // Items 0 and 1 share the cheapest band: each other's best match; the dearest items are not similar at all.
        Assert.Equal(1, model.SimilarItems(0, 1)[0].Item);
        Assert.All(model.SimilarItems(0, 9).Where(s => s.Item >= 6), s => Assert.Equal(0f, s.Score));
        Assert.All(model.SimilarItems(0, 9).Where(s => s.Item is 2 or 3), s => Assert.True(s.Score > 0));
    }
}

public class TemporalUnseenSplitTests
{
    [Fact]
    public void TemporalUnseen_Pairs_SplitByFirstTimeAndSkipColdUsers()
    {
        RatedInteraction[] rows =
        [
            new(0, 0, 1, 10), new(0, 0, 5, 50), // first seen at 10: train only (a repeat after the cut is not a test item)
            new(0, 1, 1, 60),                   // new after the cut: test
            new(1, 2, 1, 70),                   // user 1 has nothing before the cut: cold, skipped
            new(2, 2, 1, 5), new(2, 3, 2, 40),
        ];

        var (split, cold) = RecommendationSplits.TemporalUnseen(rows, 3, 4, cutoff: 40);

        Assert.Equal(1, cold);
        Assert.Equal([0], split.Train.RowColumns(0).ToArray());
        Assert.Equal(6f, split.Train.RowValues(0)[0]);
        Assert.Equal([1], split.Test.RowColumns(0).ToArray());
        Assert.Equal(0, split.Test.RowLength(1));
        Assert.Equal(0, split.Train.RowLength(1));
        Assert.Equal([3], split.Test.RowColumns(2).ToArray());
    }

    [Fact]
    public void TemporalUnseen_RandomData_TestNeverRepeatsATrainPair()
    {
        var random = new Random(7);
        for (var round = 0; round < 20; round++)
        {
            var rows = Enumerable.Range(0, 300).Select(_ => new RatedInteraction(random.Next(20), random.Next(15), 1, random.Next(100))).ToList();
            var (split, cold) = RecommendationSplits.TemporalUnseen(rows, 20, 15, 70);
            for (var u = 0; u < 20; u++)
            {
                var train = split.Train.RowColumns(u).ToArray();
                Assert.Empty(split.Test.RowColumns(u).ToArray().Intersect(train));
                if (split.Test.RowLength(u) > 0)
                {
                    Assert.NotEmpty(train);
                }
            }

            var pairs = rows.GroupBy(r => (r.User, r.Item)).ToDictionary(g => g.Key, g => g.Min(r => r.Timestamp));
            Assert.Equal(pairs.Count(p => p.Value < 70), split.Train.NonZeros);
            var usersWithTrain = pairs.Where(p => p.Value < 70).Select(p => p.Key.User).ToHashSet();
            Assert.Equal(pairs.Count(p => p.Value >= 70 && usersWithTrain.Contains(p.Key.User)), split.Test.NonZeros);
            Assert.Equal(pairs.Where(p => p.Value >= 70 && !usersWithTrain.Contains(p.Key.User)).Select(p => p.Key.User).Distinct().Count(), cold);
        }
    }
}
