using FsCheck;
using FsCheck.Fluent;
using PromoPilot.Measurement.Experiments.Bandits;
using PromoPilot.Measurement.Experiments.Statistics;
using PromoPilot.Measurement.Tests.Sequential;

namespace PromoPilot.Measurement.Tests.Bandits;

public class BanditTests
{
    public static TheoryData<string> Policies => new(["bernoulli-thompson", "gaussian-thompson", "epsilon-greedy"]);

    [Fact]
    public void AllocationProbabilities_AnyState_SumToOne()
    {
        SeededProperty.Check(Prop.ForAll(
            Gen.Choose(2, 6).ToArbitrary(),
            Gen.ListOf(Gen.Choose(0, 60)).ToArbitrary(),
            Gen.Choose(0, 2).ToArbitrary(),
            (arms, counts, policy) =>
            {
                var bandit = Create(policy == 0 ? "bernoulli-thompson" : policy == 1 ? "gaussian-thompson" : "epsilon-greedy", arms, seed: 1, allocationDraws: 500);
                var values = counts.ToArray();
                for (var i = 0; i < values.Length; i++)
                {
                    // Units of arm i % arms with successes up to the count.
                    bandit.Update(i % arms, MetricSummary.OfProportion(values[i], values[i] / (1 + (i % 3))));
                }

                var probabilities = bandit.AllocationProbabilities();
                return probabilities.Length == arms && Math.Abs(probabilities.Sum() - 1) < 1e-12 && probabilities.All(p => p is >= 0 and <= 1);
            }));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void ChooseArm_SameSeedAndUpdates_SameChoices(string policy)
    {
        Assert.Equal(Play(Create(policy, 3, seed: 9), 500), Play(Create(policy, 3, seed: 9), 500));
        Assert.NotEqual(Play(Create(policy, 3, seed: 9), 500), Play(Create(policy, 3, seed: 10), 500));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void AllocationProbabilities_ReadBetweenChoices_DoNotChangeTheChoices(string policy)
    {
        var plain = Create(policy, 3, seed: 4, allocationDraws: 200);
        var observed = Create(policy, 3, seed: 4, allocationDraws: 200);

        var withReads = Play(observed, 300, readAllocation: true);

        Assert.Equal(Play(plain, 300), withReads);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Update_Batch_EqualsOneByOne(string policy)
    {
        var single = Create(policy, 2, seed: 2);
        var batch = Create(policy, 2, seed: 2);
        double[] rewards = [1, 0, 0, 1, 1, 0, 1];
        foreach (var reward in rewards)
        {
            single.Update(1, reward);
        }

        batch.Update(1, MetricSummary.Of(rewards));

        Assert.Equal(single.Arms, batch.Arms);
        Assert.Equal(single.AllocationProbabilities(), batch.AllocationProbabilities());
        Assert.Equal(Play(single, 100), Play(batch, 100));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void ChooseArm_ClearlyBetterArm_IsServedMost(string policy)
    {
        var bandit = Create(policy, 3, seed: 6);

        var choices = Play(bandit, 5000, rates: [0.02, 0.05, 0.15]);

        Assert.True(choices.Count(c => c == 2) > 0.8 * choices.Length, $"best arm served {choices.Count(c => c == 2)} of {choices.Length}");
    }

    [Theory]
    [InlineData("bernoulli-thompson")]
    [InlineData("epsilon-greedy")]
    public void AllocationProbabilities_FixedState_MatchChoiceFrequencies(string policy)
    {
        var bandit = Create(policy, 3, seed: 8, allocationDraws: 100_000);
        bandit.Update(0, MetricSummary.OfProportion(200, 10));
        bandit.Update(1, MetricSummary.OfProportion(200, 13));
        bandit.Update(2, MetricSummary.OfProportion(200, 12));
        const int choices = 40_000;

        var expected = bandit.AllocationProbabilities();
        var counts = new int[3];
        for (var i = 0; i < choices; i++)
        {
            counts[bandit.ChooseArm()]++;
        }

        for (var arm = 0; arm < 3; arm++)
        {
            // Four standard errors of the choice frequency.
            Assert.InRange(counts[arm] / (double)choices, expected[arm] - (4 * Math.Sqrt(0.25 / choices)), expected[arm] + (4 * Math.Sqrt(0.25 / choices)));
        }
    }

    [Fact]
    public void AllocationProbabilities_EpsilonGreedy_AreExact()
    {
        var bandit = new EpsilonGreedy(4, new Random(1), new EpsilonGreedyOptions { Epsilon = 0.2 });
        bandit.Update(0, 1.0);
        bandit.Update(1, 3.0);
        bandit.Update(2, 3.0);
        bandit.Update(3, 2.0);

        Assert.Equal([0.05, 0.45, 0.45, 0.05], bandit.AllocationProbabilities());
    }

    [Fact]
    public void ChooseArm_GaussianRewards_FavoursTheHigherMean()
    {
        var random = new Random(12);
        var bandit = new GaussianThompsonSampling(2, new Random(3), new GaussianThompsonOptions { PriorMean = 20, PriorRate = 25 });
        var served = new int[2];
        for (var i = 0; i < 3000; i++)
        {
            var arm = bandit.ChooseArm();
            served[arm]++;
            bandit.Update(arm, (arm == 0 ? 20.0 : 21.0) + (5 * Gaussian(random)));
        }

        Assert.True(served[1] > 2 * served[0], $"served {served[0]} and {served[1]}");
    }

    [Fact]
    public void Update_InvalidRewards_Throw()
    {
        var bernoulli = new BernoulliThompsonSampling(2, new Random(1));

        Assert.Equal("rewards", Assert.Throws<ArgumentException>(() => bernoulli.Update(0, 0.5)).ParamName);
        Assert.Equal("arm", Assert.Throws<ArgumentException>(() => bernoulli.Update(2, 1.0)).ParamName);
        Assert.Equal("rewards", Assert.Throws<ArgumentException>(() => new EpsilonGreedy(2, new Random(1)).Update(0, double.NaN)).ParamName);
        Assert.Equal("armCount", Assert.Throws<ArgumentException>(() => new EpsilonGreedy(1, new Random(1))).ParamName);
    }

    private static Bandit Create(string policy, int arms, int seed, int allocationDraws = 10_000) => policy switch
    {
        "bernoulli-thompson" => new BernoulliThompsonSampling(arms, new Random(seed), new BernoulliThompsonOptions { AllocationDraws = allocationDraws }),
        "gaussian-thompson" => new GaussianThompsonSampling(arms, new Random(seed), new GaussianThompsonOptions { AllocationDraws = allocationDraws }),
        _ => new EpsilonGreedy(arms, new Random(seed)),
    };

    /// <summary>Serves <paramref name="rounds"/> choices with Bernoulli rewards drawn from a separate seeded generator.</summary>
    private static int[] Play(Bandit bandit, int rounds, double[]? rates = null, bool readAllocation = false)
    {
        rates ??= [0.1, 0.2, 0.3];
        var world = new Random(100);
        var choices = new int[rounds];
        for (var i = 0; i < rounds; i++)
        {
            if (readAllocation)
            {
                bandit.AllocationProbabilities();
            }

            choices[i] = bandit.ChooseArm();
            bandit.Update(choices[i], world.NextDouble() < rates[choices[i]] ? 1 : 0);
        }

        return choices;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
