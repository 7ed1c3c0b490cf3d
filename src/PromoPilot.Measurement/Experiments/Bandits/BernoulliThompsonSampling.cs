using MathNet.Numerics.Distributions;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Experiments.Bandits;

/// <summary>Settings of <see cref="BernoulliThompsonSampling"/>; every default is stated here and checked by <see cref="Validate"/>.</summary>
public sealed record BernoulliThompsonOptions
{
    /// <summary>α of each arm's Beta(α, β) prior on its conversion rate. Default 1 (uniform prior with β = 1); greater than 0.</summary>
    public double PriorAlpha { get; init; } = 1;

    /// <summary>β of each arm's Beta(α, β) prior. Default 1; greater than 0.</summary>
    public double PriorBeta { get; init; } = 1;

    /// <summary>Monte-Carlo draws behind <see cref="Bandit.AllocationProbabilities"/>. Default 10,000; at least 1.</summary>
    public int AllocationDraws { get; init; } = 10_000;

    /// <summary>Seed of the allocation-probability draws. Default 0.</summary>
    public int AllocationSeed { get; init; }

    /// <summary>The defaults.</summary>
    public static BernoulliThompsonOptions Default { get; } = new();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate(string parameterName)
    {
        if (!(PriorAlpha > 0 && PriorBeta > 0) || double.IsInfinity(PriorAlpha) || double.IsInfinity(PriorBeta))
        {
            throw new ArgumentException($"PriorAlpha and PriorBeta must be finite and greater than 0; they are {PriorAlpha} and {PriorBeta}.", parameterName);
        }

        if (AllocationDraws < 1)
        {
            throw new ArgumentException($"AllocationDraws must be at least 1; it is {AllocationDraws}.", parameterName);
        }
    }
}

/// <summary>
/// Thompson sampling for 0/1 rewards (conversions, redemptions): each arm's rate has the posterior
/// Beta(α + successes, β + failures) (Chapelle and Li, "An Empirical Evaluation of Thompson Sampling", 2011).
/// </summary>
public sealed class BernoulliThompsonSampling : ThompsonSampling
{
    private readonly BernoulliThompsonOptions _options;

    /// <summary>Creates the policy over <paramref name="armCount"/> arms drawing from <paramref name="random"/> (seed it: <c>new Random(seed)</c>).</summary>
    /// <exception cref="ArgumentException">Fewer than two arms or invalid options.</exception>
    public BernoulliThompsonSampling(int armCount, Random random, BernoulliThompsonOptions? options = null)
        : base(armCount, random)
    {
        _options = options ?? BernoulliThompsonOptions.Default;
        _options.Validate(nameof(options));
    }

    /// <inheritdoc/>
    protected override int AllocationDraws => _options.AllocationDraws;

    /// <inheritdoc/>
    protected override int AllocationSeed => _options.AllocationSeed;

    /// <inheritdoc/>
    protected override double SampleMean(int arm, Random random)
    {
        var rewards = Arms[arm];
        return Beta.Sample(random, _options.PriorAlpha + rewards.Sum, _options.PriorBeta + rewards.Count - rewards.Sum);
    }

    /// <inheritdoc/>
    protected override void ValidateRewards(MetricSummary rewards)
    {
        if (rewards.Sum < 0 || rewards.Sum > rewards.Count || rewards.Sum != Math.Floor(rewards.Sum) || rewards.SumOfSquares != rewards.Sum)
        {
            throw new ArgumentException("Rewards of a Bernoulli bandit must be 0 or 1.", nameof(rewards));
        }
    }
}
