using MathNet.Numerics.Distributions;

namespace PromoPilot.Models.Pricing;

/// <summary>What <see cref="PriceOptimizer"/> maximizes.</summary>
public enum PricingObjective
{
    /// <summary>Expected gross profit: (price − unit cost) × units.</summary>
    Profit,

    /// <summary>Expected revenue: price × units (the unit cost then only enters through the margin floor).</summary>
    Revenue,
}

/// <summary>
/// One item (or item × store) to price under constant-elasticity demand: units per period at price p are
/// <c>BaselineUnits · (p / CurrentPrice)^Elasticity</c>.
/// </summary>
/// <param name="Id">Label carried to the result.</param>
/// <param name="CurrentPrice">Price now (&gt; 0); the maximum change is measured from it.</param>
/// <param name="UnitCost">Cost of one unit (≥ 0).</param>
/// <param name="BaselineUnits">Expected units per period at the current price (≥ 0), e.g. a baseline forecast.</param>
/// <param name="Elasticity">Own-price elasticity of a log-log model (finite; e.g. <c>LogLogElasticity</c>).</param>
/// <param name="ElasticityStdError">Its standard error (≥ 0); the intervals propagate it.</param>
/// <param name="Periods">Number of periods the price holds (≥ 1); units, revenue and profit are totals over them.</param>
/// <param name="Inventory">Stock on hand for those periods (null: unlimited). Sales are capped at it and, when given,
/// the stock is already paid for: profit = price × sold + salvage × unsold − cost × inventory.</param>
public sealed record PricingItem(
    string Id, double CurrentPrice, double UnitCost, double BaselineUnits, double Elasticity, double ElasticityStdError,
    int Periods = 1, double? Inventory = null);

/// <summary>Options of <see cref="PriceOptimizer"/>.</summary>
public sealed record PriceOptimizerOptions
{
    /// <summary>What to maximize. Default <see cref="PricingObjective.Profit"/>.</summary>
    public PricingObjective Objective { get; init; } = PricingObjective.Profit;

    /// <summary>Largest relative change from the current price, up or down (e.g. 0.1 = ±10%). Default null (no limit).</summary>
    public double? MaxChange { get; init; }

    /// <summary>Smallest gross margin (price − cost) / price, in [0, 1) (e.g. 0.2). Default null (no floor).</summary>
    public double? MarginFloor { get; init; }

    /// <summary>Allowed price endings, fractional parts in [0, 1) (e.g. 0.49 and 0.99: prices k + 0.49, k + 0.99). Default none.</summary>
    public IReadOnlyList<double> Endings { get; init; } = [];

    /// <summary>Explicit allowed price points (a price ladder); combined with <see cref="Endings"/> as a union. Default none.</summary>
    public IReadOnlyList<double> Ladder { get; init; } = [];

    /// <summary>With a ladder or endings, the current price is also allowed (leaving a price as it is is always possible). Default true.</summary>
    public bool AllowCurrentPrice { get; init; } = true;

    /// <summary>When an item has inventory: require expected units over its periods to reach it (sell through by the end). Default false.</summary>
    public bool RequireSellThrough { get; init; }

    /// <summary>Value of one unsold unit when an item has inventory (≥ 0). Default 0.</summary>
    public double SalvageValue { get; init; }

    /// <summary>Two-sided level of the reported intervals, in (0, 1). Default 0.9.</summary>
    public double IntervalLevel { get; init; } = 0.9;

    /// <summary>Draws of the elasticity from N(estimate, std error²) for the intervals (≥ 100). Default 4000.</summary>
    public int Draws { get; init; } = 4000;

    /// <summary>Seed of those draws. Default 1.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>A point estimate with its interval.</summary>
public sealed record Estimate(double Value, double Low, double High);

/// <summary>
/// The chosen price of one item: expected units, revenue and profit over its periods at that price (plug-in at the
/// elasticity estimate) with intervals over the elasticity's sampling distribution, the constraints that bind
/// ("max_change_up", "max_change_down", "margin_floor", "sell_through", "inventory", "ladder") and a status
/// ("ok", or "infeasible: ..." when no price satisfies the constraints, in which case the current price is kept).
/// </summary>
public sealed record PriceDecision(
    string Id, double CurrentPrice, double Price, double Change, double Margin, Estimate Units, Estimate Revenue, Estimate Profit,
    Estimate CurrentUnits, Estimate CurrentProfit, IReadOnlyList<string> Binding, string Status);

/// <summary>
/// Price optimization under constant-elasticity (log-log) demand. Without inventory and for an elasticity e &lt; −1 the
/// profit-optimal price is the Lerner / Amoroso-Robinson markup c·e/(1 + e); for e ≥ −1 profit grows with price and the
/// highest feasible price is chosen; revenue falls with price when e &lt; −1 (lowest feasible price) and grows when e &gt; −1.
/// Constraints (maximum change, margin floor, sell-through of inventory) make a feasible interval [lo, hi]; on it the
/// objective is unimodal on each side of the inventory kink, so the optimum is the best of the clamped stationary
/// point, the kink and the ends; with a ladder or endings the best allowed point in [lo, hi] is chosen by enumeration.
/// Intervals are quantiles of units, revenue and profit with the elasticity drawn from N(e, se²) (seeded). Reference:
/// Phillips, "Pricing and Revenue Optimization" (2nd ed., 2021), ch. 5 (constant-elasticity price response, optimal
/// markup) and ch. 10 (markdowns with inventory).
/// </summary>
public static class PriceOptimizer
{
    public static IReadOnlyList<PriceDecision> Optimize(IReadOnlyList<PricingItem> items, PriceOptimizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        options ??= new PriceOptimizerOptions();
        Validate(options);
        return items.Select((item, i) => Optimize(item, options, options.Seed + i)).ToList();
    }

    public static PriceDecision Optimize(PricingItem item, PriceOptimizerOptions? options = null) =>
        Optimize(item, Validate(options ?? new PriceOptimizerOptions()), (options ?? new PriceOptimizerOptions()).Seed);

    /// <summary>Expected units over the item's periods at a price (sales capped at inventory) under elasticity e.</summary>
    public static double Units(PricingItem item, double price, double elasticity)
    {
        ArgumentNullException.ThrowIfNull(item);
        var demand = item.Periods * item.BaselineUnits * Math.Pow(price / item.CurrentPrice, elasticity);
        return item.Inventory is { } stock ? Math.Min(demand, stock) : demand;
    }

    /// <summary>The objective at a price under elasticity e (see <see cref="PricingItem.Inventory"/> for profit with stock).</summary>
    public static double Value(PricingItem item, double price, double elasticity, PriceOptimizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var units = Units(item, price, elasticity);
        return options.Objective == PricingObjective.Revenue ? price * units : Profit(item, price, units, options);
    }

    private static double Profit(PricingItem item, double price, double units, PriceOptimizerOptions options) =>
        item.Inventory is { } stock
            ? (price * units) + (options.SalvageValue * (stock - units)) - (item.UnitCost * stock)
            : (price - item.UnitCost) * units;

    private static PriceOptimizerOptions Validate(PriceOptimizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxChange is { } m && !(m >= 0 && double.IsFinite(m)))
        {
            throw new ArgumentException($"MaxChange must be ≥ 0 (got {m}).", nameof(options));
        }

        if (options.MarginFloor is { } f && !(f >= 0 && f < 1))
        {
            throw new ArgumentException($"MarginFloor must lie in [0, 1) (got {f}).", nameof(options));
        }

        if (options.Endings.Any(e => !(e >= 0 && e < 1)))
        {
            throw new ArgumentException("Endings are fractional parts in [0, 1) (e.g. 0.49, 0.99).", nameof(options));
        }

        if (options.Ladder.Any(p => !(p > 0 && double.IsFinite(p))))
        {
            throw new ArgumentException("Ladder prices must be > 0.", nameof(options));
        }

        if (!(options.IntervalLevel > 0 && options.IntervalLevel < 1))
        {
            throw new ArgumentException($"IntervalLevel must lie in (0, 1) (got {options.IntervalLevel}).", nameof(options));
        }

        if (options.Draws < 100)
        {
            throw new ArgumentException($"Draws must be ≥ 100 (got {options.Draws}).", nameof(options));
        }

        if (!(options.SalvageValue >= 0 && double.IsFinite(options.SalvageValue)))
        {
            throw new ArgumentException($"SalvageValue must be ≥ 0 (got {options.SalvageValue}).", nameof(options));
        }

        return options;
    }

    private static void Validate(PricingItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var name = $"item '{item.Id}'";
        if (!(item.CurrentPrice > 0 && double.IsFinite(item.CurrentPrice)))
        {
            throw new ArgumentException($"{name}: current price must be > 0 (got {item.CurrentPrice}).", nameof(item));
        }

        if (!(item.UnitCost >= 0 && double.IsFinite(item.UnitCost)))
        {
            throw new ArgumentException($"{name}: unit cost must be ≥ 0 (got {item.UnitCost}).", nameof(item));
        }

        if (!(item.BaselineUnits >= 0 && double.IsFinite(item.BaselineUnits)))
        {
            throw new ArgumentException($"{name}: baseline units must be ≥ 0 (got {item.BaselineUnits}).", nameof(item));
        }

        if (!double.IsFinite(item.Elasticity) || !(item.ElasticityStdError >= 0 && double.IsFinite(item.ElasticityStdError)))
        {
            throw new ArgumentException($"{name}: elasticity must be finite and its standard error ≥ 0 (got {item.Elasticity}, {item.ElasticityStdError}).", nameof(item));
        }

        if (item.Periods < 1)
        {
            throw new ArgumentException($"{name}: periods must be ≥ 1 (got {item.Periods}).", nameof(item));
        }

        if (item.Inventory is { } s && !(s >= 0 && double.IsFinite(s)))
        {
            throw new ArgumentException($"{name}: inventory must be ≥ 0 (got {s}).", nameof(item));
        }
    }

    private static PriceDecision Optimize(PricingItem item, PriceOptimizerOptions options, int seed)
    {
        Validate(item);
        var p0 = item.CurrentPrice;
        var e = item.Elasticity;
        double lo = 1e-9 * p0, hi = double.PositiveInfinity;
        string loBy = "", hiBy = "";
        void Raise(double v, string by)
        {
            if (v > lo)
            {
                (lo, loBy) = (v, by);
            }
        }

        void Lower(double v, string by)
        {
            if (v < hi)
            {
                (hi, hiBy) = (v, by);
            }
        }

        if (options.MaxChange is { } m)
        {
            Raise(p0 * (1 - m), "max_change_down");
            Lower(p0 * (1 + m), "max_change_up");
        }

        if (options.MarginFloor is { } floor)
        {
            Raise(item.UnitCost / (1 - floor), "margin_floor");
        }

        // the price at which expected demand over the periods equals the stock: above it stock is left, below it sales are capped
        double? kink = item.Inventory is { } stock && item.BaselineUnits > 0 && stock > 0 && e != 0
            ? p0 * Math.Pow(stock / (item.Periods * item.BaselineUnits), 1 / e)
            : null;
        if (options.RequireSellThrough && item.Inventory is not null)
        {
            if (kink is { } k && e < 0)
            {
                Lower(k, "sell_through");
            }
            else if (item.Inventory > 0)
            {
                return Infeasible(item, options, seed, "sell-through needs a positive baseline and a negative elasticity");
            }
        }

        if (lo > hi * (1 + 1e-12))
        {
            return Infeasible(item, options, seed, $"the constraints leave no price ({loBy} needs ≥ {lo:G6}, {hiBy} needs ≤ {hi:G6})");
        }

        double price;
        var binding = new List<string>();
        if (options.Endings.Count > 0 || options.Ladder.Count > 0)
        {
            var candidates = LadderPoints(options, lo, hi);
            if (options.AllowCurrentPrice && p0 >= lo - 1e-12 && p0 <= hi + 1e-12 && !candidates.Contains(p0))
            {
                candidates.Add(p0);
            }

            if (candidates.Count == 0)
            {
                return Infeasible(item, options, seed, $"no ladder price lies in [{lo:G6}, {hi:G6}]");
            }

            price = candidates.MaxBy(p => Value(item, p, e, options));
            var continuous = ContinuousOptimum(item, options, lo, hi, kink);
            if (Math.Abs(price - continuous) > 1e-9 * p0)
            {
                binding.Add("ladder");
            }
        }
        else
        {
            if (double.IsPositiveInfinity(hi) && Unbounded(item, options))
            {
                return Infeasible(item, options, seed, "the objective grows without bound in the price (elasticity ≥ −1 for profit, > −1 for revenue): set a maximum change");
            }

            price = ContinuousOptimum(item, options, lo, hi, kink);
        }

        var tolerance = 1e-9 * p0;
        if (Math.Abs(price - lo) <= tolerance && loBy.Length > 0)
        {
            binding.Insert(0, loBy);
        }

        if (Math.Abs(price - hi) <= tolerance && hiBy.Length > 0)
        {
            binding.Insert(0, hiBy);
        }

        if (kink is { } at && Math.Abs(price - at) <= tolerance && !binding.Contains("sell_through"))
        {
            binding.Add("inventory");
        }

        return Decide(item, options, seed, price, binding, "ok");
    }

    private static bool Unbounded(PricingItem item, PriceOptimizerOptions options)
    {
        if (item.BaselineUnits == 0)
        {
            return false;
        }

        // (p − c)·p^e grows without bound (or towards an unattained supremum at e = −1) when e ≥ −1; p·p^e when e > −1
        return options.Objective == PricingObjective.Profit ? item.Elasticity >= -1 : item.Elasticity > -1;
    }

    private static double ContinuousOptimum(PricingItem item, PriceOptimizerOptions options, double lo, double hi, double? kink)
    {
        var e = item.Elasticity;
        var hiFinite = double.IsPositiveInfinity(hi) ? Math.Max(lo, item.CurrentPrice) * 1e6 : hi;
        var cost = options.Objective == PricingObjective.Revenue ? 0.0 : item.Inventory is null ? item.UnitCost : options.SalvageValue;
        var candidates = new List<double> { lo, hiFinite };
        if (e < -1)
        {
            // stationary point of (p − c)·p^e (c = unit cost, salvage value with stock, 0 for revenue)
            var stationary = cost * e / (1 + e);
            candidates.Add(Math.Clamp(stationary, kink is { } k ? Math.Max(lo, Math.Min(k, hiFinite)) : lo, hiFinite));
        }

        if (kink is { } at)
        {
            candidates.Add(Math.Clamp(at, lo, hiFinite));
        }

        return candidates.Where(p => p > 0).MaxBy(p => Value(item, p, e, options));
    }

    private static List<double> LadderPoints(PriceOptimizerOptions options, double lo, double hi)
    {
        var points = new SortedSet<double>(options.Ladder.Where(p => p >= lo - 1e-12 && p <= hi + 1e-12));
        if (options.Endings.Count > 0)
        {
            var top = double.IsPositiveInfinity(hi) ? Math.Floor(lo) + 1000 : Math.Floor(hi);
            for (var k = Math.Floor(lo); k <= top; k++)
            {
                foreach (var ending in options.Endings)
                {
                    var p = Math.Round(k + ending, 10);
                    if (p > 0 && p >= lo - 1e-12 && p <= hi + 1e-12)
                    {
                        points.Add(p);
                    }
                }
            }
        }

        return [.. points];
    }

    private static PriceDecision Infeasible(PricingItem item, PriceOptimizerOptions options, int seed, string why) =>
        Decide(item, options, seed, item.CurrentPrice, [], $"infeasible: {why}; the current price is kept");

    private static PriceDecision Decide(PricingItem item, PriceOptimizerOptions options, int seed, double price, List<string> binding, string status)
    {
        var units = Interval(item, options, seed, price, (p, u) => u);
        var revenue = Interval(item, options, seed, price, (p, u) => p * u);
        var profit = Interval(item, options, seed, price, (p, u) => Profit(item, p, u, options));
        var currentUnits = Interval(item, options, seed, item.CurrentPrice, (p, u) => u);
        var currentProfit = Interval(item, options, seed, item.CurrentPrice, (p, u) => Profit(item, p, u, options));
        return new PriceDecision(
            item.Id, item.CurrentPrice, price, (price / item.CurrentPrice) - 1, price > 0 ? (price - item.UnitCost) / price : 0,
            units, revenue, profit, currentUnits, currentProfit, binding, status);
    }

    private static Estimate Interval(PricingItem item, PriceOptimizerOptions options, int seed, double price, Func<double, double, double> measure)
    {
        var point = measure(price, Units(item, price, item.Elasticity));
        if (item.ElasticityStdError == 0)
        {
            return new Estimate(point, point, point);
        }

        var rng = new Random(seed);
        var draws = new double[options.Draws];
        for (var i = 0; i < draws.Length; i++)
        {
            var e = Normal.Sample(rng, item.Elasticity, item.ElasticityStdError);
            draws[i] = measure(price, Units(item, price, e));
        }

        var alpha = (1 - options.IntervalLevel) / 2;
        return new Estimate(point, Quantiles.Of(draws, alpha), Quantiles.Of(draws, 1 - alpha));
    }
}

/// <summary>Sample quantiles (linear interpolation between order statistics, R's type 7 / numpy's default).</summary>
internal static class Quantiles
{
    public static double Of(double[] values, double q)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return OfSorted(sorted, q);
    }

    public static double OfSorted(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }

        var h = (sorted.Length - 1) * q;
        var i = (int)Math.Floor(h);
        return i + 1 < sorted.Length ? sorted[i] + ((h - i) * (sorted[i + 1] - sorted[i])) : sorted[i];
    }
}
