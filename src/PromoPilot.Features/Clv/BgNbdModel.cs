using PromoPilot.Core.Customers;
using static MathNet.Numerics.SpecialFunctions;

namespace PromoPilot.Features.Clv;

/// <summary>
/// The parameters of the BG/NBD model: purchase rates λ ~ Gamma(shape <see cref="R"/>, rate <see cref="Alpha"/>)
/// across customers, and dropout probabilities after each repeat purchase p ~ Beta(<see cref="A"/>, <see cref="B"/>).
/// <see cref="Alpha"/> is in the summaries' time unit.
/// </summary>
public sealed record BgNbdParameters(double R, double Alpha, double A, double B)
{
    /// <summary>
    /// P(alive | x, t_x, T) = 1 / (1 + δ(x&gt;0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) (Fader, Hardie &amp; Lee 2005,
    /// computed through logarithms). A customer without repeat purchases is alive by the model's assumptions (1).
    /// </summary>
    public double ProbabilityAlive(RepeatPurchaseSummary customer)
    {
        BgNbdModel.Check(customer, nameof(customer));
        return 1 / (1 + DeathOdds(customer.Frequency, customer.Recency, customer.Age));
    }

    /// <summary>
    /// E[Y(t) | x, t_x, T]: the expected number of purchases in the next <paramref name="t"/> time units of a customer
    /// with this history (Fader, Hardie &amp; Lee 2005):
    /// (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
    /// The bracket is evaluated in the stable form documented at <see cref="Hypergeometric"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative or not finite.</exception>
    public double ExpectedPurchases(RepeatPurchaseSummary customer, double t)
    {
        BgNbdModel.Check(customer, nameof(customer));
        CheckHorizon(t);
        return ExpectedPurchasesUnchecked(customer.Frequency, customer.Recency, customer.Age, t);
    }

    /// <summary>
    /// E[X(t)]: the expected number of repeat purchases of a new customer in the <paramref name="t"/> time units after
    /// the first purchase (Fader, Hardie &amp; Lee 2005): the conditional expectation with x = 0, T = 0.
    /// </summary>
    public double ExpectedPurchasesNewCustomer(double t)
    {
        CheckHorizon(t);
        return ExpectedPurchasesUnchecked(0, 0, 0, t);
    }

    /// <summary>The log-likelihood of one customer's history (Fader, Hardie &amp; Lee 2005).</summary>
    public double LogLikelihood(RepeatPurchaseSummary customer)
    {
        BgNbdModel.Check(customer, nameof(customer));
        var data = BgNbdModel.Group([customer]);
        return BgNbdModel.LogLikelihood(data, [R, Alpha, A, B], new double[4]);
    }

    internal double ExpectedPurchasesUnchecked(int x, double recency, double age, double t)
    {
        if (t == 0)
        {
            return 0;
        }

        var tail = Hypergeometric.BgNbdTail(R, Alpha, A, B, x, age, t);
        return Math.Max(0, tail / (1 + DeathOdds(x, recency, age)));
    }

    /// <summary>δ(x&gt;0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x): the odds that the customer has dropped out.</summary>
    internal double DeathOdds(int x, double recency, double age) =>
        x == 0 ? 0 : Math.Exp(Math.Log(A) - Math.Log(B + x - 1) + ((R + x) * (Math.Log(Alpha + age) - Math.Log(Alpha + recency))));

    private static void CheckHorizon(double t)
    {
        if (!double.IsFinite(t) || t < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, "the horizon must be a finite number ≥ 0");
        }
    }
}

/// <summary>Standard errors of the BG/NBD parameters (from the inverse observed information at the optimum).</summary>
public sealed record BgNbdStandardErrors(double R, double Alpha, double A, double B);

/// <summary>A fitted BG/NBD model.</summary>
/// <param name="Parameters">The maximum-likelihood estimates.</param>
/// <param name="LogLikelihood">The total log-likelihood at the estimates (comparable with published values: the
/// constant terms of the likelihood are all included).</param>
/// <param name="StandardErrors">Null when the observed information is not positive definite (a boundary optimum).</param>
/// <param name="Converged">An interior maximum was found (small gradient, positive definite Hessian).</param>
/// <param name="Customers">Customers fitted.</param>
/// <param name="RepeatBuyers">Customers with at least one repeat purchase.</param>
public sealed record BgNbdFit(
    BgNbdParameters Parameters,
    double LogLikelihood,
    BgNbdStandardErrors? StandardErrors,
    bool Converged,
    int Customers,
    int RepeatBuyers);

/// <summary>
/// The BG/NBD ("beta-geometric / negative binomial distribution") model of repeat buying, fitted by maximum likelihood.
/// Follows Fader, Hardie &amp; Lee (2005), "'Counting Your Customers' the Easy Way: An Alternative to the Pareto/NBD
/// Model", Marketing Science 24(2), 275–284, and the note "Implementing the BG/NBD Model for Customer Base Analysis in
/// Excel" (Fader, Hardie &amp; Lee, 2005).
/// </summary>
/// <remarks>
/// <para>Log-likelihood of a customer, with B the beta function:
/// ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
/// + ln[ (α+T)^−(r+x) + δ(x&gt;0) · a/(b+x−1) · (α+t_x)^−(r+x) ],
/// the last term by log-sum-exp; for x = 0 the second summand is exactly absent. Customers with the same (x, t_x, T)
/// are evaluated once and weighted. The gradient is analytical (digamma functions).</para>
/// <para>The fit maximizes the total log-likelihood with BFGS on (ln r, ln α, ln a, ln b) from five starting points
/// scaled to the data's purchase rate, keeping the best (see <see cref="ClvFitOptions"/>).</para>
/// <para>Characteristics: needs at least one repeat buyer (otherwise the rate λ → 0 and nothing is identified);
/// x, t_x, T in one time unit; predictions are for that unit.</para>
/// </remarks>
public static class BgNbdModel
{
    /// <summary>Fits the model to per-customer summaries (Frequency = x, Recency = t_x, Age = T).</summary>
    /// <exception cref="ArgumentException">Fewer than <see cref="ClvFitOptions.MinCustomers"/> customers, no repeat
    /// buyer, or a summary with x &lt; 0, a non-finite time, t_x &lt; 0 or t_x &gt; T.</exception>
    public static BgNbdFit Fit(IReadOnlyList<RepeatPurchaseSummary> customers, ClvFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        options ??= new ClvFitOptions();
        options.Validate();
        if (customers.Count < options.MinCustomers)
        {
            throw new ArgumentException($"BG/NBD needs at least {options.MinCustomers} customers, got {customers.Count}.", nameof(customers));
        }

        var repeatBuyers = 0;
        double sumX = 0, sumAge = 0;
        for (var i = 0; i < customers.Count; i++)
        {
            Check(customers[i], $"{nameof(customers)}[{i}]");
            repeatBuyers += customers[i].Frequency > 0 ? 1 : 0;
            sumX += customers[i].Frequency;
            sumAge += customers[i].Age;
        }

        if (repeatBuyers == 0)
        {
            throw new ArgumentException("BG/NBD needs at least one customer with a repeat purchase (x > 0): with none, the purchase rate and dropout are not identified.", nameof(customers));
        }

        var data = Group(customers);
        // Starting points: λ = r/α near the observed rate of repeat purchases, dropout from mild to strong.
        var rate = sumX / Math.Max(sumAge, 1e-12);
        double[][] starts =
        [
            [1, 1 / rate, 1, 1],
            [0.5, 0.5 / rate, 0.5, 2],
            [0.25, 0.25 / rate, 1, 3],
            [2, 2 / rate, 2, 5],
            [1, 1, 1, 1],
        ];
        var result = MaximumLikelihood.Maximize((p, g) => LogLikelihood(data, p, g), starts, customers.Count, options);
        var p = result.Parameters;
        var se = result.StandardErrors is { } s ? new BgNbdStandardErrors(s[0], s[1], s[2], s[3]) : null;
        return new BgNbdFit(new BgNbdParameters(p[0], p[1], p[2], p[3]), result.LogLikelihood, se, result.Converged, customers.Count, repeatBuyers);
    }

    internal static void Check(RepeatPurchaseSummary customer, string name)
    {
        ArgumentNullException.ThrowIfNull(customer, name);
        if (customer.Frequency < 0)
        {
            throw new ArgumentException($"{name}: x (repeat purchases) must be ≥ 0, not {customer.Frequency}.", name);
        }

        if (!double.IsFinite(customer.Age) || customer.Age < 0)
        {
            throw new ArgumentException($"{name}: T (age) must be a finite number ≥ 0, not {customer.Age}.", name);
        }

        if (!double.IsFinite(customer.Recency) || customer.Recency < 0 || customer.Recency > customer.Age * (1 + 1e-12))
        {
            throw new ArgumentException($"{name}: t_x (recency) must be within [0, T = {customer.Age}], not {customer.Recency}.", name);
        }
    }

    /// <summary>Customers with equal (x, t_x, T), each once with a weight (t_x is irrelevant when x = 0).</summary>
    internal static GroupedCustomers Group(IReadOnlyList<RepeatPurchaseSummary> customers)
    {
        var counts = new Dictionary<(int X, double Recency, double Age), int>();
        foreach (var c in customers)
        {
            var key = (c.Frequency, c.Frequency == 0 ? 0 : c.Recency, c.Age);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var keys = counts.Keys.OrderBy(k => k.X).ThenBy(k => k.Recency).ThenBy(k => k.Age).ToArray();
        return new GroupedCustomers(
            [.. keys.Select(k => k.X)], [.. keys.Select(k => k.Recency)], [.. keys.Select(k => k.Age)], [.. keys.Select(k => (double)counts[k])]);
    }

    /// <summary>The total log-likelihood and its gradient with respect to (r, α, a, b).</summary>
    internal static double LogLikelihood(GroupedCustomers data, ReadOnlySpan<double> parameters, Span<double> gradient)
    {
        double r = parameters[0], alpha = parameters[1], a = parameters[2], b = parameters[3];
        gradient.Clear();
        if (!(r > 0 && alpha > 0 && a > 0 && b > 0) || !double.IsFinite(r + alpha + a + b))
        {
            return double.NaN;
        }

        double lnAlpha = Math.Log(alpha), lgR = GammaLn(r), lgB = GammaLn(b), lgAb = GammaLn(a + b);
        double psiR = DiGamma(r), psiB = DiGamma(b), psiAb = DiGamma(a + b), lnA = Math.Log(a);
        double total = 0, gR = 0, gAlpha = 0, gA = 0, gB = 0;
        var lastX = -1;
        double lgRx = 0, lgBx = 0, lgAbx = 0, psiRx = 0, psiBx = 0, psiAbx = 0;
        for (var i = 0; i < data.Weight.Length; i++)
        {
            var x = data.X[i];
            var w = data.Weight[i];
            if (x != lastX)
            {
                lgRx = GammaLn(r + x);
                lgBx = GammaLn(b + x);
                lgAbx = GammaLn(a + b + x);
                psiRx = DiGamma(r + x);
                psiBx = DiGamma(b + x);
                psiAbx = DiGamma(a + b + x);
                lastX = x;
            }

            var a1 = lgRx - lgR + (r * lnAlpha);
            var a2 = lgAb + lgBx - lgB - lgAbx;
            var lnAgeTerm = Math.Log(alpha + data.Age[i]);
            var a3 = -(r + x) * lnAgeTerm;
            double lse, w3 = 1, w4 = 0, a4 = 0, lnRecencyTerm = 0;
            if (x > 0)
            {
                lnRecencyTerm = Math.Log(alpha + data.Recency[i]);
                a4 = lnA - Math.Log(b + x - 1) - ((r + x) * lnRecencyTerm);
                var max = Math.Max(a3, a4);
                lse = max + Math.Log(Math.Exp(a3 - max) + Math.Exp(a4 - max));
                w3 = Math.Exp(a3 - lse);
                w4 = Math.Exp(a4 - lse);
            }
            else
            {
                lse = a3;
            }

            total += w * (a1 + a2 + lse);
            gR += w * (psiRx - psiR + lnAlpha - (w3 * lnAgeTerm) - (w4 * lnRecencyTerm));
            gAlpha += w * ((r / alpha) - (w3 * (r + x) / (alpha + data.Age[i])) - (x > 0 ? w4 * (r + x) / (alpha + data.Recency[i]) : 0));
            gA += w * (psiAb - psiAbx + (w4 / a));
            gB += w * (psiAb + psiBx - psiB - psiAbx - (x > 0 ? w4 / (b + x - 1) : 0));
        }

        gradient[0] = gR;
        gradient[1] = gAlpha;
        gradient[2] = gA;
        gradient[3] = gB;
        return total;
    }

    internal sealed record GroupedCustomers(int[] X, double[] Recency, double[] Age, double[] Weight);
}
