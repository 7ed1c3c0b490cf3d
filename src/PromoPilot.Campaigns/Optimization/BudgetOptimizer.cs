using Google.OrTools.LinearSolver;

namespace PromoPilot.Campaigns.Optimization;

/// <summary>Settings of <see cref="BudgetOptimizer"/>.</summary>
public sealed record BudgetOptimizerOptions
{
    /// <summary>Bisection steps per multiplier search. Default 60 (the bracket shrinks 2⁶⁰-fold).</summary>
    public int Bisections { get; init; } = 60;

    /// <summary>Alternations between the total budget and the per-offer limits. Default 10.</summary>
    public int Rounds { get; init; } = 10;

    /// <summary>Most cutting-plane steps that refine all multipliers jointly when per-offer limits are present. Default 100.</summary>
    public int CuttingPlanes { get; init; } = 100;

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
/// least reduced value leave an offer over its limit) and the budget left over is filled greedily by value per cost.
/// With per-offer limits, coordinate rounds stall short of the dual optimum, so all multipliers are then refined jointly
/// by cutting planes (<c>Search.Refine</c>), and the best of four plans is kept (see <see cref="Solve"/>).</para>
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
        var plan = Plan(problem, choice, search.BestBound, search.Lambda);
        if (rounds == 0 || (problem.OfferBudgets is null && problem.OfferStock is null))
        {
            return plan;
        }

        // With offer limits, coordinate descent stalls short of the dual optimum (one multiplier at a time cannot follow a
        // kink that needs two to move together): all multipliers are refined jointly by a cutting-plane method. Three
        // plans are then built at the refined multipliers, and the best of them and the one above is kept: the repair
        // above; a Lagrangian greedy that moves users an offer has no room for to their next pair instead of dropping
        // them; and the rounding of the best mix of the passes' choices (Dantzig–Wolfe).
        search.Refine(options.CuttingPlanes);
        var candidates = new List<int[]> { search.Choose(), ReducedValueGreedy(problem, search) };
        Repair(problem, search, candidates[0]);
        if (search.Recover() is { } rounded)
        {
            candidates.Add(rounded);
        }

        foreach (var candidate in candidates)
        {
            Fill(problem, candidate);
            var next = Plan(problem, candidate, search.BestBound, search.Lambda);
            plan = next.Objective > plan.Objective ? next : plan with { UpperBound = next.UpperBound };
        }

        return plan;
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
        return Plan(problem, TakeInOrder(problem, order), null, 0);
    }

    /// <summary>
    /// A Lagrangian heuristic: every pair with a positive reduced value at the fitted multipliers, best first; a pair is
    /// taken while its user has no offer and it fits every limit, so a user an offer has no room for falls to their next
    /// best pair rather than to nothing (Fisher (1981), "The Lagrangian relaxation method for solving integer
    /// programming problems", Management Science 27(1)).
    /// </summary>
    private static int[] ReducedValueGreedy(TargetingProblem problem, Search search)
    {
        var reduced = new List<double>();
        var pairs = new List<long>();
        for (var u = 0; u < problem.Users; u++)
        {
            for (var o = 0; o < problem.Offers; o++)
            {
                var r = search.Reduced(u, o);
                if (r > 0)
                {
                    reduced.Add(-r);
                    pairs.Add(((long)u * problem.Offers) + o);
                }
            }
        }

        var keys = reduced.ToArray();
        var order = pairs.ToArray();
        Array.Sort(keys, order);
        return TakeInOrder(problem, order);
    }

    /// <summary>Takes the pairs (index user × offers + offer) in <paramref name="order"/>: a pair while its user has no offer and it fits every limit.</summary>
    private static int[] TakeInOrder(TargetingProblem problem, long[] order)
    {
        var cost = problem.CostArray;
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

        return choice;
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
        private readonly List<double[]> _cuts = [];
        private readonly List<(int[]? Choice, double[] Cut)> _pieces = [];
        private double[]? _best;

        /// <summary>Cuts kept for the cutting-plane master (the most recent).</summary>
        private const int MaxCuts = 1500;

        /// <summary>Multipliers: λ, then μₒ when offer budgets are given, then νₒ when stock is.</summary>
        private int Dimensions => 1 + (problem.OfferBudgets is null ? 0 : problem.Offers) + (problem.OfferStock is null ? 0 : problem.Offers);

        private int BudgetIndex(int offer) => 1 + offer;

        private int StockIndex(int offer) => 1 + (problem.OfferBudgets is null ? 0 : problem.Offers) + offer;

        /// <summary>The limits in multiplier order: total budget, offer budgets, stock.</summary>
        private double[] Limits()
        {
            var limits = new double[Dimensions];
            limits[0] = problem.Budget;
            for (var o = 0; o < problem.Offers; o++)
            {
                if (problem.OfferBudgets is { } b)
                {
                    limits[BudgetIndex(o)] = b[o];
                }

                if (problem.OfferStock is { } st)
                {
                    limits[StockIndex(o)] = st[o];
                }
            }

            return limits;
        }

        private double[] Multipliers()
        {
            var y = new double[Dimensions];
            y[0] = Lambda;
            for (var o = 0; o < problem.Offers; o++)
            {
                if (problem.OfferBudgets is not null)
                {
                    y[BudgetIndex(o)] = _mu[o];
                }

                if (problem.OfferStock is not null)
                {
                    y[StockIndex(o)] = _nu[o];
                }
            }

            return y;
        }

        private void SetMultipliers(double[] y)
        {
            Lambda = y[0];
            for (var o = 0; o < problem.Offers; o++)
            {
                _mu[o] = problem.OfferBudgets is null ? 0 : y[BudgetIndex(o)];
                _nu[o] = problem.OfferStock is null ? 0 : y[StockIndex(o)];
            }
        }

        /// <summary>
        /// Minimizes the dual over all multipliers together by Kelley's cutting-plane method with a box trust region
        /// (Kelley (1960), "The cutting-plane method for solving convex programs", J. SIAM 8(4); Marsten, Hogan &amp; Blankenship
        /// (1975), "The BOXSTEP method for large-scale optimization", Operations Research 23(3)). Every pass's choice gives an
        /// exact linear piece of the dual function; the master LP (GLOP) minimizes their maximum within a box around the best
        /// multipliers so far, the pass at its answer adds a piece, and the box grows after an improving step and shrinks
        /// otherwise. Stops when the master's lower bound is within 1e-7 of the best dual value. Ends at the best multipliers.
        /// </summary>
        public void Refine(int steps)
        {
            var y0 = _best ?? Multipliers();
            _pieces.Add((null, [0, .. Limits()])); // no offer to anyone: the mix below always has a plan within the limits
            Keep();
            SetMultipliers(new double[Dimensions]);
            Keep(); // a cut at 0 and one at the best point: the master starts bounded
            var center = _best ?? y0;
            var box = center.Select(v => Math.Max(0.5 * v, 1e-3)).ToArray();
            for (var step = 0; step < steps; step++)
            {
                if (Master(center, box) is not { } next)
                {
                    break;
                }

                var before = BestBound;
                SetMultipliers(next.Y);
                Keep();
                var improved = BestBound < before;
                if (before - next.Lower <= 1e-7 * Math.Abs(before))
                {
                    break;
                }

                center = _best!;
                for (var j = 0; j < box.Length; j++)
                {
                    box[j] = improved ? Math.Min(box[j] * 2, 1e6) : Math.Max(box[j] * 0.7, 1e-6);
                }
            }

            SetMultipliers(_best!);
        }

        /// <summary>A pass that keeps its choice (for <see cref="Recover"/>) when the problem is small enough to keep a few hundred.</summary>
        private void Keep()
        {
            if ((long)problem.Users * (_pieces.Count + 1) > 200_000_000L)
            {
                Evaluate();
                return;
            }

            var choice = new int[problem.Users];
            Pass(choice);
            _pieces.Add((choice, _cuts[^1]));
        }

        /// <summary>
        /// Primal recovery (Dantzig–Wolfe): the best mix of the kept choices that keeps every limit (an LP over the mix
        /// weights, GLOP) is a fractional plan close to the LP optimum; users take their offers in order of the share the mix
        /// gives them (then reduced value) while they fit, so only the few users the mix splits are decided by the limits.
        /// Null when no choices were kept or the LP fails.
        /// </summary>
        public int[]? Recover()
        {
            if (_pieces.Count == 0)
            {
                return null;
            }

            double[] weights;
            using (var solver = Solver.CreateSolver("GLOP"))
            {
                if (solver is null)
                {
                    return null;
                }

                var w = _pieces.Select(_ => solver.MakeNumVar(0, 1, string.Empty)).ToArray();
                var one = solver.MakeConstraint(1, 1, string.Empty);
                var objective = solver.Objective();
                for (var k = 0; k < w.Length; k++)
                {
                    one.SetCoefficient(w[k], 1);
                    objective.SetCoefficient(w[k], _pieces[k].Cut[0]);
                }

                for (var j = 0; j < Dimensions; j++)
                {
                    var limit = solver.MakeConstraint(0, double.PositiveInfinity, string.Empty); // Σ w_k (limit - usage_k) >= 0
                    for (var k = 0; k < w.Length; k++)
                    {
                        limit.SetCoefficient(w[k], _pieces[k].Cut[1 + j]);
                    }
                }

                objective.SetMaximization();
                if (solver.Solve() != Solver.ResultStatus.OPTIMAL)
                {
                    return null;
                }

                weights = [.. w.Select(v => v.SolutionValue())];
            }

            var share = new double[(long)problem.Users * problem.Offers];
            for (var k = 0; k < weights.Length; k++)
            {
                if (weights[k] > 1e-12)
                {
                    if (_pieces[k].Choice is not { } choice)
                    {
                        continue;
                    }

                    for (var u = 0; u < problem.Users; u++)
                    {
                        if (choice[u] >= 0)
                        {
                            share[((long)u * problem.Offers) + choice[u]] += weights[k];
                        }
                    }
                }
            }

            var pairs = new List<long>();
            var keys = new List<(double Share, double Reduced)>();
            for (var u = 0; u < problem.Users; u++)
            {
                for (var o = 0; o < problem.Offers; o++)
                {
                    var i = ((long)u * problem.Offers) + o;
                    if (share[i] > 1e-9)
                    {
                        pairs.Add(i);
                        keys.Add((-share[i], -Reduced(u, o)));
                    }
                }
            }

            var order = pairs.ToArray();
            Array.Sort([.. keys], order);
            return TakeInOrder(problem, order);
        }

        /// <summary>The master LP: min t over t ≥ cut pieces, y in the box around <paramref name="center"/>, y ≥ 0.</summary>
        private (double[] Y, double Lower)? Master(double[] center, double[] box)
        {
            using var solver = Solver.CreateSolver("GLOP");
            if (solver is null)
            {
                return null;
            }

            var y = center.Select((c, j) => solver.MakeNumVar(Math.Max(0, c - box[j]), c + box[j], string.Empty)).ToArray();
            var t = solver.MakeNumVar(double.NegativeInfinity, double.PositiveInfinity, string.Empty);
            foreach (var cut in _cuts)
            {
                // t - Σ slope_j y_j >= value
                var row = solver.MakeConstraint(cut[0], double.PositiveInfinity, string.Empty);
                row.SetCoefficient(t, 1);
                for (var j = 0; j < y.Length; j++)
                {
                    row.SetCoefficient(y[j], -cut[1 + j]);
                }
            }

            var objective = solver.Objective();
            objective.SetCoefficient(t, 1);
            objective.SetMinimization();
            return solver.Solve() == Solver.ResultStatus.OPTIMAL ? ([.. y.Select(v => Math.Max(0, v.SolutionValue()))], t.SolutionValue()) : null;
        }

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
            double dual = 0, value = 0;
            var gate = new object();
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? -1 };
            Parallel.For(
                0, blocks, parallel,
                () => (Spend: new double[offers], Users: new long[offers], Dual: 0.0, Value: 0.0),
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
                            local.Value += _value[row + bestOffer];
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
                        value += local.Value;
                    }
                });

            dual += Lambda * problem.Budget;
            for (var o = 0; o < offers; o++)
            {
                dual += (problem.OfferBudgets is { } b ? _mu[o] * b[o] : 0) + (problem.OfferStock is { } s ? _nu[o] * s[o] : 0);
            }

            if (dual < BestBound)
            {
                BestBound = dual;
                _best = Multipliers();
            }

            // The cut this choice gives: L(y) >= value + y·(limits - usage), exact for this choice, for every y.
            var cut = new double[1 + Dimensions];
            cut[0] = value;
            cut[1] = problem.Budget - totalSpend.Sum();
            for (var o = 0; o < offers; o++)
            {
                if (problem.OfferBudgets is { } b)
                {
                    cut[1 + BudgetIndex(o)] = b[o] - totalSpend[o];
                }

                if (problem.OfferStock is { } st)
                {
                    cut[1 + StockIndex(o)] = st[o] - totalUsers[o];
                }
            }

            _cuts.Add(cut);
            if (_cuts.Count > MaxCuts)
            {
                _cuts.RemoveRange(0, _cuts.Count - MaxCuts);
            }

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
