using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PromoPilot.Features.Rules;

namespace PromoPilot.Features.Tests.Rules;

/// <summary>Both miners and the rule generator against the definitions counted by brute force, on random small inputs.</summary>
public sealed class MinerPropertyTests
{
    private const string Seed = "(20001003,19940913)";

    /// <summary>Ids to map dense ids onto in the sparse cases: negative, huge and gapped values.</summary>
    private static readonly int[] SparseIds =
        [int.MinValue, -1_000_000, -5, 0, 2, 17, 999, 65_536, 1 << 24, 123_456_789, 2_000_000_000, int.MaxValue];

    [Property(MaxTest = 400, Replay = Seed, QuietOnSuccess = true)]
    public Property FpGrowthMine_RandomBaskets_EqualsBruteForceItemsetsAndCounts() =>
        Prop.ForAll(Cases(), c => SameItemsets(new FpGrowth(), c));

    [Property(MaxTest = 400, Replay = Seed, QuietOnSuccess = true)]
    public Property AprioriMine_RandomBaskets_EqualsBruteForceItemsetsAndCounts() =>
        Prop.ForAll(Cases(), c => SameItemsets(new Apriori(), c));

    [Property(MaxTest = 400, Replay = Seed, QuietOnSuccess = true)]
    public Property Generate_RandomBaskets_RulesEqualDefinitionsFromBruteForceCounts() =>
        Prop.ForAll(Cases(), c =>
        {
            var options = c.Options;
            var rules = AssociationRules.Mine(c.Baskets, options).Rules;
            var expected = BruteForce.Rules(c.Baskets, options.MinSupport, options.MaxLength, options.MinConfidence, options.MinLift);
            var same = rules.Count == expected.Count && rules.All(r =>
                expected.TryGetValue(BruteForce.Key(r.Antecedent) + "=>" + BruteForce.Key(r.Consequent), out var e)
                && r.Count == e.Count
                && Close(r.Support, e.Support) && Close(r.Confidence, e.Confidence) && Close(r.Lift, e.Lift)
                && Close(r.Leverage, e.Support - (e.AntecedentSupport * e.ConsequentSupport))
                && (e.Confidence == 1 ? double.IsPositiveInfinity(r.Conviction) : Close(r.Conviction, (1 - e.ConsequentSupport) / (1 - e.Confidence))));
            var ordered = rules.Zip(rules.Skip(1)).All(p => p.First.Lift >= p.Second.Lift);
            return (same && ordered).Label($"{rules.Count} rules, expected {expected.Count}; ordered by lift: {ordered}");
        });

    private static Property SameItemsets(IFrequentItemsetMiner miner, Case c)
    {
        var mined = miner.Mine(c.Baskets, c.Options);
        var expected = BruteForce.Itemsets(c.Baskets, c.Options.MinSupport, c.Options.MaxLength);
        var actual = mined.Itemsets.ToDictionary(i => BruteForce.Key(i.Items), i => i.Count, StringComparer.Ordinal);
        var supports = mined.Itemsets.All(i => i.Support == (double)i.Count / c.Baskets.Length);
        var canonical = mined.Itemsets.Zip(mined.Itemsets.Skip(1)).All(p =>
            p.First.Items.Length < p.Second.Items.Length
            || (p.First.Items.Length == p.Second.Items.Length && p.First.Items.AsSpan().SequenceCompareTo(p.Second.Items) < 0));
        var same = actual.Count == mined.Itemsets.Count && actual.Count == expected.Count
            && expected.All(e => actual.TryGetValue(e.Key, out var count) && count == e.Value);
        return (same && supports && canonical && mined.BasketCount == c.Baskets.Length)
            .Label($"mined {mined.Itemsets.Count}, expected {expected.Count}; supports {supports}; canonical order {canonical}");
    }

    private static bool Close(double actual, double expected) => Math.Abs(actual - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected));

    /// <summary>Up to 12 items and 40 baskets (some empty, some with repeats), dense or sparse ids, thresholds on and off count boundaries.</summary>
    private static Arbitrary<Case> Cases() =>
        (from items in Gen.Choose(1, 12)
         from basketCount in Gen.Choose(0, 40)
         from baskets in Gen.ArrayOf(Gen.Choose(0, 8).SelectMany(length => Gen.ArrayOf(Gen.Choose(0, items - 1), length)), basketCount)
         from sparse in Gen.Elements(false, true)
         from support in Gen.OneOf(
             Gen.Choose(1, 100).Select(p => p / 100.0),
             Gen.Choose(1, Math.Max(1, basketCount)).Select(k => k / (double)Math.Max(1, basketCount)))
         from maxLength in Gen.Elements<int?>(null, null, 1, 2, 3)
         from confidence in Gen.Elements(0.0, 0.3, 0.5, 0.8, 1.0)
         from lift in Gen.Elements(0.0, 0.0, 1.0, 1.5)
         select new Case(
             sparse ? [.. baskets.Select(b => b.Select(i => SparseIds[i]).ToArray())] : baskets,
             new AssociationRuleOptions { MinSupport = support, MaxLength = maxLength, MinConfidence = confidence, MinLift = lift }))
        .ToArbitrary();

    public sealed record Case(int[][] Baskets, AssociationRuleOptions Options)
    {
        public override string ToString() =>
            $"{Options} baskets [{string.Join(" | ", Baskets.Select(b => string.Join(",", b)))}]";
    }
}
