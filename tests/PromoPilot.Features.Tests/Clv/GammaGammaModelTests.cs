using PromoPilot.Core.Customers;
using PromoPilot.Features.Clv;
using PromoPilot.Ingestion.Tests.Support;
using Xunit.Abstractions;

namespace PromoPilot.Features.Tests.Clv;

public sealed class GammaGammaModelTests(ITestOutputHelper output)
{
    /// <summary>Fader, Hardie &amp; Lee (2005), CDNOW 1/10th sample, customers with repeat purchases.</summary>
    private static readonly GammaGammaParameters Published = new(6.25, 3.74, 15.44);

    /// <summary>p, q, γ, x, zbar, ln f(zbar), E[M | x, zbar]: from clv_reference.py (mpmath, 50 digits).</summary>
    public static TheoryData<double, double, double, int, double, double, double> Reference => new()
    {
        { 6.25, 3.74, 15.44, 2, 22.35, -3.5513167597317047, 24.663713910761155 },
        { 6.25, 3.74, 15.44, 1, 11.77, -3.7377096787408399, 18.916852057842046 },
        { 0.8, 2.5, 40.0, 12, 3.5, -3.917574644120594, 5.90990990990991 },
    };

    [Theory]
    [MemberData(nameof(Reference))]
    public void LogLikelihoodAndExpectedSpend_ReferenceCases_MatchMpmath(double p, double q, double gamma, int x, double zbar, double logLik, double mean)
    {
        var data = new GammaGammaModel.SpendData([x], [zbar], [1]);

        Assert.Equal(logLik, GammaGammaModel.LogLikelihood(data, [p, q, gamma], new double[3]), 1e-12);
        Assert.Equal(mean, new GammaGammaParameters(p, q, gamma).ExpectedMeanSpend(new RepeatPurchaseSummary(x, 1, 1, zbar), double.NaN), 1e-12);
    }

    [Fact]
    public void ExpectedMeanSpend_NoRepeatPurchases_IsThePopulationMean()
    {
        Assert.Equal(15.44 * 6.25 / 2.74, Published.ExpectedMeanSpend(new RepeatPurchaseSummary(0, 0, 30), double.NaN), 1e-12);
        Assert.True(Published.HasFiniteMean);
    }

    [Fact]
    public void ExpectedMeanSpend_InfinitePopulationMean_UsesTheFallback()
    {
        var heavy = new GammaGammaParameters(0.2, 0.9, 10);

        Assert.False(heavy.HasFiniteMean);
        Assert.Equal(42, heavy.ExpectedMeanSpend(new RepeatPurchaseSummary(0, 0, 30), 42));
        Assert.Equal(42, heavy.ExpectedMeanSpend(new RepeatPurchaseSummary(0, 0, 30, 5), 42));
        // p·x + q − 1 = 0.2·3 − 0.1 > 0: the posterior mean is finite again.
        Assert.Equal((10 + (3 * 5.0)) * 0.2 / 0.5, heavy.ExpectedMeanSpend(new RepeatPurchaseSummary(3, 1, 30, 5), 42), 1e-12);
    }

    [Fact]
    public void LogLikelihoodGradient_RandomPoints_MatchesFiniteDifferences()
    {
        var rows = Simulation.GammaGamma(200, 5, 4, 20, seed: 9);
        var data = new GammaGammaModel.SpendData([.. rows.Select(r => (double)r.Frequency)], [.. rows.Select(r => r.MeanSpend)], [.. rows.Select(_ => 1.0)]);
        var random = new Random(13);
        for (var i = 0; i < 20; i++)
        {
            double[] theta = [Math.Exp((random.NextDouble() * 4) - 1), Math.Exp((random.NextDouble() * 3) - 1), Math.Exp(random.NextDouble() * 4)];
            var gradient = new double[3];
            GammaGammaModel.LogLikelihood(data, theta, gradient);
            for (var j = 0; j < 3; j++)
            {
                var h = 1e-6 * theta[j];
                var up = (double[])theta.Clone();
                var down = (double[])theta.Clone();
                up[j] += h;
                down[j] -= h;
                var numeric = (GammaGammaModel.LogLikelihood(data, up, new double[3]) - GammaGammaModel.LogLikelihood(data, down, new double[3])) / (2 * h);
                Assert.Equal(numeric, gradient[j], 1e-5 * Math.Max(1, Math.Abs(numeric)));
            }
        }
    }

    [DatasetFact("cdnow")]
    public void Fit_CdnowSample_ReproducesThePublishedEstimates()
    {
        var customers = CdnowSummaryFile.Read().Where(c => c.Frequency > 0).ToList();

        var fit = GammaGammaModel.Fit(customers);

        output.WriteLine($"{fit}");
        Assert.Equal(946, fit.Customers);
        Assert.True(fit.Converged);
        AssertWithin(Published.P, fit.Parameters.P, 0.01);
        AssertWithin(Published.Q, fit.Parameters.Q, 0.01);
        AssertWithin(Published.Gamma, fit.Parameters.Gamma, 0.01);
    }

    [Fact]
    public void Fit_SimulatedCustomers_RecoversTheParametersWithinFourStandardErrors()
    {
        // 10,000 customers with 1-10 repeat purchases each; the same 4-standard-error bound as the BG/NBD recovery test.
        var truth = new GammaGammaParameters(6, 4, 15);
        var customers = Simulation.GammaGamma(10_000, truth.P, truth.Q, truth.Gamma, seed: 77);

        var fit = GammaGammaModel.Fit(customers);

        output.WriteLine($"{fit}");
        Assert.True(fit.Converged);
        var se = fit.StandardErrors!;
        AssertRecovered(truth.P, fit.Parameters.P, se.P);
        AssertRecovered(truth.Q, fit.Parameters.Q, se.Q);
        AssertRecovered(truth.Gamma, fit.Parameters.Gamma, se.Gamma);
    }

    [Theory]
    [InlineData(0, 10.0)]
    [InlineData(2, 0.0)]
    [InlineData(2, -5.0)]
    [InlineData(2, double.NaN)]
    public void Fit_RowWithoutPositiveSpend_ThrowsNamingTheRow(int x, double zbar)
    {
        List<RepeatPurchaseSummary> customers = [new(1, 1, 2, 10), new(3, 1, 2, 12), new(x, 1, 2, zbar)];

        var e = Assert.Throws<ArgumentException>(() => GammaGammaModel.Fit(customers));

        Assert.StartsWith("customers[2]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NoCustomers_Throws()
    {
        Assert.Throws<ArgumentException>(() => GammaGammaModel.Fit([]));
    }

    [Fact]
    public void Fit_AllSpendsEqual_GivesFiniteParametersAndMean()
    {
        // No spread at all: the likelihood grows without bound toward p, q → ∞; the fit stays finite and its mean
        // prediction is the common value.
        var customers = Enumerable.Range(0, 30).Select(i => new RepeatPurchaseSummary(1 + (i % 4), 1, 2, 20)).ToList();

        var fit = GammaGammaModel.Fit(customers);

        var p = fit.Parameters;
        Assert.All([p.P, p.Q, p.Gamma, fit.LogLikelihood], v => Assert.True(double.IsFinite(v)));
        Assert.Equal(20, p.ExpectedMeanSpend(customers[0], fit.FallbackMeanSpend), 0.5);
    }

    private static void AssertWithin(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected} within {relative:P0}, got {actual}");

    private static void AssertRecovered(double truth, double estimate, double standardError)
    {
        Assert.True(standardError < 0.15 * truth, $"standard error {standardError} of {truth} is too large for a meaningful check");
        Assert.True(Math.Abs(estimate - truth) <= 4 * standardError, $"estimate {estimate} is more than 4 standard errors ({standardError}) from {truth}");
    }
}
