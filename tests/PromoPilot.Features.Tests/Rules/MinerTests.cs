using PromoPilot.Features.Rules;

namespace PromoPilot.Features.Tests.Rules;

/// <summary>Known answers and input contracts, run against every miner.</summary>
public sealed class MinerTests
{
    public static TheoryData<string> Miners => ["fp-growth", "apriori"];

    [Theory]
    [MemberData(nameof(Miners))]
    public void Mine_HanPeiYinTable1_FindsThePapersEighteenPatterns(string name)
    {
        // Han, Pei & Yin (2000), Table 1: five transactions, minimum support 3 (= 0.6); section 3 lists the patterns.
        int[][] baskets = [Letters("facdgimp"), Letters("abcflmo"), Letters("bfhjo"), Letters("bcksp"), Letters("afcelpmn")];

        var mined = Miner(name).Mine(baskets, new AssociationRuleOptions { MinSupport = 0.6 });

        var found = mined.Itemsets.ToDictionary(i => string.Concat(i.Items.Select(id => (char)('a' + id))), i => i.Count);
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["a"] = 3, ["b"] = 3, ["c"] = 4, ["f"] = 4, ["m"] = 3, ["p"] = 3,
                ["ac"] = 3, ["af"] = 3, ["am"] = 3, ["cf"] = 3, ["cm"] = 3, ["cp"] = 3, ["fm"] = 3,
                ["acf"] = 3, ["acm"] = 3, ["afm"] = 3, ["cfm"] = 3, ["acfm"] = 3,
            },
            found);
        Assert.Equal(3, mined.MinCount);
        Assert.Equal(5, mined.BasketCount);
    }

    [Theory]
    [MemberData(nameof(Miners))]
    public void Mine_MaxLengthTwo_StopsAtPairs(string name)
    {
        int[][] baskets = [Letters("facdgimp"), Letters("abcflmo"), Letters("bfhjo"), Letters("bcksp"), Letters("afcelpmn")];

        var mined = Miner(name).Mine(baskets, new AssociationRuleOptions { MinSupport = 0.6, MaxLength = 2 });

        Assert.Equal(13, mined.Itemsets.Count);
        Assert.Equal(2, mined.Itemsets.Max(i => i.Items.Length));
    }

    [Theory]
    [MemberData(nameof(Miners))]
    public void Mine_RepeatedItemInBasket_CountsOnce(string name)
    {
        int[][] baskets = [[7, 7, 7, 3], [3, 3], [9]];

        var mined = Miner(name).Mine(baskets, new AssociationRuleOptions { MinSupport = 0.3 });

        Assert.Equal(["3:2", "7:1", "9:1", "3,7:1"], mined.Itemsets.Select(i => $"{string.Join(",", i.Items)}:{i.Count}"));
        Assert.Equal(2 / 3.0, mined.Itemsets[0].Support);
    }

    [Theory]
    [MemberData(nameof(Miners))]
    public void Mine_SparseAndNegativeIds_SameAsDenseIds(string name)
    {
        int[][] dense = [[0, 1, 2], [0, 1], [1, 2], [0, 2], [0, 1, 2]];
        int[] ids = [int.MinValue, -3, int.MaxValue];
        var sparse = dense.Select(b => b.Select(i => ids[i]).ToArray()).ToArray();
        var options = new AssociationRuleOptions { MinSupport = 0.4 };

        var a = Miner(name).Mine(dense, options).Itemsets.Select(i => (string.Join(",", i.Items.Select(x => ids[x]).Order()), i.Count)).Order();
        var b = Miner(name).Mine(sparse, options).Itemsets.Select(i => (string.Join(",", i.Items), i.Count)).Order();

        Assert.Equal(a, b);
        Assert.Equal(7, b.Count());
    }

    [Theory]
    [MemberData(nameof(Miners))]
    public void Mine_NoBasketsOrOnlyEmptyOnes_FindsNothing(string name)
    {
        var none = Miner(name).Mine([], new AssociationRuleOptions());
        var empty = Miner(name).Mine([[], []], new AssociationRuleOptions());

        Assert.Empty(none.Itemsets);
        Assert.Equal(0, none.BasketCount);
        Assert.Empty(empty.Itemsets);
        Assert.Equal(2, empty.BasketCount);
    }

    [Theory]
    [MemberData(nameof(Miners))]
    public void Mine_EmptyBasketsCountInTheDenominator(string name)
    {
        // One of four baskets holds the pair: support 0.25, so 0.25 keeps it and 0.26 drops it.
        int[][] baskets = [[1, 2], [], [], []];

        Assert.Equal(3, Miner(name).Mine(baskets, new AssociationRuleOptions { MinSupport = 0.25 }).Itemsets.Count);
        Assert.Empty(Miner(name).Mine(baskets, new AssociationRuleOptions { MinSupport = 0.26 }).Itemsets);
    }

    [Theory]
    [MemberData(nameof(Miners))]
    public void Mine_NullBasket_ThrowsNamingBaskets(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Miner(name).Mine([[1], null!], new AssociationRuleOptions()));
        Assert.Equal("baskets", e.ParamName);
        Assert.Contains("basket 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, null, 0.5, 0.0, null, "MinSupport")]
    [InlineData(1.5, null, 0.5, 0.0, null, "MinSupport")]
    [InlineData(double.NaN, null, 0.5, 0.0, null, "MinSupport")]
    [InlineData(0.1, 0, 0.5, 0.0, null, "MaxLength")]
    [InlineData(0.1, null, -0.1, 0.0, null, "MinConfidence")]
    [InlineData(0.1, null, double.NaN, 0.0, null, "MinConfidence")]
    [InlineData(0.1, null, 0.5, -1.0, null, "MinLift")]
    [InlineData(0.1, null, 0.5, double.PositiveInfinity, null, "MinLift")]
    [InlineData(0.1, null, 0.5, 0.0, 0, "MaxConsequentLength")]
    public void Validate_InvalidSetting_ThrowsNamingIt(double support, int? maxLength, double confidence, double lift, int? maxConsequent, string parameter)
    {
        var options = new AssociationRuleOptions
        {
            MinSupport = support, MaxLength = maxLength, MinConfidence = confidence, MinLift = lift, MaxConsequentLength = maxConsequent,
        };

        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => new FpGrowth().Mine([[1]], options)).ParamName);
        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(options.Validate).ParamName);
    }

    [Theory]
    [InlineData(0.01, 9835, 99)]
    [InlineData(0.001, 9835, 10)]
    [InlineData(0.03, 100, 3)]
    [InlineData(0.3, 10, 3)]
    [InlineData(1.0, 7, 7)]
    [InlineData(1e-9, 5, 1)]
    public void MinCount_Support_IsSmallestCountReachingIt(double support, int baskets, int expected)
    {
        var minCount = new AssociationRuleOptions { MinSupport = support }.MinCount(baskets);

        Assert.Equal(expected, minCount);
        Assert.True((double)minCount / baskets >= support);
        Assert.True(minCount == 1 || (double)(minCount - 1) / baskets < support);
    }

    [Fact]
    public void Generate_KnownBaskets_GivesDefinitionsAndInfiniteConvictionAtConfidenceOne()
    {
        // 1 is in 4 of 5 baskets, 2 in 2, both in 2: {2} -> {1} has confidence 1; {1} -> {2} confidence 0.5.
        int[][] baskets = [[1, 2], [1, 2], [1], [1], [3]];

        var rules = AssociationRules.Mine(baskets, new AssociationRuleOptions { MinSupport = 0.2, MinConfidence = 0 }).Rules;

        Assert.Equal(2, rules.Count);
        var strong = rules.Single(r => r.Antecedent.SequenceEqual([2]));
        Assert.Equal([1], strong.Consequent);
        Assert.Equal(2, strong.Count);
        Assert.Equal(0.4, strong.Support, 15);
        Assert.Equal(1.0, strong.Confidence, 15);
        Assert.Equal(1.25, strong.Lift, 15);
        Assert.Equal(0.4 - (0.4 * 0.8), strong.Leverage, 15);
        Assert.True(double.IsPositiveInfinity(strong.Conviction));
        var weak = rules.Single(r => r.Antecedent.SequenceEqual([1]));
        Assert.Equal(0.5, weak.Confidence, 15);
        Assert.Equal(1.25, weak.Lift, 15);
        Assert.Equal((1 - 0.4) / (1 - 0.5), weak.Conviction, 15);
        Assert.Same(strong, rules[0]);
    }

    [Fact]
    public void Generate_Thresholds_FilterByConfidenceLiftAndConsequentLength()
    {
        int[][] baskets = [Letters("facdgimp"), Letters("abcflmo"), Letters("bfhjo"), Letters("bcksp"), Letters("afcelpmn")];
        var itemsets = new FpGrowth().Mine(baskets, new AssociationRuleOptions { MinSupport = 0.6 });

        var all = AssociationRules.Generate(itemsets, new AssociationRuleOptions { MinSupport = 0.6, MinConfidence = 0 });
        var confident = AssociationRules.Generate(itemsets, new AssociationRuleOptions { MinSupport = 0.6, MinConfidence = 0.8 });
        var lifted = AssociationRules.Generate(itemsets, new AssociationRuleOptions { MinSupport = 0.6, MinConfidence = 0, MinLift = 1.6 });
        var single = AssociationRules.Generate(itemsets, new AssociationRuleOptions { MinSupport = 0.6, MinConfidence = 0, MaxConsequentLength = 1 });

        // 7 pairs x 2 + 4 triples x 6 + 1 quadruple x 14 splits.
        Assert.Equal(52, all.Count);
        Assert.Equal(all.Where(r => r.Confidence >= 0.8).Select(Key), confident.Select(Key));
        Assert.NotEmpty(confident);
        Assert.True(confident.Count < all.Count);
        Assert.Equal(all.Where(r => r.Lift >= 1.6).Select(Key), lifted.Select(Key));
        Assert.NotEmpty(lifted);
        Assert.True(lifted.Count < all.Count);
        Assert.Equal(7 * 2 + 4 * 3 + 4, single.Count);
        Assert.All(single, r => Assert.Single(r.Consequent));
    }

    [Fact]
    public void Generate_ItemsetsMissingASubset_ThrowsNamingItemsets()
    {
        var broken = new FrequentItemsets(4, 1, [new FrequentItemset([1], 2, 0.5), new FrequentItemset([1, 2], 1, 0.25)]);

        var e = Assert.Throws<ArgumentException>(() => AssociationRules.Generate(broken, new AssociationRuleOptions { MinConfidence = 0 }));

        Assert.Equal("itemsets", e.ParamName);
        Assert.Contains("[2]", e.Message, StringComparison.Ordinal);
    }

    internal static IFrequentItemsetMiner Miner(string name) => name switch
    {
        "fp-growth" => new FpGrowth(),
        "apriori" => new Apriori(),
        _ => throw new ArgumentException(name, nameof(name)),
    };

    private static string Key(AssociationRule rule) => $"{string.Join(",", rule.Antecedent)}=>{string.Join(",", rule.Consequent)}";

    private static int[] Letters(string letters) => [.. letters.Select(c => c - 'a')];
}
