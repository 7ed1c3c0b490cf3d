namespace PromoPilot.Measurement.Experiments.Bandits;

/// <summary>Settings of <see cref="EpsilonGreedy"/>; the default is stated here and checked by <see cref="Validate"/>.</summary>
public sealed record EpsilonGreedyOptions
{
    /// <summary>Share of choices made uniformly at random (exploration). Default 0.1; in [0, 1].</summary>
    public double Epsilon { get; init; } = 0.1;

    /// <summary>The defaults.</summary>
    public static EpsilonGreedyOptions Default { get; } = new();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate(string parameterName)
    {
        if (!(Epsilon >= 0 && Epsilon <= 1))
        {
            throw new ArgumentException($"Epsilon must lie in [0, 1]; it is {Epsilon}.", parameterName);
        }
    }
}

/// <summary>
/// ε-greedy allocation (Sutton and Barto, "Reinforcement Learning: An Introduction", 2nd ed., §2.2): with
/// probability ε serve a uniformly random arm, otherwise the arm with the highest mean reward so far. An arm
/// without rewards counts as best, so every arm is tried; ties are broken uniformly at random.
/// </summary>
public sealed class EpsilonGreedy : Bandit
{
    private readonly double _epsilon;

    /// <summary>Creates the policy over <paramref name="armCount"/> arms drawing from <paramref name="random"/> (seed it: <c>new Random(seed)</c>).</summary>
    /// <exception cref="ArgumentException">Fewer than two arms or invalid options.</exception>
    public EpsilonGreedy(int armCount, Random random, EpsilonGreedyOptions? options = null)
        : base(armCount, random)
    {
        options ??= EpsilonGreedyOptions.Default;
        options.Validate(nameof(options));
        _epsilon = options.Epsilon;
    }

    /// <inheritdoc/>
    public override int ChooseArm()
    {
        if (Random.NextDouble() < _epsilon)
        {
            return Random.Next(ArmCount);
        }

        var best = BestArms();
        return best[Random.Next(best.Count)];
    }

    /// <summary>Exact: ε / arms for every arm, plus (1 − ε) shared evenly by the best arms.</summary>
    public override double[] AllocationProbabilities()
    {
        var probabilities = Enumerable.Repeat(_epsilon / ArmCount, ArmCount).ToArray();
        var best = BestArms();
        foreach (var arm in best)
        {
            probabilities[arm] += (1 - _epsilon) / best.Count;
        }

        return probabilities;
    }

    private List<int> BestArms()
    {
        var best = new List<int>();
        var bestMean = double.NegativeInfinity;
        for (var arm = 0; arm < ArmCount; arm++)
        {
            var mean = Arms[arm].Count == 0 ? double.PositiveInfinity : Arms[arm].Mean;
            if (mean > bestMean)
            {
                best.Clear();
                bestMean = mean;
            }

            if (mean == bestMean)
            {
                best.Add(arm);
            }
        }

        return best;
    }
}
