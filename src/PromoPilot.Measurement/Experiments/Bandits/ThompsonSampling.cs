using PromoPilot.Measurement.Experiments.Bayesian;

namespace PromoPilot.Measurement.Experiments.Bandits;

/// <summary>
/// Thompson sampling (Thompson 1933; Russo, Van Roy et al., "A Tutorial on Thompson Sampling", 2018): draw
/// each arm's mean reward from its posterior and serve the arm with the highest draw, so each arm is served
/// with the posterior probability that it is the best.
/// </summary>
public abstract class ThompsonSampling : Bandit
{
    /// <summary>Creates the policy over <paramref name="armCount"/> arms drawing from <paramref name="random"/>.</summary>
    protected ThompsonSampling(int armCount, Random random)
        : base(armCount, random)
    {
    }

    /// <summary>Monte-Carlo draws behind <see cref="AllocationProbabilities"/>.</summary>
    protected abstract int AllocationDraws { get; }

    /// <summary>Seed of the allocation-probability draws.</summary>
    protected abstract int AllocationSeed { get; }

    /// <inheritdoc/>
    public override int ChooseArm()
    {
        var best = 0;
        var bestDraw = double.NegativeInfinity;
        for (var arm = 0; arm < ArmCount; arm++)
        {
            var draw = SampleMean(arm, Random);
            if (draw > bestDraw)
            {
                best = arm;
                bestDraw = draw;
            }
        }

        return best;
    }

    /// <summary>
    /// Each arm's posterior chance to be best, by seeded Monte-Carlo with a fresh <see cref="System.Random"/>
    /// of the allocation seed: the same state gives the same probabilities, and the injected generator that
    /// drives <see cref="ChooseArm"/> is left untouched.
    /// </summary>
    public override double[] AllocationProbabilities() =>
        MonteCarlo.ChanceToBeBest(ArmCount, AllocationDraws, new Random(AllocationSeed), SampleMean);

    /// <summary>One draw of <paramref name="arm"/>'s mean reward from its posterior.</summary>
    protected abstract double SampleMean(int arm, Random random);
}
