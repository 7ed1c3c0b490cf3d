namespace PromoPilot.Measurement.Experiments.Bayesian;

/// <summary>Settings of <see cref="BetaBinomialTest"/>; every default is stated here and checked by <see cref="Validate"/>.</summary>
public sealed record BetaBinomialOptions
{
    /// <summary>
    /// α of the Beta(α, β) prior on each arm's conversion rate (pseudo-successes). Default 1: with
    /// <see cref="PriorBeta"/> = 1 the uniform prior. A whole number, because the exact chance to beat control
    /// is a finite sum over the treatment's α; at least 1.
    /// </summary>
    public int PriorAlpha { get; init; } = 1;

    /// <summary>β of the Beta(α, β) prior (pseudo-failures). Default 1; at least 1.</summary>
    public int PriorBeta { get; init; } = 1;

    /// <summary>Monte-Carlo draws of <see cref="BetaBinomialTest.ChanceToBeBest"/>. Default 10,000; at least 1.</summary>
    public int Draws { get; init; } = 10_000;

    /// <summary>Seed of the Monte-Carlo draws: the same input gives the same chances. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>The defaults.</summary>
    public static BetaBinomialOptions Default { get; } = new();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate(string parameterName)
    {
        if (PriorAlpha < 1 || PriorBeta < 1)
        {
            throw new ArgumentException($"PriorAlpha and PriorBeta must be at least 1; they are {PriorAlpha} and {PriorBeta}.", parameterName);
        }

        if (Draws < 1)
        {
            throw new ArgumentException($"Draws must be at least 1; it is {Draws}.", parameterName);
        }
    }
}
