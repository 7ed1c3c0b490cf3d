namespace PromoPilot.Campaigns.Optimization;

/// <summary>
/// Which offer, if any, each user should get: the candidate (user, offer) pairs with their predicted incremental
/// value and expected cost, as dense users × offers matrices (row-major, user by user), and the limits.
/// </summary>
/// <remarks>
/// Each user gets at most one offer. A pair whose value is NaN is not eligible (the user is outside the offer's
/// audience). Costs are the expected money spent (discounts, including those given to customers who would have
/// bought anyway), so they are non-negative.
/// </remarks>
public sealed class TargetingProblem
{
    /// <exception cref="ArgumentException">A matrix has the wrong size, a cost is negative or not finite, a value is infinite,
    /// or a limit is negative, not finite or of the wrong length (the message names the argument).</exception>
    public TargetingProblem(int users, int offers, float[] value, float[] cost, double budget, double[]? offerBudgets = null, long[]? offerStock = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(users);
        ArgumentOutOfRangeException.ThrowIfLessThan(offers, 1);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(cost);
        var pairs = (long)users * offers;
        if (value.LongLength != pairs || cost.LongLength != pairs)
        {
            throw new ArgumentException($"value and cost must hold users × offers = {pairs} entries; they hold {value.LongLength} and {cost.LongLength}", nameof(value));
        }

        if (!(budget >= 0) || !double.IsFinite(budget))
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "the budget must be a finite amount >= 0");
        }

        for (long i = 0; i < pairs; i++)
        {
            if (!(cost[i] >= 0) || !float.IsFinite(cost[i]))
            {
                throw new ArgumentException($"cost of user {i / offers}, offer {i % offers} is {cost[i]}: costs must be finite and >= 0", nameof(cost));
            }

            if (float.IsInfinity(value[i]))
            {
                throw new ArgumentException($"value of user {i / offers}, offer {i % offers} is infinite", nameof(value));
            }
        }

        if (offerBudgets is not null && (offerBudgets.Length != offers || offerBudgets.Any(b => !(b >= 0) || !double.IsFinite(b))))
        {
            throw new ArgumentException($"offer budgets must be {offers} finite amounts >= 0", nameof(offerBudgets));
        }

        if (offerStock is not null && (offerStock.Length != offers || offerStock.Any(s => s < 0)))
        {
            throw new ArgumentException($"offer stock must be {offers} counts >= 0", nameof(offerStock));
        }

        Users = users;
        Offers = offers;
        Value = value;
        Cost = cost;
        Budget = budget;
        OfferBudgets = offerBudgets;
        OfferStock = offerStock;
    }

    public int Users { get; }

    public int Offers { get; }

    /// <summary>Predicted incremental value (profit) of each pair, users × offers; NaN = not eligible.</summary>
    public IReadOnlyList<float> Value { get; }

    /// <summary>Expected cost of each pair, users × offers.</summary>
    public IReadOnlyList<float> Cost { get; }

    /// <summary>Total money the campaign may spend.</summary>
    public double Budget { get; }

    /// <summary>Money each offer may spend; null = only the total budget.</summary>
    public IReadOnlyList<double>? OfferBudgets { get; }

    /// <summary>Most users each offer may go to (stock, redemption limit); null = unlimited.</summary>
    public IReadOnlyList<long>? OfferStock { get; }

    internal float[] ValueArray => (float[])Value;

    internal float[] CostArray => (float[])Cost;
}

/// <summary>A choice of at most one offer per user, with what it yields and spends.</summary>
/// <param name="Choice">The offer chosen for each user, or −1 for none.</param>
/// <param name="Objective">Total predicted incremental value of the chosen pairs.</param>
/// <param name="Spend">Total expected cost of the chosen pairs (never above the budget).</param>
/// <param name="OfferSpend">Expected cost per offer.</param>
/// <param name="OfferUsers">Users per offer.</param>
/// <param name="UpperBound">An upper bound on the best objective any plan can reach (the Lagrangian dual value, which also
/// bounds the LP relaxation); null for heuristics that give none.</param>
/// <param name="BudgetMultiplier">The budget's Lagrange multiplier λ: value − λ·cost is what a pair is worth at the margin.</param>
public sealed record TargetingPlan(
    int[] Choice, double Objective, double Spend, double[] OfferSpend, long[] OfferUsers, double? UpperBound, double BudgetMultiplier)
{
    /// <summary>(bound − objective) / bound; 0 when the bound is 0; null without a bound.</summary>
    public double? Gap => UpperBound is { } bound ? bound > 0 ? Math.Max(0, (bound - Objective) / bound) : 0 : null;
}
