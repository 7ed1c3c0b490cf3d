using MathNet.Numerics.Distributions;

namespace PromoPilot.Models.Pricing;

/// <summary>How a simulated price experiment picks the price each period.</summary>
public enum PricePolicy
{
    /// <summary>Thompson sampling with Beta posteriors per price and, under inventory, the LP over price probabilities (Ferreira, Simchi-Levi &amp; Wang 2018, TS-update).</summary>
    Thompson,

    /// <summary>A fixed-schedule A/B price test: equal round-robin split over the ladder for a fixed share of the horizon, then commit to the best observed price.</summary>
    AbTest,
}

/// <summary>
/// The simulated market and the experiment's settings. Each period one customer arrives and buys one unit at price p
/// with probability min(1, q0 · (p / p0)^e); each run draws its true elasticity e from N(estimate, std error²), so the
/// simulator is calibrated from an elasticity estimate and its uncertainty.
/// </summary>
public sealed record PriceExperimentOptions
{
    /// <summary>The price ladder (at least two distinct prices &gt; 0). Required.</summary>
    public IReadOnlyList<double> Prices { get; init; } = [];

    /// <summary>Reference price p0 (&gt; 0). Default 1.</summary>
    public double ReferencePrice { get; init; } = 1;

    /// <summary>Purchase probability q0 at the reference price, in (0, 1]. Default 0.3.</summary>
    public double BasePurchaseProbability { get; init; } = 0.3;

    /// <summary>Elasticity estimate (finite). Default −2.365 (Dominick's orange juice, pooled, issue 10).</summary>
    public double Elasticity { get; init; } = -2.365;

    /// <summary>Its standard error (≥ 0); each run's true elasticity is drawn from N(estimate, se²). Default 0.062.</summary>
    public double ElasticityStdError { get; init; } = 0.062;

    /// <summary>Unit cost (≥ 0): the experiment maximizes (price − cost) per sale; 0 maximizes revenue. Default 0.</summary>
    public double UnitCost { get; init; }

    /// <summary>Periods (customers) per run (≥ 10). Default 5000.</summary>
    public int Horizon { get; init; } = 5000;

    /// <summary>Stock for the whole horizon (null: unlimited). With stock, Thompson sampling solves the LP with the
    /// remaining stock per remaining period (TS-update) and regret is measured against the LP (fluid) upper bound.</summary>
    public double? Inventory { get; init; }

    /// <summary>Share of the horizon the A/B test spends on its equal split before committing, in (0, 1). Default 0.2.</summary>
    public double AbExploreShare { get; init; } = 0.2;

    /// <summary>Beta prior (α, β) of each price's purchase probability (&gt; 0). Default (1, 1), uniform.</summary>
    public (double Alpha, double Beta) Prior { get; init; } = (1, 1);

    /// <summary>Simulated runs (≥ 1). Default 100.</summary>
    public int Runs { get; init; } = 100;

    /// <summary>Seed; run r uses streams derived from (Seed, r), the same for every policy (common random numbers). Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Periods at which cumulative regret is reported (each in [1, Horizon]). Default: 1%, 2%, 5%, 10%, 20%, 50% and 100% of the horizon.</summary>
    public IReadOnlyList<int> ReportAt { get; init; } = [];
}

/// <summary>Cumulative regret at one horizon over the runs: mean, quantiles, and mean regret per period.</summary>
public sealed record RegretSummary(int Period, double Mean, double P10, double P50, double P90, double MeanPerPeriod);

/// <summary>The outcome of <see cref="PriceExperiment.Simulate"/>: the oracle (at the estimate) and regret per horizon.</summary>
public sealed record PriceExperimentResult(
    PricePolicy Policy, int Runs, int Horizon, double OraclePrice, double OracleValuePerPeriod, double MeanOptimalPriceShare,
    IReadOnlyList<RegretSummary> Regret, string RegretDefinition);

/// <summary>
/// Price experiments in a simulator: Thompson sampling over a price ladder after Ferreira, Simchi-Levi &amp; Wang,
/// "Online Network Revenue Management Using Thompson Sampling", Operations Research 66(6) 2018 (Algorithm 1, and
/// TS-update under an inventory constraint: each period sample purchase probabilities from the Beta posteriors, solve
/// max Σ v_k θ_k x_k s.t. Σ θ_k x_k ≤ remaining stock / remaining periods, Σ x_k ≤ 1, x ≥ 0, offer price k with
/// probability x_k and otherwise a shut-off price with no sale), against a fixed-schedule A/B test. Regret is measured
/// against the oracle that knows the true purchase probabilities: without stock, pseudo-regret Σ_t (v* − v_{k_t} q_{k_t});
/// with stock, t · LP* − realized value (LP* the fluid upper bound per period).
/// </summary>
public static class PriceExperiment
{
    public static PriceExperimentResult Simulate(PricePolicy policy, PriceExperimentOptions options)
    {
        Validate(options);
        var prices = options.Prices.ToArray();
        var report = options.ReportAt.Count > 0
            ? options.ReportAt.Distinct().Order().ToArray()
            : new[] { 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0 }.Select(s => Math.Max(1, (int)Math.Round(s * options.Horizon))).Distinct().ToArray();
        var regret = new double[report.Length][];
        for (var i = 0; i < report.Length; i++)
        {
            regret[i] = new double[options.Runs];
        }

        double optimalShare = 0;
        for (var run = 0; run < options.Runs; run++)
        {
            var truthRng = new Random(unchecked((options.Seed * 1_000_003) + (2 * run)));
            var playRng = new Random(unchecked((options.Seed * 1_000_003) + (2 * run) + 1));
            var e = options.ElasticityStdError > 0 ? Normal.Sample(truthRng, options.Elasticity, options.ElasticityStdError) : options.Elasticity;
            var q = prices.Select(p => Probability(options, p, e)).ToArray();
            var (share, path) = Run(policy, options, prices, q, playRng, report);
            optimalShare += share / options.Runs;
            for (var i = 0; i < report.Length; i++)
            {
                regret[i][run] = path[i];
            }
        }

        var atEstimate = prices.Select(p => Probability(options, p, options.Elasticity)).ToArray();
        var values = prices.Select(p => p - options.UnitCost).ToArray();
        var oracle = Enumerable.Range(0, prices.Length).MaxBy(k => values[k] * atEstimate[k]);
        var summaries = report.Select((t, i) =>
        {
            var sorted = regret[i].Order().ToArray();
            var mean = sorted.Average();
            return new RegretSummary(t, mean, Quantiles.OfSorted(sorted, 0.1), Quantiles.OfSorted(sorted, 0.5), Quantiles.OfSorted(sorted, 0.9), mean / t);
        }).ToList();
        return new PriceExperimentResult(
            policy, options.Runs, options.Horizon, prices[oracle], Lp(values, atEstimate, options.Inventory is { } s ? s / options.Horizon : double.PositiveInfinity).Value,
            optimalShare, summaries,
            options.Inventory is null
                ? "pseudo-regret: sum over periods of (best expected margin per customer − expected margin of the offered price), true purchase probabilities"
                : "t × LP upper bound per period − realized margin (sales stop when stock runs out)");
    }

    /// <summary>Purchase probability at a price: min(1, q0 · (p / p0)^e).</summary>
    public static double Probability(PriceExperimentOptions options, double price, double elasticity)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Min(1, options.BasePurchaseProbability * Math.Pow(price / options.ReferencePrice, elasticity));
    }

    /// <summary>
    /// Solves max Σ v_k q_k x_k s.t. Σ q_k x_k ≤ capacity, Σ x_k ≤ 1, x ≥ 0 exactly: with two constraints an optimal
    /// vertex has at most two non-zero x_k, so it enumerates single prices (x_k = min(1, capacity / q_k)) and pairs with
    /// both constraints tight. Returns the probabilities and the optimal value.
    /// </summary>
    public static (double[] X, double Value) Lp(IReadOnlyList<double> values, IReadOnlyList<double> probabilities, double capacity)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (values.Count != probabilities.Count)
        {
            throw new ArgumentException("values and probabilities differ in length.", nameof(probabilities));
        }

        if (!(capacity >= 0))
        {
            throw new ArgumentException($"capacity must be ≥ 0 (got {capacity}).", nameof(capacity));
        }

        var n = values.Count;
        var best = new double[n];
        double bestValue = 0;
        for (var k = 0; k < n; k++)
        {
            if (values[k] <= 0)
            {
                continue;
            }

            var x = probabilities[k] > 0 ? Math.Min(1, capacity / probabilities[k]) : 1;
            if (values[k] * probabilities[k] * x > bestValue)
            {
                bestValue = values[k] * probabilities[k] * x;
                Array.Clear(best);
                best[k] = x;
            }
        }

        for (var j = 0; j < n; j++)
        {
            for (var k = j + 1; k < n; k++)
            {
                if (values[j] <= 0 || values[k] <= 0 || probabilities[j] == probabilities[k] || double.IsPositiveInfinity(capacity))
                {
                    continue;
                }

                var xj = (capacity - probabilities[k]) / (probabilities[j] - probabilities[k]);
                var xk = 1 - xj;
                if (xj < 0 || xk < 0)
                {
                    continue;
                }

                var value = (values[j] * probabilities[j] * xj) + (values[k] * probabilities[k] * xk);
                if (value > bestValue)
                {
                    bestValue = value;
                    Array.Clear(best);
                    best[j] = xj;
                    best[k] = xk;
                }
            }
        }

        return (best, bestValue);
    }

    private static (double OptimalShare, double[] Regret) Run(PricePolicy policy, PriceExperimentOptions options, double[] prices, double[] q, Random rng, int[] report)
    {
        var n = prices.Length;
        var values = prices.Select(p => p - options.UnitCost).ToArray();
        var horizon = options.Horizon;
        var bestArm = Enumerable.Range(0, n).MaxBy(k => values[k] * q[k]);
        var perPeriod = options.Inventory is { } stock0 ? Lp(values, q, stock0 / horizon).Value : values[bestArm] * q[bestArm];
        var alpha = Enumerable.Repeat(options.Prior.Alpha, n).ToArray();
        var beta = Enumerable.Repeat(options.Prior.Beta, n).ToArray();
        var offers = new double[n];
        var sales = new double[n];
        var stock = options.Inventory ?? double.PositiveInfinity;
        var explore = Math.Max(n, (int)Math.Round(options.AbExploreShare * horizon));
        var committed = -1;
        var theta = new double[n];
        double lost = 0, realized = 0;
        var optimalPlays = 0;
        var path = new double[report.Length];
        var next = 0;
        for (var t = 1; t <= horizon; t++)
        {
            var arm = -1;
            if (stock >= 1)
            {
                if (policy == PricePolicy.Thompson)
                {
                    for (var k = 0; k < n; k++)
                    {
                        theta[k] = Beta.Sample(rng, alpha[k], beta[k]);
                    }

                    if (options.Inventory is null)
                    {
                        arm = Enumerable.Range(0, n).MaxBy(k => values[k] * theta[k]);
                    }
                    else
                    {
                        var (x, _) = Lp(values, theta, stock / (horizon - t + 1));
                        var u = rng.NextDouble();
                        for (var k = 0; k < n && arm < 0; k++)
                        {
                            u -= x[k];
                            if (u < 0)
                            {
                                arm = k;
                            }
                        }
                    }
                }
                else if (t <= explore)
                {
                    arm = (t - 1) % n;
                }
                else
                {
                    if (committed < 0)
                    {
                        committed = Enumerable.Range(0, n).MaxBy(k => values[k] * (offers[k] > 0 ? sales[k] / offers[k] : 0));
                    }

                    arm = committed;
                }
            }

            if (arm >= 0)
            {
                var sold = rng.NextDouble() < q[arm];
                offers[arm]++;
                if (sold)
                {
                    sales[arm]++;
                    alpha[arm]++;
                    stock--;
                    realized += values[arm];
                }
                else
                {
                    beta[arm]++;
                }

                lost += (values[bestArm] * q[bestArm]) - (values[arm] * q[arm]);
                optimalPlays += arm == bestArm ? 1 : 0;
            }
            else
            {
                lost += values[bestArm] * q[bestArm];
            }

            while (next < report.Length && report[next] == t)
            {
                path[next++] = options.Inventory is null ? lost : (t * perPeriod) - realized;
            }
        }

        return ((double)optimalPlays / horizon, path);
    }

    private static void Validate(PriceExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Prices.Count < 2 || options.Prices.Any(p => !(p > 0 && double.IsFinite(p))) || options.Prices.Distinct().Count() != options.Prices.Count)
        {
            throw new ArgumentException("Prices: at least two distinct prices > 0.", nameof(options));
        }

        if (!(options.ReferencePrice > 0) || !(options.BasePurchaseProbability > 0 && options.BasePurchaseProbability <= 1))
        {
            throw new ArgumentException("ReferencePrice must be > 0 and BasePurchaseProbability in (0, 1].", nameof(options));
        }

        if (!double.IsFinite(options.Elasticity) || !(options.ElasticityStdError >= 0) || !(options.UnitCost >= 0))
        {
            throw new ArgumentException("Elasticity must be finite, its standard error and the unit cost ≥ 0.", nameof(options));
        }

        if (options.Horizon < 10 || options.Runs < 1)
        {
            throw new ArgumentException($"Horizon must be ≥ 10 and Runs ≥ 1 (got {options.Horizon}, {options.Runs}).", nameof(options));
        }

        if (options.Inventory is { } s && !(s >= 0))
        {
            throw new ArgumentException($"Inventory must be ≥ 0 (got {s}).", nameof(options));
        }

        if (!(options.AbExploreShare > 0 && options.AbExploreShare < 1) || !(options.Prior.Alpha > 0 && options.Prior.Beta > 0))
        {
            throw new ArgumentException("AbExploreShare must lie in (0, 1) and the prior's α, β be > 0.", nameof(options));
        }

        if (options.ReportAt.Any(t => t < 1 || t > options.Horizon))
        {
            throw new ArgumentException($"ReportAt periods must lie in [1, {options.Horizon}].", nameof(options));
        }
    }
}
