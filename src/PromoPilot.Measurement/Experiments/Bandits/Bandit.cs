using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Experiments.Bandits;

/// <summary>
/// An adaptive allocation policy between offers (arms): choose an arm, observe its reward, update. The
/// policy keeps one addable <see cref="MetricSummary"/> of rewards per arm, so a day of rewards can be added
/// at once (<see cref="Update(int, MetricSummary)"/>) and a policy can be rebuilt from stored summaries.
/// Every random choice comes from the injected <see cref="Random"/>: the same seed and the same updates give
/// the same choices.
/// </summary>
public abstract class Bandit
{
    private readonly MetricSummary[] _arms;

    /// <summary>Creates a policy over <paramref name="armCount"/> arms with no rewards yet.</summary>
    /// <exception cref="ArgumentException">Fewer than two arms.</exception>
    protected Bandit(int armCount, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (armCount < 2)
        {
            throw new ArgumentException($"A bandit needs at least two arms; got {armCount}.", nameof(armCount));
        }

        _arms = new MetricSummary[armCount];
        Random = random;
    }

    /// <summary>Number of arms.</summary>
    public int ArmCount => _arms.Length;

    /// <summary>The rewards observed so far, one summary per arm.</summary>
    public IReadOnlyList<MetricSummary> Arms => _arms;

    /// <summary>The injected source of every random choice.</summary>
    protected Random Random { get; }

    /// <summary>The arm to serve next.</summary>
    public abstract int ChooseArm();

    /// <summary>
    /// Probability that <see cref="ChooseArm"/> picks each arm in the current state, in arm order; sums to 1.
    /// Reading it does not change later choices.
    /// </summary>
    public abstract double[] AllocationProbabilities();

    /// <summary>Records one reward of <paramref name="arm"/>.</summary>
    /// <exception cref="ArgumentException">The arm is out of range or the reward is not valid for this policy.</exception>
    public void Update(int arm, double reward) => Update(arm, MetricSummary.Of(reward));

    /// <summary>Records a batch of rewards of <paramref name="arm"/>, e.g. a day's summary.</summary>
    /// <exception cref="ArgumentException">The arm is out of range or the rewards are not valid for this policy.</exception>
    public void Update(int arm, MetricSummary rewards)
    {
        if (arm < 0 || arm >= _arms.Length)
        {
            throw new ArgumentException($"Arm {arm} is out of range [0, {_arms.Length}).", nameof(arm));
        }

        if (rewards.Count < 0 || !double.IsFinite(rewards.Sum) || !double.IsFinite(rewards.SumOfSquares))
        {
            throw new ArgumentException("Rewards must be a summary of finite values.", nameof(rewards));
        }

        ValidateRewards(rewards);
        _arms[arm] += rewards;
    }

    /// <summary>Rejects rewards the policy's model cannot take (e.g. non 0/1 rewards for a Bernoulli model).</summary>
    /// <exception cref="ArgumentException">The rewards are not valid for this policy.</exception>
    protected virtual void ValidateRewards(MetricSummary rewards)
    {
    }
}
