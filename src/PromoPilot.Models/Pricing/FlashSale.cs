using MathNet.Numerics.Distributions;

namespace PromoPilot.Models.Pricing;

/// <summary>
/// A flash sale to plan: the baseline forecast of units per period at the regular price over the sale window, the
/// offered price, and the elasticity with its standard error.
/// </summary>
/// <param name="BaselineUnits">Expected units per period of the window at the regular price without the sale (each ≥ 0; at least one period), e.g. a baseline forecast's mean.</param>
/// <param name="RegularPrice">Regular price (&gt; 0).</param>
/// <param name="OfferPrice">Offered price (&gt; 0).</param>
/// <param name="Elasticity">Own-price elasticity of a log-log model (finite).</param>
/// <param name="ElasticityStdError">Its standard error (≥ 0).</param>
/// <param name="UnitCost">Unit cost (≥ 0), for the profit.</param>
/// <param name="PromotionMultiplier">Multiplicative lift of the sale's display or advertising beyond the price (&gt; 0; e.g. exp of a deal coefficient). Default 1.</param>
public sealed record FlashSaleInput(
    IReadOnlyList<double> BaselineUnits, double RegularPrice, double OfferPrice, double Elasticity, double ElasticityStdError,
    double UnitCost = 0, double PromotionMultiplier = 1);

/// <summary>Options of <see cref="FlashSale"/>.</summary>
public sealed record FlashSaleOptions
{
    /// <summary>Log-scale standard error of the baseline forecast, common to the whole window (≥ 0). Default 0.</summary>
    public double BaselineLogStdError { get; init; }

    /// <summary>Log-scale standard deviation of each period's units around its mean, independent across periods (≥ 0). Default 0.</summary>
    public double PeriodLogStdError { get; init; }

    /// <summary>Draw realized units from a Poisson around their mean (count noise). Default true.</summary>
    public bool PoissonNoise { get; init; } = true;

    /// <summary>Two-sided interval level, in (0, 1). Default 0.9.</summary>
    public double IntervalLevel { get; init; } = 0.9;

    /// <summary>Simulation draws (≥ 100). Default 10000.</summary>
    public int Draws { get; init; } = 10000;

    /// <summary>Seed. Default 1.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>
/// The plan: expected units over the window at the offered price (plug-in at the elasticity estimate) with a
/// prediction interval, the baseline without the sale, incremental units, revenue, profit and the discount budget
/// ((regular − offer) × units), each with its interval, and the stock that covers demand at the interval's upper level.
/// </summary>
public sealed record FlashSalePlan(
    double PriceRatio, Estimate Units, double BaselineUnits, Estimate IncrementalUnits, Estimate Revenue, Estimate Profit, Estimate DiscountCost,
    double StockToCover);

/// <summary>
/// Flash-sale planning under constant-elasticity demand: units in period t are b_t · (offer / regular)^e · lift.
/// Intervals are quantiles over a seeded simulation that draws the elasticity from N(e, se²), a window-wide forecast
/// factor exp(σ_b z − σ_b²/2), independent period factors exp(σ_p z_t − σ_p²/2) (both mean-preserving log-normal) and,
/// optionally, Poisson counts. Reference: the log-log promotion response of Blattberg &amp; Neslin, "Sales Promotion:
/// Concepts, Methods, and Strategies" (1990), ch. 13, with the estimate's sampling distribution propagated by simulation.
/// </summary>
public static class FlashSale
{
    public static FlashSalePlan Plan(FlashSaleInput input, FlashSaleOptions? options = null)
    {
        options ??= new FlashSaleOptions();
        Validate(input, options);
        var ratio = input.OfferPrice / input.RegularPrice;
        var baseline = input.BaselineUnits.Sum();
        var expected = baseline * Math.Pow(ratio, input.Elasticity) * input.PromotionMultiplier;
        var rng = new Random(options.Seed);
        var units = new double[options.Draws];
        var n = input.BaselineUnits.Count;
        for (var d = 0; d < units.Length; d++)
        {
            var e = input.ElasticityStdError > 0 ? Normal.Sample(rng, input.Elasticity, input.ElasticityStdError) : input.Elasticity;
            var common = options.BaselineLogStdError > 0 ? Math.Exp((options.BaselineLogStdError * Normal.Sample(rng, 0, 1)) - (options.BaselineLogStdError * options.BaselineLogStdError / 2)) : 1;
            var scale = Math.Pow(ratio, e) * input.PromotionMultiplier * common;
            double total = 0;
            for (var t = 0; t < n; t++)
            {
                var mean = input.BaselineUnits[t] * scale;
                if (options.PeriodLogStdError > 0)
                {
                    mean *= Math.Exp((options.PeriodLogStdError * Normal.Sample(rng, 0, 1)) - (options.PeriodLogStdError * options.PeriodLogStdError / 2));
                }

                total += options.PoissonNoise && mean > 0 ? Poisson.Sample(rng, mean) : mean;
            }

            units[d] = total;
        }

        Array.Sort(units);
        var alpha = (1 - options.IntervalLevel) / 2;
        Estimate Of(Func<double, double> f)
        {
            // every measure is increasing in units (or decreasing, when its factor is negative), so its quantiles are those of units
            var (a, b) = (f(Quantiles.OfSorted(units, alpha)), f(Quantiles.OfSorted(units, 1 - alpha)));
            return new Estimate(f(expected), Math.Min(a, b), Math.Max(a, b));
        }

        return new FlashSalePlan(
            ratio, Of(u => u), baseline, Of(u => u - baseline), Of(u => u * input.OfferPrice), Of(u => u * (input.OfferPrice - input.UnitCost)),
            Of(u => u * (input.RegularPrice - input.OfferPrice)), Math.Ceiling(Quantiles.OfSorted(units, 1 - alpha)));
    }

    private static void Validate(FlashSaleInput input, FlashSaleOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        if (input.BaselineUnits is null || input.BaselineUnits.Count == 0 || input.BaselineUnits.Any(b => !(b >= 0 && double.IsFinite(b))))
        {
            throw new ArgumentException("BaselineUnits: at least one period, each ≥ 0.", nameof(input));
        }

        if (!(input.RegularPrice > 0 && double.IsFinite(input.RegularPrice)) || !(input.OfferPrice > 0 && double.IsFinite(input.OfferPrice)))
        {
            throw new ArgumentException($"Prices must be > 0 (regular {input.RegularPrice}, offer {input.OfferPrice}).", nameof(input));
        }

        if (!double.IsFinite(input.Elasticity) || !(input.ElasticityStdError >= 0 && double.IsFinite(input.ElasticityStdError)))
        {
            throw new ArgumentException($"The elasticity must be finite and its standard error ≥ 0 (got {input.Elasticity}, {input.ElasticityStdError}).", nameof(input));
        }

        if (!(input.UnitCost >= 0) || !(input.PromotionMultiplier > 0 && double.IsFinite(input.PromotionMultiplier)))
        {
            throw new ArgumentException("UnitCost must be ≥ 0 and PromotionMultiplier > 0.", nameof(input));
        }

        if (!(options.BaselineLogStdError >= 0) || !(options.PeriodLogStdError >= 0) || !(options.IntervalLevel > 0 && options.IntervalLevel < 1) || options.Draws < 100)
        {
            throw new ArgumentException("Standard errors must be ≥ 0, IntervalLevel in (0, 1) and Draws ≥ 100.", nameof(options));
        }
    }
}
