namespace PromoPilot.Campaigns.Forecasting;

/// <summary>
/// What an offer costs: a discount per redemption (a fixed amount plus a share of the order, capped), a cost per
/// reached user (e.g. an SMS) and a fixed campaign cost. Discounts are paid on every redemption, including those of
/// customers who would have bought anyway.
/// </summary>
public sealed record OfferCost
{
    /// <summary>Fixed discount per redemption (e.g. 10 off). Default 0.</summary>
    public double PerRedemption { get; init; }

    /// <summary>Share of the order value given as discount, in [0, 1] (e.g. 0.2 for 20% off). Default 0.</summary>
    public double PercentOfOrder { get; init; }

    /// <summary>Largest discount per redemption; null (default) = no cap.</summary>
    public double? CapPerRedemption { get; init; }

    /// <summary>Cost of reaching one user (message, print), paid whether or not they redeem. Default 0.</summary>
    public double PerContact { get; init; }

    /// <summary>Fixed cost of the campaign (creative, set-up). Default 0.</summary>
    public double Fixed { get; init; }

    /// <summary>The discount on one redeemed order of the given value.</summary>
    public double Discount(double orderValue)
    {
        var discount = PerRedemption + (PercentOfOrder * orderValue);
        return CapPerRedemption is { } cap ? Math.Min(discount, cap) : discount;
    }

    internal void Validate()
    {
        NonNegative(PerRedemption, nameof(PerRedemption));
        NonNegative(PerContact, nameof(PerContact));
        NonNegative(Fixed, nameof(Fixed));
        if (!(PercentOfOrder is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(PercentOfOrder), PercentOfOrder, "PercentOfOrder must lie in [0, 1].");
        }

        if (CapPerRedemption is { } cap)
        {
            NonNegative(cap, nameof(CapPerRedemption));
        }
    }

    private static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite amount >= 0.");
        }
    }
}

/// <summary>
/// Per-user predictions of one model fitted on a bootstrap resample of the training users: the spread of these
/// replicates is the model's estimation uncertainty.
/// </summary>
/// <param name="BaselineProbability">P(convert | not treated) per targeted user, same order as the inputs.</param>
/// <param name="TreatedProbability">P(convert | treated) per targeted user.</param>
public sealed record EffectReplicate(double[] BaselineProbability, double[] TreatedProbability)
{
    /// <summary>Expected order value per user as this replicate estimates it; null = the inputs' order values.</summary>
    public double[]? OrderValue { get; init; }
}

/// <summary>
/// A proposed campaign, user by user: the targeted audience in priority order (the budget is spent from the first
/// user on), each user's predicted conversion probability without and with the offer, the expected order value, the
/// offer's cost model and the campaign's reach, holdout and budget.
/// </summary>
/// <param name="BaselineProbability">p0: P(convert | not treated), in [0, 1], per targeted user.</param>
/// <param name="TreatedProbability">p1: P(convert | offer seen), in [0, 1], per targeted user (p1 − p0 is the predicted uplift).</param>
public sealed record EffectInputs(double[] BaselineProbability, double[] TreatedProbability)
{
    /// <summary>Expected (gross, before discount) value of an order per user; null = orders carry no value (revenue 0).</summary>
    public double[]? OrderValue { get; init; }

    /// <summary>Standard deviation of the order value per user (spread of basket sizes); null = 0, which understates revenue noise.</summary>
    public double[]? OrderValueSd { get; init; }

    /// <summary>Gross margin as a share of order value, in [0, 1]. Default 1 (revenue is margin).</summary>
    public double MarginRate { get; init; } = 1;

    /// <summary>The offer's cost model. Default: free.</summary>
    public OfferCost Cost { get; init; } = new();

    /// <summary>Largest expected cost; users past the point where it is reached are not targeted. Null (default) = no budget.</summary>
    public double? Budget { get; init; }

    /// <summary>Share of treated users the offer actually reaches (delivered, seen), in (0, 1]. Default 1.</summary>
    public double ReachRate { get; init; } = 1;

    /// <summary>
    /// Share of the targeted users kept as a randomized holdout, in [0, 1); the readout measures the effect as
    /// (treated mean − holdout mean) × treated users, and the forecast interval is for that measurement. Default 0.1
    /// (as <c>CampaignDefinition.HoldoutFraction</c>).
    /// </summary>
    public double HoldoutFraction { get; init; } = 0.1;

    /// <summary>Predictions of models refitted on bootstrap resamples of the training users; null or empty = no model uncertainty in the intervals.</summary>
    public IReadOnlyList<EffectReplicate>? Replicates { get; init; }
}

/// <summary>Settings of <see cref="CampaignEffectForecaster"/>.</summary>
public sealed record EffectForecastOptions
{
    /// <summary>Nominal coverage of the central intervals, in (0, 1). Default 0.9.</summary>
    public double Level { get; init; } = 0.9;

    /// <summary>Monte Carlo draws behind the intervals. Default 4000.</summary>
    public int Draws { get; init; } = 4000;

    /// <summary>Seed of the Monte Carlo draws. Default 0.</summary>
    public int Seed { get; init; }

    internal void Validate()
    {
        if (!(Level > 0 && Level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Level), Level, "Level must lie in (0, 1).");
        }

        if (Draws < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(Draws), Draws, "Draws must be at least 100.");
        }
    }
}
