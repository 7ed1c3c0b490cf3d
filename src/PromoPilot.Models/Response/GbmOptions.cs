namespace PromoPilot.Models.Response;

/// <summary>
/// Gradient-boosted tree settings shared by the response models and the uplift base learners (LightGBM through
/// ML.NET: Ke et al. 2017, "LightGBM: A Highly Efficient Gradient Boosting Decision Tree"; FastTree: ML.NET's MART,
/// Friedman 2001).
/// </summary>
public sealed record GbmOptions
{
    /// <summary>Most boosting rounds; fewer when early stopping ends training. Default 500.</summary>
    public int Iterations { get; init; } = 500;

    /// <summary>Shrinkage per round. Default 0.05.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Leaves per tree. Default 31.</summary>
    public int Leaves { get; init; } = 31;

    /// <summary>Fewest training rows in a leaf. Default 20.</summary>
    public int MinLeafRows { get; init; } = 20;

    /// <summary>L2 penalty on leaf values (LightGBM lambda_l2). Default 1.</summary>
    public double L2 { get; init; } = 1;

    /// <summary>Share of features tried per tree. Default 0.8.</summary>
    public double FeatureFraction { get; init; } = 0.8;

    /// <summary>
    /// Stop when the validation loss has not improved for this many rounds (0 = no early stopping); the model keeps the
    /// trees up to the best round, so a shorter patience changes the model only when the loss improves again after a
    /// longer plateau, and saves the rounds trained past the best. Default 50 (`promopilot response eval` uses 10:
    /// docs/BENCHMARKS.md, "Response fit time").
    /// </summary>
    public int EarlyStoppingRounds { get; init; } = 50;

    /// <summary>Threads the trainer may use; 1 gives bit-identical repeats. Default 1.</summary>
    public int Threads { get; init; } = 1;

    internal void Validate()
    {
        Evaluation.ModelArgs.Positive(Iterations, nameof(Iterations));
        Evaluation.ModelArgs.Positive(LearningRate, nameof(LearningRate));
        Evaluation.ModelArgs.Positive(Leaves, nameof(Leaves));
        Evaluation.ModelArgs.Positive(MinLeafRows, nameof(MinLeafRows));
        Evaluation.ModelArgs.NonNegative(L2, nameof(L2));
        Evaluation.ModelArgs.Positive(Threads, nameof(Threads));
        if (!(FeatureFraction > 0 && FeatureFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(FeatureFraction), FeatureFraction, "FeatureFraction must be in (0, 1].");
        }

        if (EarlyStoppingRounds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingRounds), EarlyStoppingRounds, "EarlyStoppingRounds must be >= 0.");
        }
    }
}
