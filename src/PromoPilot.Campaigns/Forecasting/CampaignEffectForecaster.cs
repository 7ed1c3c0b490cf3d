using PromoPilot.Core.Campaigns;

namespace PromoPilot.Campaigns.Forecasting;

/// <summary>A forecast figure: the point value and a central interval at the forecast's level.</summary>
public sealed record EffectInterval(double Value, double Low, double High)
{
    /// <summary>Whether <paramref name="observed"/> lies inside [Low, High].</summary>
    public bool Covers(double observed) => observed >= Low && observed <= High;
}

/// <summary>
/// What a campaign is forecast to do, for its treated users (the readout's unit: the holdout gets no offer).
/// </summary>
/// <param name="Audience">Users given as the audience.</param>
/// <param name="Targeted">Users kept after the budget (a prefix of the audience, holdout included).</param>
/// <param name="TreatedUsers">Targeted users outside the holdout: Targeted × (1 − holdout).</param>
/// <param name="BudgetBinding">Whether the budget stopped the audience short.</param>
/// <param name="Level">Nominal coverage of every interval.</param>
/// <param name="Reach">Treated users the offer reaches.</param>
/// <param name="Redemptions">Offers redeemed (every conversion of a reached user, incremental or not).</param>
/// <param name="IncrementalConversions">Conversions the offer adds: (treated rate − holdout rate) × treated users.</param>
/// <param name="IncrementalRevenue">Gross revenue the offer adds, measured the same way.</param>
/// <param name="IncrementalMargin">Margin rate × incremental revenue − cost.</param>
/// <param name="Cost">Discounts on all redemptions (those of customers who would have bought anyway included), contact and fixed costs.</param>
/// <param name="Roi">Incremental margin per unit of cost; null when the campaign costs nothing.</param>
/// <param name="Replicates">Bootstrap model replicates behind the model part of the intervals (0 = measurement noise only).</param>
/// <param name="Method">How the intervals were made, in words.</param>
public sealed record EffectForecast(
    int Audience,
    int Targeted,
    double TreatedUsers,
    bool BudgetBinding,
    double Level,
    EffectInterval Reach,
    EffectInterval Redemptions,
    EffectInterval IncrementalConversions,
    EffectInterval IncrementalRevenue,
    EffectInterval IncrementalMargin,
    EffectInterval Cost,
    EffectInterval? Roi,
    int Replicates,
    string Method)
{
    /// <summary>
    /// The two metrics a readout measures (<see cref="CampaignMetrics"/>), as Core records the campaign readout holds its
    /// measurement against.
    /// </summary>
    public IReadOnlyList<CampaignForecast> ToCampaignForecasts(string model, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return
        [
            new CampaignForecast(CampaignMetrics.IncrementalConversions, IncrementalConversions.Value, IncrementalConversions.Low, IncrementalConversions.High, Level, model, createdAt),
            new CampaignForecast(CampaignMetrics.IncrementalRevenue, IncrementalRevenue.Value, IncrementalRevenue.Low, IncrementalRevenue.High, Level, model, createdAt),
        ];
    }
}

/// <summary>
/// Forecasts a campaign's effect from per-user predictions: reach, redemptions, incremental conversions, revenue and
/// margin, cost and ROI, each with a central interval.
/// </summary>
/// <remarks>
/// <para>
/// Point values are sums of expectations over the treated users: a user reached with probability r converts with
/// p0 + r(p1 − p0); incremental conversions are (1 − h) Σ r(p1 − p0) over the targeted users (h = holdout share),
/// revenue weighs each by the order value, cost pays the discount on every expected redemption (r·p1, not only the
/// incremental ones) plus contact and fixed costs.
/// </para>
/// <para>
/// Intervals are prediction intervals for what the campaign's readout will measure, and combine two sources:
/// (1) the model's estimation error, taken from bootstrap replicates (models refitted on resamples of the training
/// users, supplied in <see cref="EffectInputs.Replicates"/>): a bootstrap because the sampling distribution of a
/// gradient-boosted uplift model's average has no closed form; (2) the readout's own sampling noise, model-based:
/// the difference of treated and holdout means has covariance Σ_T/N_T + Σ_C/N_C (Neyman's conservative
/// randomization variance, Imbens &amp; Rubin 2015, ch. 6), with the per-user outcome moments taken from the predictions
/// (a conversion is Bernoulli, an order value has the given mean and spread). Without a holdout there is nothing to
/// compare with, and the noise is that of the treated users' own outcomes. Monte Carlo draws add a replicate's
/// deviation from the replicates' mean to a joint normal draw of the readout noise (so ratios such as ROI get their
/// interval too); the interval is the central quantile range. Without replicates the intervals hold the readout noise
/// only and are too narrow whenever the model is uncertain.
/// </para>
/// </remarks>
public static class CampaignEffectForecaster
{
    private const int Conv = 0, Rev = 1, Red = 2, CostIndex = 3;

    /// <exception cref="ArgumentException">Arrays of different lengths, a probability outside [0, 1], a negative or infinite order value, or a setting out of range (the message names it).</exception>
    public static EffectForecast Forecast(EffectInputs inputs, EffectForecastOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= new EffectForecastOptions();
        options.Validate();
        Validate(inputs);

        var n = inputs.BaselineProbability.Length;
        var h = inputs.HoldoutFraction;
        var r = inputs.ReachRate;
        var cost = inputs.Cost;
        var v = inputs.OrderValue ?? new double[n];
        var s = inputs.OrderValueSd ?? new double[n];
        var p0 = inputs.BaselineProbability;
        var p1 = inputs.TreatedProbability;

        // The budget: users are targeted in the given order while the expected cost fits.
        var targeted = n;
        var binding = false;
        if (inputs.Budget is { } budget)
        {
            var spent = cost.Fixed;
            if (spent > budget)
            {
                targeted = 0;
                binding = n > 0 || cost.Fixed > 0;
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    spent += (1 - h) * r * ((p1[i] * cost.Discount(v[i])) + cost.PerContact);
                    if (spent > budget * (1 + 1e-12))
                    {
                        targeted = i;
                        binding = true;
                        break;
                    }
                }
            }
        }

        var treatedUsers = (1 - h) * targeted;
        var point = Totals(p0, p1, v, targeted, h, r, cost);
        var noise = Cholesky(ReadoutCovariance(p0, p1, v, s, targeted, h, r, cost));

        var replicates = inputs.Replicates ?? [];
        var deviations = new double[replicates.Count][];
        if (replicates.Count > 0)
        {
            var totals = replicates.Select(b => Totals(b.BaselineProbability, b.TreatedProbability, b.OrderValue ?? v, targeted, h, r, cost)).ToArray();
            var mean = new double[4];
            foreach (var t in totals)
            {
                for (var j = 0; j < 4; j++)
                {
                    mean[j] += t[j] / totals.Length;
                }
            }

            for (var b = 0; b < totals.Length; b++)
            {
                deviations[b] = [.. totals[b].Select((t, j) => t - mean[j])];
            }
        }

        var reachPoint = treatedUsers * r;
        var reachSd = Math.Sqrt(targeted * (1 - h) * r * (1 - ((1 - h) * r)));
        var draws = options.Draws;
        var random = new Random(options.Seed);
        var reach = new double[draws];
        var redemptions = new double[draws];
        var conversions = new double[draws];
        var revenue = new double[draws];
        var margin = new double[draws];
        var costs = new double[draws];
        var roi = new List<double>(draws);
        Span<double> z = stackalloc double[4];
        Span<double> x = stackalloc double[4];
        for (var d = 0; d < draws; d++)
        {
            for (var j = 0; j < 4; j++)
            {
                z[j] = Normal(random);
            }

            for (var j = 0; j < 4; j++)
            {
                var e = 0.0;
                for (var k = 0; k <= j; k++)
                {
                    e += noise[j, k] * z[k];
                }

                x[j] = point[j] + e + (deviations.Length > 0 ? deviations[d % deviations.Length][j] : 0);
            }

            reach[d] = Math.Max(0, reachPoint + (reachSd * Normal(random)));
            conversions[d] = x[Conv];
            revenue[d] = x[Rev];
            redemptions[d] = Math.Max(0, x[Red]);
            costs[d] = Math.Max(0, x[CostIndex] + cost.Fixed);
            margin[d] = (inputs.MarginRate * revenue[d]) - costs[d];
            if (costs[d] > 0)
            {
                roi.Add(margin[d] / costs[d]);
            }
        }

        var level = options.Level;
        var costPoint = point[CostIndex] + cost.Fixed;
        var marginPoint = (inputs.MarginRate * point[Rev]) - costPoint;
        var method = replicates.Count > 0
            ? $"bootstrap over training users ({replicates.Count} model refits) + model-based readout noise (holdout {h:0.###}), {draws} Monte Carlo draws"
            : $"model-based readout noise only (holdout {h:0.###}; no model replicates, so model error is not included), {draws} Monte Carlo draws";
        return new EffectForecast(
            n,
            targeted,
            treatedUsers,
            binding,
            level,
            Interval(reachPoint, reach, level),
            Interval(point[Red], redemptions, level),
            Interval(point[Conv], conversions, level),
            Interval(point[Rev], revenue, level),
            Interval(marginPoint, margin, level),
            Interval(costPoint, costs, level),
            costPoint > 0 && roi.Count > 0 ? Interval(marginPoint / costPoint, [.. roi], level) : null,
            replicates.Count,
            method);
    }

    /// <summary>Expected incremental conversions, incremental revenue, redemptions and variable cost over the first <paramref name="targeted"/> users.</summary>
    private static double[] Totals(double[] p0, double[] p1, double[] v, int targeted, double h, double r, OfferCost cost)
    {
        var totals = new double[4];
        for (var i = 0; i < targeted; i++)
        {
            var lift = r * (p1[i] - p0[i]);
            totals[Conv] += lift;
            totals[Rev] += lift * v[i];
            totals[Red] += r * p1[i];
            totals[CostIndex] += r * ((p1[i] * cost.Discount(v[i])) + cost.PerContact);
        }

        for (var j = 0; j < 4; j++)
        {
            totals[j] *= 1 - h;
        }

        return totals;
    }

    /// <summary>
    /// Covariance of the measured (incremental conversions, incremental revenue, redemptions, variable cost):
    /// N_T Σ_T + (N_T² / N_C) Σ_C on the incremental block, Σ the per-user covariance across the targeted users.
    /// </summary>
    private static double[,] ReadoutCovariance(double[] p0, double[] p1, double[] v, double[] s, int targeted, double h, double r, OfferCost cost)
    {
        var covariance = new double[4, 4];
        if (targeted == 0)
        {
            return covariance;
        }

        // Sums over users of E[W Wᵀ | x] and E[W | x] for treated users W = (conv, rev, redeemed, cost), and of the
        // control users' (conv, rev) moments.
        var second = new double[4, 4];
        var first = new double[4];
        var conditional = new double[4, 4];
        double c00 = 0, c01 = 0, c11 = 0, m0 = 0, m1 = 0;
        Span<double> mean = stackalloc double[4];
        for (var i = 0; i < targeted; i++)
        {
            var q = p0[i] + (r * (p1[i] - p0[i]));
            var redeem = r * p1[i];
            var unit = cost.Discount(v[i]) + cost.PerContact;
            var square = (v[i] * v[i]) + (s[i] * s[i]);
            double[,] m =
            {
                { q, q * v[i], redeem, redeem * unit },
                { q * v[i], q * square, redeem * v[i], redeem * v[i] * unit },
                { redeem, redeem * v[i], redeem, redeem * unit },
                { redeem * unit, redeem * v[i] * unit, redeem * unit, (r * cost.PerContact * cost.PerContact) + (redeem * ((unit * unit) - (cost.PerContact * cost.PerContact))) },
            };
            mean[0] = q;
            mean[1] = q * v[i];
            mean[2] = redeem;
            mean[3] = (r * cost.PerContact) + (redeem * cost.Discount(v[i]));
            for (var a = 0; a < 4; a++)
            {
                first[a] += mean[a];
                for (var b = 0; b < 4; b++)
                {
                    second[a, b] += m[a, b];
                    conditional[a, b] += m[a, b] - (mean[a] * mean[b]);
                }
            }

            c00 += p0[i];
            c01 += p0[i] * v[i];
            c11 += p0[i] * square;
            m0 += p0[i];
            m1 += p0[i] * v[i];
        }

        var nt = (1 - h) * targeted;
        if (h == 0)
        {
            // No holdout: the treated users' own outcome noise around their expectations.
            return conditional;
        }

        var nc = h * targeted;
        for (var a = 0; a < 4; a++)
        {
            for (var b = 0; b < 4; b++)
            {
                var sigma = (second[a, b] / targeted) - (first[a] / targeted * (first[b] / targeted));
                covariance[a, b] = nt * sigma;
            }
        }

        var scale = nt * nt / nc;
        var cm0 = m0 / targeted;
        var cm1 = m1 / targeted;
        covariance[Conv, Conv] += scale * ((c00 / targeted) - (cm0 * cm0));
        covariance[Conv, Rev] += scale * ((c01 / targeted) - (cm0 * cm1));
        covariance[Rev, Conv] += scale * ((c01 / targeted) - (cm0 * cm1));
        covariance[Rev, Rev] += scale * ((c11 / targeted) - (cm1 * cm1));
        return covariance;
    }

    /// <summary>Lower-triangular L with L Lᵀ = the covariance; a (numerically) zero pivot leaves its column zero, so singular covariances work.</summary>
    private static double[,] Cholesky(double[,] a)
    {
        var size = a.GetLength(0);
        var l = new double[size, size];
        for (var j = 0; j < size; j++)
        {
            var pivot = a[j, j];
            for (var k = 0; k < j; k++)
            {
                pivot -= l[j, k] * l[j, k];
            }

            if (pivot <= 1e-12 * Math.Max(1, Math.Abs(a[j, j])))
            {
                continue;
            }

            l[j, j] = Math.Sqrt(pivot);
            for (var i = j + 1; i < size; i++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                l[i, j] = sum / l[j, j];
            }
        }

        return l;
    }

    private static double Normal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static EffectInterval Interval(double value, double[] draws, double level)
    {
        Array.Sort(draws);
        return new EffectInterval(value, Quantile(draws, (1 - level) / 2), Quantile(draws, (1 + level) / 2));
    }

    /// <summary>Linear interpolation between order statistics (type 7).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    private static void Validate(EffectInputs inputs)
    {
        var n = Probabilities(inputs.BaselineProbability, nameof(inputs.BaselineProbability), -1);
        Probabilities(inputs.TreatedProbability, nameof(inputs.TreatedProbability), n);
        Amounts(inputs.OrderValue, nameof(inputs.OrderValue), n);
        Amounts(inputs.OrderValueSd, nameof(inputs.OrderValueSd), n);
        ArgumentNullException.ThrowIfNull(inputs.Cost);
        inputs.Cost.Validate();
        if (!(inputs.MarginRate is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs.MarginRate, "MarginRate must lie in [0, 1].");
        }

        if (!(inputs.ReachRate is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs.ReachRate, "ReachRate must lie in (0, 1].");
        }

        if (!(inputs.HoldoutFraction is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs.HoldoutFraction, "HoldoutFraction must lie in [0, 1).");
        }

        if (inputs.Budget is { } budget && (!(budget >= 0) || !double.IsFinite(budget)))
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), budget, "Budget must be a finite amount >= 0.");
        }

        if (inputs.Replicates is { } replicates)
        {
            for (var b = 0; b < replicates.Count; b++)
            {
                ArgumentNullException.ThrowIfNull(replicates[b], nameof(inputs.Replicates));
                Probabilities(replicates[b].BaselineProbability, $"Replicates[{b}].BaselineProbability", n);
                Probabilities(replicates[b].TreatedProbability, $"Replicates[{b}].TreatedProbability", n);
                Amounts(replicates[b].OrderValue, $"Replicates[{b}].OrderValue", n);
            }
        }
    }

    private static int Probabilities(double[] values, string name, int length)
    {
        if (values is null)
        {
            throw new ArgumentNullException(name);
        }

        if (length >= 0 && values.Length != length)
        {
            throw new ArgumentException($"{name} has {values.Length} users, the audience {length}.", name);
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!(values[i] is >= 0 and <= 1))
            {
                throw new ArgumentException($"{name}[{i}] is {values[i]}: probabilities must lie in [0, 1].", name);
            }
        }

        return values.Length;
    }

    private static void Amounts(double[]? values, string name, int length)
    {
        if (values is null)
        {
            return;
        }

        if (values.Length != length)
        {
            throw new ArgumentException($"{name} has {values.Length} users, the audience {length}.", name);
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!(values[i] >= 0) || !double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{name}[{i}] is {values[i]}: amounts must be finite and >= 0.", name);
            }
        }
    }
}
