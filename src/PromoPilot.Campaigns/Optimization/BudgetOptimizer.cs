namespace PromoPilot.Campaigns.Optimization;

/// <summary>Settings of <see cref="BudgetOptimizer"/>.</summary>
public sealed record BudgetOptimizerOptions
{
    /// <summary>Bisection steps per multiplier search. Default 60 (the bracket shrinks 2⁶⁰-fold).</summary>
    public int Bisections { get; init; } = 60;

    /// <summary>Alternations between the total budget and the per-offer limits. Default 10.</summary>
    public int Rounds { get; init; } = 10;

    /// <summary>Threads for the passes over users; null = every core.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}

/// <summary>
/// Budget-optimal targeting: at most one offer per user, maximizing predicted incremental value subject to the total
/// budget, per-offer budgets and stock — a multiple-choice knapsack, solved through its Lagrangian dual.
/// </summary>
/// <remarks>
/// <para>For multipliers λ (total budget), μₒ (offer budgets) and νₒ (stock), every user independently takes the pair with
/// the largest reduced value v − (λ + μₒ)·c − νₒ, or nothing when none is positive. Total spend falls as λ rises (and
/// offer o's spend and users as μₒ, νₒ rise), so each multiplier is found by bisection: the smallest value whose choice
/// respects its limit. The multipliers are adjusted in turn for a few rounds; the choice is then repaired (pairs with the
/// least reduced value leave an offer over its limit) and the budget left over is filled greedily by value per cost.</para>
/// <para>Every pass also evaluates the dual function L = λB + Σ μₒBₒ + Σ νₒSₒ + Σᵤ max(0, maxₒ reduced value), an upper
/// bound on the objective of every plan and of the LP relaxation (weak duality); the smallest one seen is reported, so
/// the gap (bound − objective) / bound is a certificate. References: Sinha &amp; Zoltners (1979), "The multiple-choice
/// knapsack problem", Operations Research 27(3); Everett (1963), generalized Lagrange multipliers.</para>
/// </remarks>
public static class BudgetOptimizer
{
    private const int Block = 1 << 14;

    /// <summary>The plan, with the Lagrangian upper bound.</summary>
    public static TargetingPlan Solve(TargetingProblem problem, BudgetOptimizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new BudgetOptimizerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Bisections, 1, nameof(options.Bisections));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Rounds, 1, nameof(options.Rounds));
        var search = new Search(problem, options);
        var state = search.Evaluate();
        // With the total budget alone one bisection on λ is exact; per-offer limits take rounds of coordinate descent on
        // the dual: each multiplier in turn is set to the smallest value that keeps its limit, starting again from 0,
        // so one set too high while the others were low can come down.
        var rounds = search.Feasible(state) ? 0 : problem.OfferBudgets is null && problem.OfferStock is null ? 1 : options.Rounds;
        for (var round = 0; round < rounds; round++)
        {
            state = search.FitBudget();
            for (var o = 0; o < problem.Offers; o++)
            {
                if (problem.OfferBudgets is not null)
                {
                    state = search.FitOffer(o, stock: false);
                }

                if (problem.OfferStock is not null)
                {
                    state = search.FitOffer(o, stock: true);
                }
            }
        }

        if (state.Spend > problem.Budget)
        {
            search.FitBudget(); // the last offer fit moved users onto other offers; the repair below settles the rest
        }

        var choice = search.Choose();
        Repair(problem, search, choice);
        Fill(problem, choice);
        return Plan(problem, choice, search.BestBound, search.Lambda);
    }

    /// <summary>The naive baseline: all pairs by value per cost, best first; a pair is taken while its user has no offer and it fits.</summary>
    public static TargetingPlan Greedy(TargetingProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var value = problem.ValueArray;
        var cost = problem.CostArray;
        var pairs = new List<long>();
        for (long i = 0; i < value.LongLength; i++)
        {
            if (value[i] > 0)
            {
                pairs.Add(i);
            }
        }

        var ratios = pairs.Select(i => cost[i] > 0 ? value[i] / (double)cost[i] : double.PositiveInfinity).ToArray();
        var order = pairs.ToArray();
        Array.Sort(ratios, order);
        Array.Reverse(order);
        var choice = Enumerable.Repeat(-1, problem.Users).ToArray();
        var limits = new Limits(problem);
        foreach (var i in order)
        {
            var user = (int)(i / problem.Offers);
            var offer = (int)(i % problem.Offers);
            if (choice[user] < 0 && limits.TryTake(offer, cost[i]))
            {
                choice[user] = offer;
            }
        }

        return Plan(problem, choice, null, 0);
    }

    /// <summary>Drops, from any offer over its budget or stock and then from the total, the chosen pairs worth least at the margin.</summary>
    private static void Repair(TargetingProblem problem, Search search, int[] choice)
    {
        var cost = problem.CostArray;
        var limits = new Limits(problem);
        var chosen = Enumerable.Range(0, problem.Users).Where(u => choice[u] >= 0)
            .OrderByDescending(u => search.Reduced(u, choice[u])).ToList();
        foreach (var u in chosen)
        {
            var i = ((long)u * problem.Offers) + choice[u];
            if (!limits.TryTake(choice[u], cost[i]))
            {
                choice[u] = -1;
            }
        }
    }

    /// <summary>
    /// Spends what is left: for every user the best improving move (a first offer, or a switch to a more valuable one)
    /// whose extra cost fits, taken in order of extra value per extra cost.
    /// </summary>
    private static void Fill(TargetingProblem problem, int[] choice)
    {
        var value = problem.ValueArray;
        var cost = problem.CostArray;
        var limits = new Limits(problem);
        for (var u = 0; u < problem.Users; u++)
        {
            if (choice[u] >= 0)
            {
                limits.Take(choice[u], cost[((long)u * problem.Offers) + choice[u]]);
            }
        }

        var moves = new List<(double Ratio, int User, int Offer)>();
        for (var u = 0; u < problem.Users; u++)
        {
            var row = (long)u * problem.Offers;
            var current = choice[u];
            double currentValue = current >= 0 ? value[row + current] : 0, currentCost = current >= 0 ? cost[row + current] : 0;
            (double Ratio, int Offer) best = (double.NegativeInfinity, -1);
            for (var o = 0; o < problem.Offers; o++)
            {
                var gain = value[row + o] - currentValue;
                var extra = cost[row + o] - currentCost;
                if (o == current || !(gain > 0) || extra > limits.Remaining)
                {
                    continue;
                }

                var ratio = extra > 0 ? gain / extra : double.PositiveInfinity;
                if (ratio > best.Ratio)
                {
                    best = (ratio, o);
                }
            }

            if (best.Offer >= 0)
            {
                moves.Add((best.Ratio, u, best.Offer));
            }
        }

        foreach (var (_, u, o) in moves.OrderByDescending(m => m.Ratio))
        {
            var row = (long)u * problem.Offers;
            var current = choice[u];
            if (current >= 0)
            {
                limits.Release(current, cost[row + current]);
            }

            if (limits.TryTake(o, cost[row + o]))
            {
                choice[u] = o;
            }
            else if (current >= 0)
            {
                limits.Take(current, cost[row + current]);
            }
        }
    }

    private static TargetingPlan Plan(TargetingProblem problem, int[] choice, double? bound, double lambda)
    {
        var value = problem.ValueArray;
        var cost = problem.CostArray;
        double objective = 0, spend = 0;
        var offerSpend = new double[problem.Offers];
        var offerUsers = new long[problem.Offers];
        for (var u = 0; u < problem.Users; u++)
        {
            if (choice[u] < 0)
            {
                continue;
            }

            var i = ((long)u * problem.Offers) + choice[u];
            objective += value[i];
            spend += cost[i];
            offerSpend[choice[u]] += cost[i];
            offerUsers[choice[u]]++;
        }

        return new TargetingPlan(choice, objective, spend, offerSpend, offerUsers, bound is { } b ? Math.Max(b, objective) : null, lambda);
    }

    /// <summary>What one pass at given multipliers chooses: total and per-offer spend and users.</summary>
    private sealed record PassResult(double Spend, double[] OfferSpend, long[] OfferUsers);

    /// <summary>Remaining total budget, offer budgets and stock while pairs are taken one by one.</summary>
    private sealed class Limits(TargetingProblem problem)
    {
        private readonly double[] _offerSpend = new double[problem.Offers];
        private readonly long[] _offerUsers = new long[problem.Offers];
        private double _spend;

        public double Remaining => problem.Budget - _spend;

        public bool TryTake(int offer, double cost)
        {
            if (_spend + cost > problem.Budget
                || (problem.OfferBudgets is { } budgets && _offerSpend[offer] + cost > budgets[offer])
                || (problem.OfferStock is { } stock && _offerUsers[offer] + 1 > stock[offer]))
            {
                return false;
            }

            Take(offer, cost);
            return true;
        }

        public void Take(int offer, double cost)
        {
            _spend += cost;
            _offerSpend[offer] += cost;
            _offerUsers[offer]++;
        }

        public void Release(int offer, double cost)
        {
            _spend -= cost;
            _offerSpend[offer] -= cost;
            _offerUsers[offer]--;
        }
    }

    /// <summary>The multipliers, the passes over users at them, and the best dual bound seen.</summary>
    private sealed class Search(TargetingProblem problem, BudgetOptimizerOptions options)
    {
        private readonly float[] _value = problem.ValueArray;
        private readonly float[] _cost = problem.CostArray;
        private readonly double[] _mu = new double[problem.Offers];
        private readonly double[] _nu = new double[problem.Offers];

        public double Lambda { get; private set; }

        public double BestBound { get; private set; } = double.PositiveInfinity;

        public double Reduced(int user, int offer)
        {
            var i = ((long)user * problem.Offers) + offer;
            return _value[i] - ((Lambda + _mu[offer]) * _cost[i]) - _nu[offer];
        }

        public bool Feasible(PassResult pass)
        {
            if (pass.Spend > problem.Budget)
            {
                return false;
            }

            for (var o = 0; o < problem.Offers; o++)
            {
                if ((problem.OfferBudgets is { } b && pass.OfferSpend[o] > b[o]) || (problem.OfferStock is { } s && pass.OfferUsers[o] > s[o]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The smallest λ whose choice keeps the total spend within the budget.</summary>
        public PassResult FitBudget()
        {
            Lambda = 0;
            var atZero = Evaluate();
            if (atZero.Spend <= problem.Budget)
            {
                return atZero;
            }

            var high = MaxRatio(offer: -1);
            Lambda = high;
            var feasible = Evaluate();
            double low = 0;
            for (var step = 0; step < options.Bisections; step++)
            {
                Lambda = (low + high) / 2;
                var pass = Evaluate();
                if (pass.Spend <= problem.Budget)
                {
                    (high, feasible) = (Lambda, pass);
                }
                else
                {
                    low = Lambda;
                }
            }

            Lambda = high;
            return feasible;
        }

        /// <summary>The smallest μₒ (or νₒ with <paramref name="stock"/>) whose choice keeps offer o within its limit.</summary>
        public PassResult FitOffer(int offer, bool stock)
        {
            var multiplier = stock ? _nu : _mu;
            bool Within(PassResult pass) => stock ? pass.OfferUsers[offer] <= problem.OfferStock![offer] : pass.OfferSpend[offer] <= problem.OfferBudgets![offer];
            multiplier[offer] = 0;
            var atZero = Evaluate();
            if (Within(atZero))
            {
                return atZero;
            }

            double low = 0, high = stock ? MaxReduced(offer) : MaxRatio(offer);
            multiplier[offer] = high;
            var feasible = Evaluate();
            for (var step = 0; step < options.Bisections; step++)
            {
                multiplier[offer] = (low + high) / 2;
                var pass = Evaluate();
                if (Within(pass))
                {
                    (high, feasible) = (multiplier[offer], pass);
                }
                else
                {
                    low = multiplier[offer];
                }
            }

            multiplier[offer] = high;
            return feasible;
        }

        /// <summary>The choice of every user at the current multipliers.</summary>
        public int[] Choose()
        {
            var choice = new int[problem.Users];
            Pass(choice);
            return choice;
        }

        public PassResult Evaluate() => Pass(null);

        /// <summary>One parallel pass: each user's best pair, summed per offer; updates the best dual bound.</summary>
        private PassResult Pass(int[]? choice)
        {
            var offers = problem.Offers;
            var blocks = (problem.Users + Block - 1) / Block;
            var totalSpend = new double[offers];
            var totalUsers = new long[offers];
            double dual = 0;
            var gate = new object();
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? -1 };
            Parallel.For(
                0, blocks, parallel,
                () => (Spend: new double[offers], Users: new long[offers], Dual: 0.0),
                (block, _, local) =>
                {
                    var end = Math.Min(problem.Users, (block + 1) * Block);
                    for (var u = block * Block; u < end; u++)
                    {
                        var row = (long)u * offers;
                        double best = 0;
                        var bestOffer = -1;
                        for (var o = 0; o < offers; o++)
                        {
                            var reduced = _value[row + o] - ((Lambda + _mu[o]) * _cost[row + o]) - _nu[o];
                            if (reduced > best)
                            {
                                (best, bestOffer) = (reduced, o); // NaN (not eligible) never compares greater
                            }
                        }

                        if (choice is not null)
                        {
                            choice[u] = bestOffer;
                        }

                        if (bestOffer >= 0)
                        {
                            local.Spend[bestOffer] += _cost[row + bestOffer];
                            local.Users[bestOffer]++;
                            local.Dual += best;
                        }
                    }

                    return local;
                },
                local =>
                {
                    lock (gate)
                    {
                        for (var o = 0; o < offers; o++)
                        {
                            totalSpend[o] += local.Spend[o];
                            totalUsers[o] += local.Users[o];
                        }

                        dual += local.Dual;
                    }
                });

            dual += Lambda * problem.Budget;
            for (var o = 0; o < offers; o++)
            {
                dual += (problem.OfferBudgets is { } b ? _mu[o] * b[o] : 0) + (problem.OfferStock is { } s ? _nu[o] * s[o] : 0);
            }

            BestBound = Math.Min(BestBound, dual);
            return new PassResult(totalSpend.Sum(), totalSpend, totalUsers);
        }

        /// <summary>A λ (offer < 0) or μₒ at which no pair with a cost keeps a positive reduced value.</summary>
        private double MaxRatio(int offer)
        {
            double max = 0;
            for (long i = 0; i < _value.LongLength; i++)
            {
                var o = (int)(i % problem.Offers);
                if ((offer < 0 || o == offer) && _cost[i] > 0 && _value[i] > 0)
                {
                    var others = offer < 0 ? _mu[o] : Lambda;
                    max = Math.Max(max, ((_value[i] - _nu[o]) / _cost[i]) - others);
                }
            }

            return (max * (1 + 1e-9)) + 1e-12;
        }

        /// <summary>A νₒ above every reduced value of offer o.</summary>
        private double MaxReduced(int offer)
        {
            double max = 0;
            for (var u = 0; u < problem.Users; u++)
            {
                var i = ((long)u * problem.Offers) + offer;
                var reduced = _value[i] - ((Lambda + _mu[offer]) * _cost[i]);
                if (reduced > max)
                {
                    max = reduced; // NaN (not eligible) never compares greater
                }
            }

            return (max * (1 + 1e-9)) + 1e-12;
        }
    }
}
