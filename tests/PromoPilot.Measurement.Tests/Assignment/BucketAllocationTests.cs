using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PromoPilot.Measurement.Experiments.Assignment;

namespace PromoPilot.Measurement.Tests.Assignment;

public class BucketAllocationTests
{
    private const string Seed = "(20261122,1)";

    [Fact]
    public void Counts_WeightsAndCoverage_ShareBucketsByLargestRemainder()
    {
        Assert.Equal([4000, 2000, 2000], BucketAllocation.Counts(0.8, [50, 25, 25]));
        Assert.Equal([3334, 3333, 3333], BucketAllocation.Counts(1, [1, 1, 1])); // tie: the earlier variant gets the spare bucket
        Assert.Equal([0, 10_000], BucketAllocation.Counts(1, [0, 3]));
        Assert.Equal([0, 0], BucketAllocation.Counts(0, [1, 1]));
        Assert.Equal([1, 2], BucketAllocation.Counts(0.0003, [1, 2]));
    }

    [Fact]
    public void Owners_OneStep_LaysVariantsOutContiguouslyInOrder()
    {
        var owners = BucketAllocation.Owners([(0.8, [50.0, 25, 25])]);
        Assert.All(owners[..4000], o => Assert.Equal(0, o));
        Assert.All(owners[4000..6000], o => Assert.Equal(1, o));
        Assert.All(owners[6000..8000], o => Assert.Equal(2, o));
        Assert.All(owners[8000..], o => Assert.Equal(BucketAllocation.None, o));
    }

    /// <summary>The sample's ramp (samples/experiments/checkout-offer.json): 20 % with two arms, then 80 % with three.</summary>
    [Fact]
    public void Owners_Ramp_GrowingVariantsTakeTheLowestFreeBuckets()
    {
        var owners = BucketAllocation.Owners([(0.2, [50.0, 50, 0]), (0.8, [50.0, 25, 25])]);
        short[] expected =
        [
            .. Enumerable.Repeat((short)0, 1000), .. Enumerable.Repeat((short)1, 1000), .. Enumerable.Repeat((short)0, 3000),
            .. Enumerable.Repeat((short)1, 1000), .. Enumerable.Repeat((short)2, 2000), .. Enumerable.Repeat(BucketAllocation.None, 2000),
        ];
        Assert.Equal(expected, owners);
    }

    /// <summary>
    /// The sticky guarantee, over random ramps of 2 to 5 variants: after every change a bucket keeps its variant unless
    /// that variant's bucket count fell, every variant holds exactly its count, and exactly
    /// sum(max(0, old - new)) buckets leave a variant (the least any reallocation can move).
    /// </summary>
    [Property(MaxTest = 200, Replay = Seed, QuietOnSuccess = true)]
    public Property Owners_AnyChange_MovesOnlyUnenrolledOrShrinkingVariantsBuckets()
    {
        var steps = Gen.Choose(2, 5).SelectMany(variants =>
        {
            var step = Gen.Choose(0, 100).SelectMany(
                coverage => Gen.Choose(0, 10).ArrayOf(variants).Where(w => w.Sum() > 0),
                (coverage, weights) => (Coverage: coverage / 100.0, Weights: weights.Select(w => (double)w).ToArray()));
            return Gen.Choose(2, 5).SelectMany(n => step.ArrayOf(n));
        });
        return Prop.ForAll(steps.ToArbitrary(), ramp =>
        {
            var before = BucketAllocation.Owners(ramp[..1]);
            for (var s = 1; s < ramp.Length; s++)
            {
                var after = BucketAllocation.Owners(ramp[..(s + 1)]);
                var oldCounts = BucketAllocation.Counts(ramp[s - 1].Coverage, ramp[s - 1].Weights);
                var newCounts = BucketAllocation.Counts(ramp[s].Coverage, ramp[s].Weights);
                var left = 0;
                for (var b = 0; b < before.Length; b++)
                {
                    if (before[b] == BucketAllocation.None || before[b] == after[b])
                    {
                        continue;
                    }

                    if (newCounts[before[b]] >= oldCounts[before[b]])
                    {
                        return false;
                    }

                    left++;
                }

                var held = Enumerable.Range(0, newCounts.Length).Select(v => after.Count(o => o == v));
                if (!held.SequenceEqual(newCounts) || left != oldCounts.Zip(newCounts, (o, n) => Math.Max(0, o - n)).Sum())
                {
                    return false;
                }

                before = after;
            }

            return true;
        });
    }

    [Fact]
    public void Counts_InvalidInput_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BucketAllocation.Counts(1.5, [1.0]));
        Assert.Throws<ArgumentException>(() => BucketAllocation.Counts(1, [0.0, 0]));
        Assert.Throws<ArgumentException>(() => BucketAllocation.Counts(1, [-1.0, 2]));
        Assert.Throws<ArgumentException>(() => BucketAllocation.Owners([]));
    }
}
