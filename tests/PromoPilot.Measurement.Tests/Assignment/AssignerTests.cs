using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.Distributions;
using PromoPilot.Core.Rules;
using PromoPilot.Measurement.Experiments.Assignment;

namespace PromoPilot.Measurement.Tests.Assignment;

/// <summary>
/// Statistical properties of assignment over a million structured ids (<c>customer-0</c>, <c>customer-1</c>, ...:
/// the harder case for a hash than random ids). Ids are fixed, so every test is deterministic; the thresholds are
/// those of a test at p = 0.001 (chi-square) or 4.5 standard deviations.
/// </summary>
public class AssignerTests
{
    private const string Seed = "(20261122,5)";
    private const double Sigmas = 4.5;

    private static readonly string[] Million = Ids(1_000_000);

    [Fact]
    public void Assign_WeightedVariants_SharesWithinBinomialTolerance()
    {
        double[] weights = [1, 2, 3, 4];
        var definition = new ExperimentDefinition("balance", [.. weights.Select((w, i) => new VariantDefinition($"v{i}", w))], Coverage: 0.7);
        var results = AssignAll(new Assigner(definition), Million);

        // Outcomes: the four variants and "not covered"; each one's probability is its bucket count / 10,000.
        var counts = BucketAllocation.Counts(0.7, weights);
        double[] expected = [.. counts.Select(c => c / (double)UnitHash.Buckets), 0.3];
        long[] observed = [.. Enumerable.Range(0, 4).Select(i => results.LongCount(r => r.Variant == $"v{i}")), results.LongCount(r => r.Reason == AssignmentReason.NotCovered)];
        Assert.Equal([700, 1400, 2100, 2800], counts);
        Assert.Equal(Million.Length, observed.Sum());
        var chiSquare = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var mean = Million.Length * expected[i];
            chiSquare += (observed[i] - mean) * (observed[i] - mean) / mean;
            AssertWithinSigmas(observed[i], Million.Length, expected[i]);
        }

        Assert.True(chiSquare < ChiSquared.InvCDF(expected.Length - 1, 0.999), $"chi-square {chiSquare:F2}");
    }

    [Theory]
    [InlineData("checkout-offer", "search-ranking")]
    [InlineData("exp-1", "exp-2")]
    [InlineData("a", "b")]
    public void Hash_DifferentSalts_BucketsAreIndependent(string saltA, string saltB)
    {
        var (a, b) = (Buckets(saltA), Buckets(saltB));

        // 2 x 2: in the lower half of the buckets or not, in each experiment.
        Assert.True(IndependenceChiSquare(a, b, 2) < ChiSquared.InvCDF(1, 0.999));
        // 10 x 10 by deciles: a finer check of the same.
        Assert.True(IndependenceChiSquare(a, b, 10) < ChiSquared.InvCDF(81, 0.999));
    }

    [Fact]
    public void Hash_SameSalt_IsPerfectlyDependent()
    {
        var (a, b) = (Buckets("checkout-offer"), Buckets("checkout-offer"));

        Assert.Equal(a, b);
        Assert.True(IndependenceChiSquare(a, b, 2) > 0.99 * Million.Length); // phi^2 = 1: chi-square = n
    }

    [Fact]
    public void Assign_LayerRanges_AreMutuallyExclusiveAndSizedByWidth()
    {
        (string Key, double Start, double End)[] ranges = [("s1", 0, 0.2), ("s2", 0.2, 0.7), ("s3", 0.7, 1)];
        var experiments = ranges.Select(r => new ExperimentDefinition(r.Key, [new("control", 1), new("treatment", 1)], Layer: new LayerRange("layer:search", r.Start, r.End))).ToList();
        ExperimentDefinition.ValidateAll(experiments);
        var ids = Million[..400_000];
        var inRange = experiments.Select(e => AssignAll(new Assigner(e), ids).Select(r => r.Reason != AssignmentReason.NotInLayerRange).ToArray()).ToList();

        for (var u = 0; u < ids.Length; u++)
        {
            Assert.Equal(1, inRange.Count(e => e[u])); // the ranges cover [0, 1) without overlap: exactly one experiment
        }

        for (var e = 0; e < ranges.Length; e++)
        {
            AssertWithinSigmas(inRange[e].LongCount(x => x), ids.Length, ranges[e].End - ranges[e].Start);
        }
    }

    [Fact]
    public void Assign_Holdout_ShareWithinToleranceInEveryVariantAndSameUnitsAcrossExperiments()
    {
        ExperimentDefinition Experiment(string key, double share) =>
            new(key, [new("control", 1), new("treatment", 1)], Holdout: new HoldoutDefinition("global-holdout", share));
        var a = AssignAll(new Assigner(Experiment("exp-a", 0.1)), Million);
        var b = AssignAll(new Assigner(Experiment("exp-b", 0.1)), Million);
        var c = AssignAll(new Assigner(Experiment("exp-c", 0.05)), Million);

        AssertWithinSigmas(a.LongCount(r => r.Reason == AssignmentReason.Holdout), Million.Length, 0.1);
        foreach (var half in new[] { a.Where(r => r.Bucket < 5000).ToList(), a.Where(r => r.Bucket >= 5000).ToList() })
        {
            AssertWithinSigmas(half.LongCount(r => r.Reason == AssignmentReason.Holdout), half.Count, 0.1); // independent of the variant
        }

        for (var u = 0; u < Million.Length; u++)
        {
            var held = a[u].Reason == AssignmentReason.Holdout;
            Assert.Equal(held, b[u].Reason == AssignmentReason.Holdout); // the same salt holds out the same units
            Assert.True(held || c[u].Reason != AssignmentReason.Holdout); // a smaller share holds out a subset
        }
    }

    /// <summary>
    /// A ramp from 50 % coverage, 50/50, to 100 % with weights 20/60/20 and a new arm: control shrinks (2,500 to
    /// 2,000 buckets), treatment grows. Sticky: no treatment unit moves, and the units leaving control are 5 % of all.
    /// Re-randomized: units agree with their old variant only by chance (0.25 x 0.2 + 0.25 x 0.6 = 20 % of all).
    /// </summary>
    [Theory]
    [InlineData(Stickiness.Sticky)]
    [InlineData(Stickiness.Rerandomize)]
    public void Assign_WeightChange_MovesOnlyWhatTheModeAllows(Stickiness mode)
    {
        var first = new ExperimentDefinition("ramp", [new("control", 50), new("treatment", 50)], Coverage: 0.5, Stickiness: mode);
        var second = new ExperimentDefinition(
            "ramp",
            [new("control", 20), new("treatment", 60), new("new_arm", 20)],
            Coverage: 1,
            Stickiness: mode,
            History: [new AllocationStep(0.5, new Dictionary<string, double> { ["control"] = 50, ["treatment"] = 50 })]);
        var ids = Million[..400_000];
        var before = AssignAll(new Assigner(first), ids);
        var after = AssignAll(new Assigner(second), ids);

        var kept = Enumerable.Range(0, ids.Length).LongCount(u => before[u].Variant is { } v && after[u].Variant == v);
        if (mode == Stickiness.Sticky)
        {
            Assert.All(Enumerable.Range(0, ids.Length).Where(u => before[u].Variant == "treatment"), u => Assert.Equal("treatment", after[u].Variant));
            var left = Enumerable.Range(0, ids.Length).Where(u => before[u].Variant is { } v && after[u].Variant != v).ToList();
            Assert.All(left, u => Assert.Equal("control", before[u].Variant));
            AssertWithinSigmas(left.Count, ids.Length, 0.05);
            Assert.Equal(before.LongCount(r => r.Variant is not null) - left.Count, kept);
        }
        else
        {
            AssertWithinSigmas(kept, ids.Length, 0.2);
        }
    }

    /// <summary>Reasons in their documented order, recomputed from the public hash functions for 20,000 units.</summary>
    [Fact]
    public void Assign_EveryStage_GivesTheReasonOfTheFirstFailingCheck()
    {
        var definition = new ExperimentDefinition(
            "staged",
            [new("a", 1), new("b", 1)],
            Coverage: 0.6,
            Holdout: new HoldoutDefinition("H", 0.2),
            Layer: new LayerRange("L", 0.25, 0.75),
            Targeting: new TargetingDefinition("vip = true", new Dictionary<string, RuleValueKind> { ["vip"] = RuleValueKind.Boolean }));
        var assigner = new Assigner(definition);
        var ids = Million[..20_000];
        var contexts = ids.Select((_, i) => (IRuleContext)new AttributeRuleContext(new Dictionary<string, RuleValue> { ["vip"] = RuleValue.Of(i % 3 != 0) })).ToList();
        var batch = new UnitAssignment[ids.Length];
        assigner.Assign(ids, batch, contexts);

        var seen = new HashSet<AssignmentReason>();
        for (var i = 0; i < ids.Length; i++)
        {
            var bucket = UnitHash.Bucket(UnitHash.Hash(ids[i], UnitHash.Seed("staged")));
            var layer = UnitHash.UnitInterval(UnitHash.Hash(ids[i], UnitHash.Seed("L")));
            var holdout = UnitHash.UnitInterval(UnitHash.Hash(ids[i], UnitHash.Seed("H")));
            var expected = i % 3 == 0 ? new UnitAssignment("staged", null, AssignmentReason.NotTargeted, bucket)
                : layer is < 0.25 or >= 0.75 ? new UnitAssignment("staged", null, AssignmentReason.NotInLayerRange, bucket)
                : bucket >= 6000 ? new UnitAssignment("staged", null, AssignmentReason.NotCovered, bucket)
                : holdout < 0.2 ? new UnitAssignment("staged", null, AssignmentReason.Holdout, bucket)
                : new UnitAssignment("staged", bucket < 3000 ? "a" : "b", AssignmentReason.Assigned, bucket);
            Assert.Equal(expected, assigner.Assign(ids[i], contexts[i]));
            Assert.Equal(expected, batch[i]);
            seen.Add(expected.Reason);
        }

        Assert.Equal(Enum.GetValues<AssignmentReason>().Length, seen.Count);
    }

    [Property(MaxTest = 300, Replay = Seed, QuietOnSuccess = true)]
    public Property Assign_Batch_EqualsOneByOne() =>
        Prop.ForAll(Gen.Elements("u", "42", "é", "顧", "🙂", "-").ArrayOf().Select(string.Concat).Where(s => s.Length > 0).ArrayOf().ToArbitrary(), ids =>
        {
            var assigner = new Assigner(new ExperimentDefinition("batch", [new("a", 1), new("b", 3)], Coverage: 0.9, Layer: new LayerRange("L", 0.1, 0.8)));
            var batch = new UnitAssignment[ids.Length];
            assigner.Assign(ids, batch);
            return ids.Select(id => assigner.Assign(id)).SequenceEqual(batch);
        });

    [Fact]
    public void Assign_Batch_AllocatesNothingPerUnit()
    {
        var assigner = new Assigner(new ExperimentDefinition("alloc", [new("a", 1), new("b", 1)], Holdout: new("H", 0.1), Layer: new("L", 0, 0.5)));
        var ids = Million[..100_000];
        var results = new UnitAssignment[ids.Length];
        assigner.Assign(ids, results);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        assigner.Assign(ids, results);

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1024, $"{GC.GetAllocatedBytesForCurrentThread() - allocated} bytes");
    }

    [Fact]
    public void Assign_InvalidInput_ThrowsNamingTheProblem()
    {
        var targeted = new Assigner(new ExperimentDefinition(
            "t", [new("a", 1)], Targeting: new("country = 'DE'", new Dictionary<string, RuleValueKind> { ["country"] = RuleValueKind.String })));
        var plain = new Assigner(new ExperimentDefinition("p", [new("a", 1)]));

        Assert.Contains("targets units by the rule 'country = 'DE''", Assert.Throws<ArgumentException>(() => targeted.Assign("u1")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => plain.Assign(""));
        Assert.Throws<ArgumentException>(() => plain.Assign(["u1", "u2"], new UnitAssignment[1]));
        Assert.Throws<ExperimentDefinitionException>(() => new Assigner(new ExperimentDefinition("bad", [new("a", 0)])));
    }

    [Fact]
    public void Assign_Targeting_UsesTheRuleOnTheUnitsAttributes()
    {
        var assigner = new Assigner(new ExperimentDefinition(
            "t",
            [new("a", 1)],
            Targeting: new("country = 'DE' and cart_value >= 20", new Dictionary<string, RuleValueKind> { ["country"] = RuleValueKind.String, ["cart_value"] = RuleValueKind.Number })));

        Assert.Equal(AssignmentReason.Assigned, assigner.Assign("u1", AttributeRuleContext.Parse("""{"country": "DE", "cart_value": 20}""")).Reason);
        Assert.Equal(AssignmentReason.NotTargeted, assigner.Assign("u1", AttributeRuleContext.Parse("""{"country": "DE", "cart_value": 19.99}""")).Reason);
        Assert.Equal(AssignmentReason.NotTargeted, assigner.Assign("u1", AttributeRuleContext.Parse("""{"country": "DE", "cart_value": null}""")).Reason);
        Assert.Equal(AssignmentReason.NotTargeted, assigner.Assign("u1", AttributeRuleContext.Parse("{}")).Reason);
    }

    [Fact]
    public void AttributesParse_BadInput_NamesTheAttribute()
    {
        var declared = new Dictionary<string, RuleValueKind> { ["cart_value"] = RuleValueKind.Number };

        Assert.Equal("attributes.cart_value: the experiment declares a number, found a string '35'.", Assert.Throws<FormatException>(() => AttributeRuleContext.Parse("""{"cart_value": "35"}""", declared)).Message);
        Assert.Equal("attributes.tags: expected a string, number, boolean or null, found array.", Assert.Throws<FormatException>(() => AttributeRuleContext.Parse("""{"tags": ["a"]}""")).Message);
        Assert.StartsWith("attributes: expected a JSON object", Assert.Throws<FormatException>(() => AttributeRuleContext.Parse("[1]")).Message, StringComparison.Ordinal);
        Assert.StartsWith("attributes: not valid JSON", Assert.Throws<FormatException>(() => AttributeRuleContext.Parse("{")).Message, StringComparison.Ordinal);
    }

    private static string[] Ids(int count) => [.. Enumerable.Range(0, count).Select(i => "customer-" + i.ToString(CultureInfo.InvariantCulture))];

    private static UnitAssignment[] AssignAll(Assigner assigner, string[] ids)
    {
        var results = new UnitAssignment[ids.Length];
        assigner.Assign(ids, results);
        return results;
    }

    private static int[] Buckets(string salt)
    {
        var seed = UnitHash.Seed(salt);
        return [.. Million.Select(id => UnitHash.Bucket(UnitHash.Hash(id, seed)))];
    }

    /// <summary>Pearson's chi-square of independence on a k x k table of bucket quantiles (expected counts from the margins).</summary>
    private static double IndependenceChiSquare(int[] a, int[] b, int k)
    {
        var table = new long[k, k];
        for (var i = 0; i < a.Length; i++)
        {
            table[a[i] * k / UnitHash.Buckets, b[i] * k / UnitHash.Buckets]++;
        }

        var rows = Enumerable.Range(0, k).Select(r => Enumerable.Range(0, k).Sum(c => table[r, c])).ToArray();
        var columns = Enumerable.Range(0, k).Select(c => Enumerable.Range(0, k).Sum(r => table[r, c])).ToArray();
        var chiSquare = 0.0;
        for (var r = 0; r < k; r++)
        {
            for (var c = 0; c < k; c++)
            {
                var expected = (double)rows[r] * columns[c] / a.Length;
                chiSquare += (table[r, c] - expected) * (table[r, c] - expected) / expected;
            }
        }

        return chiSquare;
    }

    private static void AssertWithinSigmas(long observed, long n, double p)
    {
        var z = (observed - (n * p)) / Math.Sqrt(n * p * (1 - p));
        Assert.True(Math.Abs(z) < Sigmas, $"observed {observed} of {n}, expected share {p}: z = {z:F2}");
    }
}
