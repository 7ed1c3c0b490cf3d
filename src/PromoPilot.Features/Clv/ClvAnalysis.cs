using PromoPilot.Core.Customers;

namespace PromoPilot.Features.Clv;

/// <summary>Settings of <see cref="ClvAnalysis"/>. Times are in the summaries' unit (weeks in the defaults' comments).</summary>
public sealed record ClvOptions
{
    /// <summary>How far ahead expected purchases and CLV look. Default 52 (one year of weeks).</summary>
    public double Horizon { get; init; } = 52;

    /// <summary>Length of the steps the CLV sum discounts separately. Default 1 (weekly).</summary>
    public double StepLength { get; init; } = 1;

    /// <summary>The discount rate per <see cref="DiscountPeriod"/>. Default 0.10 (10% a year).</summary>
    public double DiscountRate { get; init; } = 0.10;

    /// <summary>The time the <see cref="DiscountRate"/> applies to. Default 52 (a year of weeks).</summary>
    public double DiscountPeriod { get; init; } = 52;

    /// <summary>The share of spend that is value (gross margin). Default 1: CLV in revenue.</summary>
    public double Margin { get; init; } = 1;

    /// <summary>Settings of both maximum-likelihood fits.</summary>
    public ClvFitOptions Fit { get; init; } = new();

    internal void Validate()
    {
        Positive(Horizon, nameof(Horizon));
        Positive(StepLength, nameof(StepLength));
        Positive(DiscountPeriod, nameof(DiscountPeriod));
        if (!double.IsFinite(DiscountRate) || DiscountRate <= -1)
        {
            throw new ArgumentException($"DiscountRate must be a finite number > -1, not {DiscountRate}.", nameof(DiscountRate));
        }

        if (!double.IsFinite(Margin) || Margin < 0)
        {
            throw new ArgumentException($"Margin must be a finite number ≥ 0, not {Margin}.", nameof(Margin));
        }

        if (Horizon / StepLength > 1_000_000)
        {
            throw new ArgumentException($"Horizon / StepLength = {Horizon / StepLength} steps is too many (at most 1,000,000).", nameof(StepLength));
        }

        ArgumentNullException.ThrowIfNull(Fit);
        Fit.Validate();
    }

    private static void Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentException($"{name} must be a finite number > 0, not {value}.", name);
        }
    }
}

/// <summary>What the models predict for one customer.</summary>
/// <param name="ProbabilityAlive">P(alive | x, t_x, T).</param>
/// <param name="ExpectedPurchases">E[Y(horizon) | x, t_x, T].</param>
/// <param name="ExpectedSpend">E[M | x, zbar] per purchase; null when no spend model was fitted.</param>
/// <param name="Clv">Discounted expected value over the horizon; null when no spend model was fitted.</param>
public sealed record CustomerValue(double ProbabilityAlive, double ExpectedPurchases, double? ExpectedSpend, double? Clv);

/// <summary>The fitted models, the holdout check and the per-customer predictions, in input order.</summary>
/// <param name="BgNbd">The purchase-process fit.</param>
/// <param name="GammaGamma">The spend fit; null when fewer than <see cref="ClvFitOptions.MinCustomers"/> customers
/// have x &gt; 0 and zbar &gt; 0 (for example a summary without spend).</param>
/// <param name="Holdout">The holdout check; null when the summaries have no holdout observation.</param>
/// <param name="Customers">Predictions, one per input summary, in the same order.</param>
/// <param name="SpendExcluded">Customers with x &gt; 0 left out of the spend fit because zbar ≤ 0.</param>
public sealed record ClvResult(
    BgNbdFit BgNbd,
    GammaGammaFit? GammaGamma,
    HoldoutCheck? Holdout,
    IReadOnlyList<CustomerValue> Customers,
    int SpendExcluded);

/// <summary>
/// Customer lifetime value from repeat-purchase summaries: BG/NBD for the number of purchases, Gamma-Gamma for their
/// value (Fader, Hardie &amp; Lee 2005, "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis").
/// </summary>
/// <remarks>
/// <para>CLV is computed with a discrete approximation of the discounted expected residual value: the horizon H is cut
/// into K = ⌈H/Δ⌉ steps of length Δ (<see cref="ClvOptions.StepLength"/>, the last one shorter when Δ does not
/// divide H); the purchases expected in step k are E[Y(t_k) | ·] − E[Y(t_{k−1}) | ·] with t_k = min(kΔ, H), each
/// discounted at the end of its step by (1 + d)^(−t_k / P) (d = <see cref="ClvOptions.DiscountRate"/> per
/// P = <see cref="ClvOptions.DiscountPeriod"/>):
/// CLV = margin · E[M | x, zbar] · Σ_k (E[Y(t_k)] − E[Y(t_{k−1})]) · (1+d)^(−t_k/P).
/// Discounting at the end of each step understates the value by less than a factor (1+d)^(Δ/P) (0.2% for weekly
/// steps at 10% a year). Spend is independent of the purchase process, as the Gamma-Gamma model assumes.</para>
/// </remarks>
public static class ClvAnalysis
{
    /// <summary>Fits both models (Gamma-Gamma on the customers with x &gt; 0 and zbar &gt; 0), runs the holdout
    /// check when every summary has a holdout observation, and predicts for every customer.</summary>
    /// <exception cref="ArgumentException">Invalid options or summaries, no repeat buyer, too few customers, or
    /// holdout observations on some customers but not others.</exception>
    public static ClvResult Run(IReadOnlyList<RepeatPurchaseSummary> customers, ClvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        options ??= new ClvOptions();
        options.Validate();
        var bgnbd = BgNbdModel.Fit(customers, options.Fit);

        var spendRows = customers.Where(c => c.Frequency > 0 && c.MeanSpend > 0 && double.IsFinite(c.MeanSpend)).ToList();
        var spendExcluded = customers.Count(c => c.Frequency > 0) - spendRows.Count;
        var gammaGamma = spendRows.Count >= options.Fit.MinCustomers ? GammaGammaModel.Fit(spendRows, options.Fit) : null;

        var withHoldout = customers.Count(c => c.HoldoutFrequency is not null && c.HoldoutDuration is not null);
        if (withHoldout != 0 && withHoldout != customers.Count)
        {
            throw new ArgumentException($"{withHoldout} of {customers.Count} customers have a holdout observation: give it for all or none.", nameof(customers));
        }

        var holdout = withHoldout > 0 ? HoldoutCheck.Compute(bgnbd.Parameters, customers) : null;
        var values = new CustomerValue[customers.Count];
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            var model = bgnbd.Parameters;
            double? spend = gammaGamma is null ? null : gammaGamma.Parameters.ExpectedMeanSpend(
                c with { MeanSpend = double.IsFinite(c.MeanSpend) ? Math.Max(0, c.MeanSpend) : 0 }, gammaGamma.FallbackMeanSpend);
            values[i] = new CustomerValue(
                model.ProbabilityAlive(c),
                model.ExpectedPurchases(c, options.Horizon),
                spend,
                spend is { } m ? LifetimeValue(model, c, m, options) : null);
        }

        return new ClvResult(bgnbd, gammaGamma, holdout, values, spendExcluded);
    }

    /// <summary>The discounted expected value of a customer's purchases over the horizon (see the remarks).</summary>
    /// <param name="model">The BG/NBD parameters.</param>
    /// <param name="customer">The customer's history.</param>
    /// <param name="expectedSpend">Expected value per purchase (for example E[M | x, zbar]).</param>
    /// <param name="options">Horizon, step, discounting and margin.</param>
    public static double LifetimeValue(BgNbdParameters model, RepeatPurchaseSummary customer, double expectedSpend, ClvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        BgNbdModel.Check(customer, nameof(customer));
        options ??= new ClvOptions();
        options.Validate();
        if (!double.IsFinite(expectedSpend) || expectedSpend < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedSpend), expectedSpend, "expected spend must be a finite number ≥ 0");
        }

        var steps = (int)Math.Ceiling((options.Horizon / options.StepLength) - 1e-9);
        var logDiscount = Math.Log(1 + options.DiscountRate) / options.DiscountPeriod;
        double previous = 0, value = 0;
        for (var k = 1; k <= steps; k++)
        {
            var t = Math.Min(k * options.StepLength, options.Horizon);
            var cumulative = model.ExpectedPurchasesUnchecked(customer.Frequency, customer.Recency, customer.Age, t);
            value += (cumulative - previous) * Math.Exp(-logDiscount * t);
            previous = cumulative;
        }

        return options.Margin * expectedSpend * value;
    }
}
