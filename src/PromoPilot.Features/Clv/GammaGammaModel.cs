using PromoPilot.Core.Customers;
using static MathNet.Numerics.SpecialFunctions;

namespace PromoPilot.Features.Clv;

/// <summary>
/// The parameters of the Gamma-Gamma spend model: a customer's transaction values are Gamma(<see cref="P"/>, ν)
/// around their mean p/ν, and ν ~ Gamma(<see cref="Q"/>, rate <see cref="Gamma"/>) across customers.
/// </summary>
public sealed record GammaGammaParameters(double P, double Q, double Gamma)
{
    /// <summary>True when the population mean spend γp/(q−1) is finite (q &gt; 1).</summary>
    public bool HasFiniteMean => Q > 1;

    /// <summary>E[M] = γp/(q−1), the mean spend of a customer drawn from the population; infinite when q ≤ 1.</summary>
    public double PopulationMeanSpend => HasFiniteMean ? Gamma * P / (Q - 1) : double.PositiveInfinity;

    /// <summary>
    /// E[M | x, zbar] = (γ + x·zbar)·p / (p·x + q − 1) (Fader, Hardie &amp; Lee 2005, "RFM and CLV"): a weighted
    /// mean of the population mean and the customer's own mean zbar, weight p·x/(p·x+q−1) on zbar. Without repeat
    /// purchases (x = 0) it is the population mean. A customer with x &gt; 0 and zbar = 0 (repeat purchases of value
    /// 0, which the model cannot fit) gets the formula at zbar = 0.
    /// </summary>
    /// <param name="customer">Frequency x and MeanSpend zbar are used.</param>
    /// <param name="fallbackMean">Returned for x = 0 when q ≤ 1 (no finite population mean), and for x &gt; 0 when
    /// p·x + q ≤ 1 (no finite posterior mean); <see cref="GammaGammaFit.FallbackMeanSpend"/> is the observed mean.</param>
    /// <exception cref="ArgumentException">x &lt; 0, or zbar negative or not finite.</exception>
    public double ExpectedMeanSpend(RepeatPurchaseSummary customer, double fallbackMean)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (customer.Frequency < 0 || !double.IsFinite(customer.MeanSpend) || customer.MeanSpend < 0)
        {
            throw new ArgumentException($"x must be ≥ 0 and zbar a finite number ≥ 0 (x = {customer.Frequency}, zbar = {customer.MeanSpend}).", nameof(customer));
        }

        if (customer.Frequency == 0)
        {
            return HasFiniteMean ? PopulationMeanSpend : fallbackMean;
        }

        var denominator = (P * customer.Frequency) + Q - 1;
        return denominator > 0 ? (Gamma + (customer.Frequency * customer.MeanSpend)) * P / denominator : fallbackMean;
    }
}

/// <summary>Standard errors of the Gamma-Gamma parameters.</summary>
public sealed record GammaGammaStandardErrors(double P, double Q, double Gamma);

/// <summary>A fitted Gamma-Gamma spend model.</summary>
/// <param name="Parameters">The maximum-likelihood estimates.</param>
/// <param name="LogLikelihood">The total log-likelihood of the customers' mean spends (density of zbar, all constants included).</param>
/// <param name="StandardErrors">Null when the observed information is not positive definite.</param>
/// <param name="Converged">An interior maximum was found.</param>
/// <param name="Customers">Customers fitted (x &gt; 0, zbar &gt; 0).</param>
/// <param name="FallbackMeanSpend">The customers' mean of zbar weighted by x: the spend predicted where the model's mean is infinite.</param>
public sealed record GammaGammaFit(
    GammaGammaParameters Parameters,
    double LogLikelihood,
    GammaGammaStandardErrors? StandardErrors,
    bool Converged,
    int Customers,
    double FallbackMeanSpend);

/// <summary>
/// The Gamma-Gamma model of average transaction value, fitted by maximum likelihood. Follows Fader, Hardie &amp; Lee
/// (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", Journal of Marketing Research 42(4),
/// 415–430, and the note "The Gamma-Gamma Model of Monetary Value" (Fader &amp; Hardie, 2013).
/// </summary>
/// <remarks>
/// <para>The mean zbar of x transactions of a customer has density
/// f(zbar | p, q, γ, x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q · zbar^(px−1) · x^(px) / (γ + x·zbar)^(px+q),
/// maximized in (ln p, ln q, ln γ) with BFGS from four starting points whose population mean equals the observed
/// mean; the gradient is analytical. x is the number of repeat transactions, zbar their mean value, as in the
/// CDNOW analysis (the first purchase is left out).</para>
/// <para>The model assumes spend is independent of the purchase process (check the correlation of x and zbar) and
/// every value is positive: rows with x = 0 carry no spend information and are not accepted; zbar must be &gt; 0.</para>
/// </remarks>
public static class GammaGammaModel
{
    /// <summary>Fits the model to customers with repeat purchases (Frequency = x &gt; 0, MeanSpend = zbar &gt; 0).</summary>
    /// <exception cref="ArgumentException">Fewer than <see cref="ClvFitOptions.MinCustomers"/> customers, or a row with
    /// x ≤ 0 or zbar ≤ 0 or not finite (select the eligible rows first, as <see cref="ClvAnalysis"/> does).</exception>
    public static GammaGammaFit Fit(IReadOnlyList<RepeatPurchaseSummary> customers, ClvFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        options ??= new ClvFitOptions();
        options.Validate();
        if (customers.Count < options.MinCustomers)
        {
            throw new ArgumentException($"Gamma-Gamma needs at least {options.MinCustomers} customers with repeat purchases, got {customers.Count}.", nameof(customers));
        }

        double sum = 0, weight = 0;
        var counts = new Dictionary<(int X, double Zbar), int>();
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            ArgumentNullException.ThrowIfNull(c, $"{nameof(customers)}[{i}]");
            if (c.Frequency <= 0 || !double.IsFinite(c.MeanSpend) || c.MeanSpend <= 0)
            {
                throw new ArgumentException($"{nameof(customers)}[{i}]: Gamma-Gamma needs x > 0 and a finite zbar > 0 (x = {c.Frequency}, zbar = {c.MeanSpend}).", nameof(customers));
            }

            sum += c.Frequency * c.MeanSpend;
            weight += c.Frequency;
            counts[(c.Frequency, c.MeanSpend)] = counts.GetValueOrDefault((c.Frequency, c.MeanSpend)) + 1;
        }

        var data = new SpendData(
            [.. counts.Keys.Select(k => (double)k.X)], [.. counts.Keys.Select(k => k.Zbar)], [.. counts.Values.Select(v => (double)v)]);
        var mean = sum / weight;
        double[][] starts =
        [
            [1, 2, mean],
            [4, 4, mean * 3 / 4],
            [10, 10, mean * 9 / 10],
            [0.5, 1.5, mean],
        ];
        var result = MaximumLikelihood.Maximize((p, g) => LogLikelihood(data, p, g), starts, customers.Count, options);
        var p = result.Parameters;
        var se = result.StandardErrors is { } s ? new GammaGammaStandardErrors(s[0], s[1], s[2]) : null;
        return new GammaGammaFit(new GammaGammaParameters(p[0], p[1], p[2]), result.LogLikelihood, se, result.Converged, customers.Count, mean);
    }

    /// <summary>The total log-likelihood and its gradient with respect to (p, q, γ).</summary>
    internal static double LogLikelihood(SpendData data, ReadOnlySpan<double> parameters, Span<double> gradient)
    {
        double p = parameters[0], q = parameters[1], gamma = parameters[2];
        gradient.Clear();
        if (!(p > 0 && q > 0 && gamma > 0) || !double.IsFinite(p + q + gamma))
        {
            return double.NaN;
        }

        double lgQ = GammaLn(q), psiQ = DiGamma(q), lnGamma = Math.Log(gamma);
        double total = 0, gP = 0, gQ = 0, gGamma = 0;
        for (var i = 0; i < data.Weight.Length; i++)
        {
            double x = data.X[i], zbar = data.Zbar[i], w = data.Weight[i];
            var px = p * x;
            double lnZ = Math.Log(zbar), lnX = Math.Log(x), lnDen = Math.Log(gamma + (x * zbar));
            double psiPxQ = DiGamma(px + q), psiPx = DiGamma(px);
            total += w * (GammaLn(px + q) - GammaLn(px) - lgQ + (q * lnGamma) + ((px - 1) * lnZ) + (px * lnX) - ((px + q) * lnDen));
            gP += w * x * (psiPxQ - psiPx + lnZ + lnX - lnDen);
            gQ += w * (psiPxQ - psiQ + lnGamma - lnDen);
            gGamma += w * ((q / gamma) - ((px + q) / (gamma + (x * zbar))));
        }

        gradient[0] = gP;
        gradient[1] = gQ;
        gradient[2] = gGamma;
        return total;
    }

    internal sealed record SpendData(double[] X, double[] Zbar, double[] Weight);
}
