using PromoPilot.Core.Customers;

namespace PromoPilot.Campaigns.Design;

/// <summary>Settings of <see cref="DiscountResponseModel"/>; every default is a documented assumption, not a fitted value.</summary>
public sealed record DiscountResponseOptions
{
    /// <summary>Gross margin as a share of what a basket costs the shopper before discounts. Default 0.3.</summary>
    public double Margin { get; init; } = 0.3;

    /// <summary>Most of the shoppers who would not buy that an unboundedly deep discount converts (times sensitivity). Default 0.3.</summary>
    public double MaxLift { get; init; } = 0.3;

    /// <summary>Discount depth (discount / basket) at which the lift reaches 1 − 1/e ≈ 63% of its most. Default 0.1.</summary>
    public double Saturation { get; init; } = 0.1;

    /// <summary>Trade-up scale τ: a shopper with basket A reaches a threshold T &gt; A with probability exp(−(T/A − 1)/τ). Default 0.25.</summary>
    public double TradeUpScale { get; init; } = 0.25;

    /// <summary>Campaign window in days, for the baseline purchase probability from a profile. Default 30.</summary>
    public double WindowDays { get; init; } = 30;

    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range (named).</exception>
    public void Validate()
    {
        static void Check(bool ok, string name, double value, string range)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be {range}");
            }
        }

        Check(Margin is > 0 and <= 1, nameof(Margin), Margin, "in (0, 1]");
        Check(MaxLift is >= 0 and <= 1, nameof(MaxLift), MaxLift, "in [0, 1]");
        Check(Saturation is > 0 && double.IsFinite(Saturation), nameof(Saturation), Saturation, "positive");
        Check(TradeUpScale is > 0 && double.IsFinite(TradeUpScale), nameof(TradeUpScale), TradeUpScale, "positive");
        Check(WindowDays is > 0 && double.IsFinite(WindowDays), nameof(WindowDays), WindowDays, "positive");
    }
}

/// <summary>A shopper as the response model sees them.</summary>
/// <param name="BaselineProbability">Probability of buying in the window without any offer, in [0, 1].</param>
/// <param name="BasketValue">Their usual basket (average order value), positive.</param>
/// <param name="Sensitivity">How strongly they respond to discounts (1 = average, 0 = not at all).</param>
public readonly record struct Shopper(double BaselineProbability, double BasketValue, double Sensitivity);

/// <summary>What an offer is expected to do for one shopper against no offer.</summary>
/// <param name="Probability">Probability of buying with the offer.</param>
/// <param name="ExpectedDiscount">Expected money given away (discounts to shoppers who would have bought anyway included): the budget's cost.</param>
/// <param name="IncrementalProfit">Expected margin after discounts, minus the margin without the offer.</param>
/// <param name="IncrementalConversions">Probability with the offer minus without.</param>
/// <param name="IncrementalRevenue">Expected revenue after discounts minus revenue without the offer.</param>
public readonly record struct OfferResponse(double Probability, double ExpectedDiscount, double IncrementalProfit, double IncrementalConversions, double IncrementalRevenue);

/// <summary>
/// A response-to-discount simulation: how the chance to buy, the basket and the discount given move with an offer's
/// depth and thresholds. It stands in for fitted effect models where none is trained (docs/campaigns.md, "Value model").
/// </summary>
/// <remarks>
/// <para>Buying: p(d) = p₀ + (1 − p₀)·min(1, L·s)·(1 − e^(−d/d₀)) for discount depth d = discount / basket, baseline p₀,
/// sensitivity s, most lift L (<see cref="DiscountResponseOptions.MaxLift"/>) and saturation d₀ — the concave,
/// saturating promotion response curve of the marketing-mix literature (e.g. Blattberg, Briesch &amp; Fox (1995), "How
/// promotions work", Marketing Science 14(3)). Thresholds: a shopper with basket A either keeps it or, with probability
/// q = e^(−(T/A − 1)/τ), fills it up to the nearest threshold T &gt; A that gives more (the trade-up of spend-X-save-Y).
/// Profit counts the margin on the basket minus the discount; discounts to shoppers who would have bought anyway are
/// cost without gain, so deep offers to loyal shoppers lose money.</para>
/// </remarks>
public sealed class DiscountResponseModel
{
    private readonly DiscountResponseOptions _options;

    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    public DiscountResponseModel(DiscountResponseOptions? options = null)
    {
        _options = options ?? new DiscountResponseOptions();
        _options.Validate();
    }

    public DiscountResponseOptions Options => _options;

    /// <summary>Probability of buying at discount depth <paramref name="depth"/> (clamped to [0, 1]).</summary>
    public double Probability(Shopper shopper, double depth)
    {
        var lift = Math.Min(1, _options.MaxLift * shopper.Sensitivity) * (1 - Math.Exp(-Math.Clamp(depth, 0, 1) / _options.Saturation));
        return shopper.BaselineProbability + ((1 - shopper.BaselineProbability) * lift);
    }

    /// <summary>The expected effect of an offer that gives <paramref name="discountAt"/>(basket value) on a basket.</summary>
    /// <param name="shopper">The shopper.</param>
    /// <param name="discountAt">Discount (or benefit value) the offer gives a basket of a value; never more than the value.</param>
    /// <param name="thresholds">Basket values at which the offer gives more (tier thresholds, minimum basket); may be empty.</param>
    /// <exception cref="ArgumentException">The shopper's probability is outside [0, 1], the basket not positive or the sensitivity negative.</exception>
    public OfferResponse Evaluate(Shopper shopper, Func<double, double> discountAt, IReadOnlyList<double> thresholds)
    {
        ArgumentNullException.ThrowIfNull(discountAt);
        ArgumentNullException.ThrowIfNull(thresholds);
        Check(shopper);
        var a = shopper.BasketValue;
        var keep = Outcome(shopper, a, discountAt(a));
        var target = double.NaN;
        var keepDiscount = discountAt(a);
        foreach (var t in thresholds)
        {
            if (t > a && (double.IsNaN(target) || t < target) && discountAt(t) > keepDiscount)
            {
                target = t;
            }
        }

        var (p, discount, profit, revenue) = keep;
        if (!double.IsNaN(target))
        {
            var q = Math.Exp(-((target / a) - 1) / _options.TradeUpScale);
            var up = Outcome(shopper, target, discountAt(target));
            (p, discount, profit, revenue) = (Mix(keep.P, up.P), Mix(keep.Discount, up.Discount), Mix(keep.Profit, up.Profit), Mix(keep.Revenue, up.Revenue));
            double Mix(double x, double y) => ((1 - q) * x) + (q * y);
        }

        var p0 = shopper.BaselineProbability;
        return new OfferResponse(p, discount, profit - (p0 * a * _options.Margin), p - p0, revenue - (p0 * a));
    }

    /// <summary>
    /// A shopper from a profile: baseline probability 1 − exp(−rate·window·e^(−recency/365)) with rate = orders per day
    /// of tenure (at least the window), basket = average order value, sensitivity 0.5 + the share of orders with a
    /// discount. Null when the profile has no positive average order value.
    /// </summary>
    public Shopper? FromProfile(CustomerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.AverageOrderValue <= 0)
        {
            return null;
        }

        var rate = profile.Frequency / Math.Max(profile.TenureDays, _options.WindowDays);
        var p0 = 1 - Math.Exp(-rate * _options.WindowDays * Math.Exp(-Math.Max(0, profile.RecencyDays) / 365));
        return new Shopper(Math.Clamp(p0, 0, 1), (double)profile.AverageOrderValue, 0.5 + Math.Clamp(profile.DiscountShare, 0, 1));
    }

    private (double P, double Discount, double Profit, double Revenue) Outcome(Shopper shopper, double basket, double discount)
    {
        discount = Math.Clamp(discount, 0, basket);
        var p = Probability(shopper, discount / basket);
        return (p, p * discount, p * ((basket * _options.Margin) - discount), p * (basket - discount));
    }

    private static void Check(Shopper shopper)
    {
        if (!(shopper.BaselineProbability is >= 0 and <= 1) || !(shopper.BasketValue > 0) || !double.IsFinite(shopper.BasketValue) || !(shopper.Sensitivity >= 0))
        {
            throw new ArgumentException($"a shopper needs a probability in [0, 1], a positive basket and a sensitivity >= 0, not {shopper}", nameof(shopper));
        }
    }
}
