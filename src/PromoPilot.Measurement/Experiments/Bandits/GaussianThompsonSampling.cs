using MathNet.Numerics.Distributions;

namespace PromoPilot.Measurement.Experiments.Bandits;

/// <summary>
/// Settings of <see cref="GaussianThompsonSampling"/>: the Normal-Inverse-Gamma prior NIG(μ₀, κ₀, a₀, b₀) of
/// each arm's reward mean and variance. The defaults are weak on a reward scale of about 1; set
/// <see cref="PriorMean"/> and <see cref="PriorRate"/> to the reward's own scale (e.g. b₀ ≈ a typical variance).
/// Every default is checked by <see cref="Validate"/>.
/// </summary>
public sealed record GaussianThompsonOptions
{
    /// <summary>μ₀, prior guess of an arm's mean reward. Default 0; finite.</summary>
    public double PriorMean { get; init; }

    /// <summary>κ₀, how many rewards the prior guess of the mean is worth. Default 1; greater than 0.</summary>
    public double PriorCount { get; init; } = 1;

    /// <summary>a₀, shape of the inverse-gamma prior on the reward variance. Default 1; greater than 0.</summary>
    public double PriorShape { get; init; } = 1;

    /// <summary>b₀, rate of the inverse-gamma prior on the reward variance. Default 1; greater than 0.</summary>
    public double PriorRate { get; init; } = 1;

    /// <summary>Monte-Carlo draws behind <see cref="Bandit.AllocationProbabilities"/>. Default 10,000; at least 1.</summary>
    public int AllocationDraws { get; init; } = 10_000;

    /// <summary>Seed of the allocation-probability draws. Default 0.</summary>
    public int AllocationSeed { get; init; }

    /// <summary>The defaults.</summary>
    public static GaussianThompsonOptions Default { get; } = new();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate(string parameterName)
    {
        if (!double.IsFinite(PriorMean))
        {
            throw new ArgumentException($"PriorMean must be finite; it is {PriorMean}.", parameterName);
        }

        if (!(PriorCount > 0 && PriorShape > 0 && PriorRate > 0) || double.IsInfinity(PriorCount + PriorShape + PriorRate))
        {
            throw new ArgumentException(
                $"PriorCount, PriorShape and PriorRate must be finite and greater than 0; they are {PriorCount}, {PriorShape} and {PriorRate}.", parameterName);
        }

        if (AllocationDraws < 1)
        {
            throw new ArgumentException($"AllocationDraws must be at least 1; it is {AllocationDraws}.", parameterName);
        }
    }
}

/// <summary>
/// Thompson sampling for continuous rewards (revenue, basket value) with unknown mean and variance: each arm
/// has the conjugate Normal-Inverse-Gamma posterior (Murphy, "Conjugate Bayesian analysis of the Gaussian
/// distribution", 2007, §6), whose marginal for the mean is a Student t:
/// κₙ = κ₀ + n, μₙ = (κ₀μ₀ + Σx) / κₙ, aₙ = a₀ + n/2, bₙ = b₀ + ½Σ(x − x̄)² + κ₀n(x̄ − μ₀)² / (2κₙ),
/// mean ~ t with 2aₙ degrees of freedom, location μₙ and scale √(bₙ / (aₙκₙ)).
/// </summary>
public sealed class GaussianThompsonSampling : ThompsonSampling
{
    private readonly GaussianThompsonOptions _options;

    /// <summary>Creates the policy over <paramref name="armCount"/> arms drawing from <paramref name="random"/> (seed it: <c>new Random(seed)</c>).</summary>
    /// <exception cref="ArgumentException">Fewer than two arms or invalid options.</exception>
    public GaussianThompsonSampling(int armCount, Random random, GaussianThompsonOptions? options = null)
        : base(armCount, random)
    {
        _options = options ?? GaussianThompsonOptions.Default;
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
        double n = rewards.Count, kappa = _options.PriorCount + n;
        var location = ((_options.PriorCount * _options.PriorMean) + rewards.Sum) / kappa;
        var shape = _options.PriorShape + (n / 2);
        var rate = _options.PriorRate;
        if (n > 0)
        {
            // Without rewards x̄ is undefined and the posterior is the prior.
            var gap = rewards.Mean - _options.PriorMean;
            rate += (0.5 * (n - 1) * rewards.Variance) + (_options.PriorCount * n * gap * gap / (2 * kappa));
        }

        return StudentT.Sample(random, location, Math.Sqrt(rate / (shape * kappa)), 2 * shape);
    }
}
