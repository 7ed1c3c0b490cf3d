using PromoPilot.Core.Campaigns;

namespace PromoPilot.Decisioning;

/// <summary>
/// The switchable ranking factors and defaults of the decision engine. A weight of 0 switches its factor off.
/// </summary>
public sealed record DecisionOptions
{
    /// <summary>Weight of the expected incremental profit (money). Default 1.</summary>
    public double ValueWeight { get; init; } = 1.0;

    /// <summary>Money one point of business priority is worth in the score. Default 0.5.</summary>
    public double PriorityWeight { get; init; } = 0.5;

    /// <summary>Money a full affinity (1.0) to the offer's categories and items is worth. Default 2.</summary>
    public double AffinityWeight { get; init; } = 2.0;

    /// <summary>Margin per conversion as a share of the shopper's average order value, when the offer names none. Default 0.3.</summary>
    public double DefaultMarginRate { get; init; } = 0.3;

    /// <summary>Average order value for shoppers without a profile. Default 50.</summary>
    public decimal DefaultOrderValue { get; init; } = 50m;

    /// <summary>Recommended items returned with a decision. Default 5.</summary>
    public int Items { get; init; } = 5;

    /// <summary>Served when no offer qualifies (campaign id "fallback"); null = serve nothing.</summary>
    public OfferDefinition? Fallback { get; init; }

    /// <summary>Every problem with the options, each naming the option.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!(ValueWeight >= 0) || !(PriorityWeight >= 0) || !(AffinityWeight >= 0))
        {
            problems.Add("value_weight, priority_weight and affinity_weight must be finite and not negative");
        }

        if (!(DefaultMarginRate is >= 0 and <= 1))
        {
            problems.Add($"default_margin_rate must lie in [0, 1], not {DefaultMarginRate}");
        }

        if (DefaultOrderValue < 0 || Items is < 0 or > 100)
        {
            problems.Add("default_order_value must not be negative and items must lie in [0, 100]");
        }

        if (Fallback is not null)
        {
            problems.AddRange(Fallback.Problems("fallback"));
        }

        return problems;
    }
}
