using PromoPilot.Core.Customers;
using PromoPilot.Features.Clv;
using PromoPilot.Ingestion.Tests.Support;
using Xunit.Abstractions;

namespace PromoPilot.Features.Tests.Clv;

public sealed class BgNbdModelTests(ITestOutputHelper output)
{
    /// <summary>Fader, Hardie &amp; Lee (2005), CDNOW 1/10th sample: r, α, a, b and the log-likelihood.</summary>
    private static readonly BgNbdParameters Published = new(0.243, 4.414, 0.793, 2.426);

    /// <summary>r, α, a, b, x, t_x, T, t, E[Y(t) | x, t_x, T], P(alive): from clv_reference.py (mpmath, 50 digits).</summary>
    public static TheoryData<double, double, double, double, int, double, double, double, double, double> Reference => new()
    {
        { 0.243, 4.414, 0.793, 2.426, 2, 30.43, 38.86, 39, 1.2260281747671445, 0.72657857008067291 },
        { 0.243, 4.414, 0.793, 2.426, 0, 0, 38.86, 39, 0.19509805201126264, 1.0 },
        { 0.243, 4.414, 0.793, 2.426, 7, 35.0, 37.0, 52, 5.9664366438961083, 0.88129394377635664 },
        { 0.243, 4.414, 0.793, 2.426, 150, 300.0, 310.0, 52, 13.974655752251481, 0.59769717010408773 },
        { 1.5, 2.0, 3.2, 1.4, 1, 2.0, 10.0, 5, 0.019972288225785587, 0.027299461285243136 },
        { 0.6, 10.0, 1.000000001, 3.0, 3, 20.0, 30.0, 26, 1.2490546993017009, 0.63963549699569719 },
        { 0.6, 10.0, 0.4, 0.3, 0, 0, 20.0, 26, 0.39007279277912513, 1.0 },
        { 0.6, 10.0, 0.4, 0.3, 4, 12.0, 20.0, 26, 2.2661144324654367, 0.6645195311149489 },
        { 2.0, 0.5, 0.2, 0.9, 5, 1.0, 50.0, 520, 2.491556667029955e-8, 4.9976432423313933e-10 },
        { 0.243, 4.414, 0.793, 2.426, 0, 0, 0, 78, 1.8605190579427686, 1.0 },
    };

    /// <summary>r, α, a, b, x, t_x, T, ln L of one customer: from clv_reference.py.</summary>
    public static TheoryData<double, double, double, double, int, double, double, double> ReferenceLogLikelihood => new()
    {
        { 0.243, 4.414, 0.793, 2.426, 2, 30.43, 38.86, -9.4586063070662712 },
        { 0.243, 4.414, 0.793, 2.426, 0, 0, 38.86, -0.55471327643815845 },
        { 0.243, 4.414, 0.793, 2.426, 7, 35.0, 37.0, -21.862252027310868 },
        { 0.243, 4.414, 0.793, 2.426, 150, 300.0, 310.0, -266.53531815035097 },
        { 1.5, 2.0, 3.2, 1.4, 1, 2.0, 10.0, -2.3557765022685538 },
    };

    [Theory]
    [MemberData(nameof(Reference))]
    public void ExpectedPurchases_ReferenceCases_MatchMpmath(double r, double alpha, double a, double b, int x, double tx, double age, double t, double expected, double alive)
    {
        var model = new BgNbdParameters(r, alpha, a, b);
        var customer = new RepeatPurchaseSummary(x, tx, age);

        Assert.Equal(expected, model.ExpectedPurchases(customer, t), expected * 1e-10);
        Assert.Equal(alive, model.ProbabilityAlive(customer), alive * 1e-12);
    }

    [Theory]
    [MemberData(nameof(ReferenceLogLikelihood))]
    public void LogLikelihood_ReferenceCases_MatchMpmath(double r, double alpha, double a, double b, int x, double tx, double age, double expected)
    {
        var model = new BgNbdParameters(r, alpha, a, b);

        Assert.Equal(expected, model.LogLikelihood(new RepeatPurchaseSummary(x, tx, age)), 1e-10);
    }

    [Fact]
    public void ExpectedPurchases_ExcelNoteCustomer_IsThePublished1226()
    {
        // Fader, Hardie & Lee, "Implementing the BG/NBD model ... in Excel": x = 2, t_x = 30.43, T = 38.86 expects
        // 1.226 purchases in the next 39 weeks at the CDNOW estimates.
        var expected = Published.ExpectedPurchases(new RepeatPurchaseSummary(2, 30.43, 38.86), 39);

        Assert.Equal(1.226, expected, 0.0005);
    }

    [Fact]
    public void ExpectedPurchasesNewCustomer_IsTheConditionalExpectationAtBirth()
    {
        var model = new BgNbdParameters(0.7, 6, 1.3, 4);

        Assert.Equal(model.ExpectedPurchases(new RepeatPurchaseSummary(0, 0, 0), 40), model.ExpectedPurchasesNewCustomer(40), 1e-14);
        Assert.Equal(0, model.ExpectedPurchasesNewCustomer(0));
    }

    [Fact]
    public void Predictions_RandomParametersAndHistories_AreProbabilitiesAndIncreasing()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var model = new BgNbdParameters(Draw(random), Draw(random) * 10, Draw(random), Draw(random));
            var age = 100 * random.NextDouble();
            var x = random.Next(0, 40);
            var customer = new RepeatPurchaseSummary(x, x == 0 ? 0 : age * random.NextDouble(), age);

            var alive = model.ProbabilityAlive(customer);
            Assert.InRange(alive, 0, 1);
            if (x == 0)
            {
                Assert.Equal(1, alive);
            }

            var previous = 0.0;
            foreach (var t in new[] { 0.5, 1, 5, 26, 52, 104 })
            {
                var e = model.ExpectedPurchases(customer, t);
                Assert.True(double.IsFinite(e) && e >= previous - (1e-9 * Math.Max(1, e)), $"case {i}: E[Y({t})] = {e} after {previous} ({model}, {customer})");
                previous = e;
            }

            // For a short horizon E[Y(t)] / t tends to P(alive)·E[λ | x, T] = P(alive)·(r+x)/(α+T).
            const double dt = 1e-6;
            Assert.Equal(alive * (model.R + x) / (model.Alpha + age), model.ExpectedPurchases(customer, dt) / dt, 1e-4 * Math.Max(1, alive * (model.R + x) / (model.Alpha + age)));
        }
    }

    [Fact]
    public void LogLikelihoodGradient_RandomPoints_MatchesFiniteDifferences()
    {
        var customers = Simulation.BgNbd(300, 0.5, 5, 0.9, 2.5, seed: 3);
        var data = BgNbdModel.Group(customers);
        var random = new Random(11);
        for (var i = 0; i < 20; i++)
        {
            double[] theta = [Draw(random), Draw(random) * 10, Draw(random), Draw(random)];
            var gradient = new double[4];
            BgNbdModel.LogLikelihood(data, theta, gradient);
            for (var j = 0; j < 4; j++)
            {
                var h = 1e-6 * theta[j];
                var up = (double[])theta.Clone();
                var down = (double[])theta.Clone();
                up[j] += h;
                down[j] -= h;
                var numeric = (BgNbdModel.LogLikelihood(data, up, new double[4]) - BgNbdModel.LogLikelihood(data, down, new double[4])) / (2 * h);
                Assert.Equal(numeric, gradient[j], 1e-5 * Math.Max(1, Math.Abs(numeric)));
            }
        }
    }

    [DatasetFact("cdnow")]
    public void Fit_CdnowSample_ReproducesThePublishedEstimates()
    {
        var customers = CdnowSummaryFile.Read();

        var fit = BgNbdModel.Fit(customers);

        output.WriteLine($"{fit}");
        Assert.Equal(2_357, fit.Customers);
        Assert.Equal(946, fit.RepeatBuyers);
        Assert.True(fit.Converged);
        AssertWithin(Published.R, fit.Parameters.R, 0.01);
        AssertWithin(Published.Alpha, fit.Parameters.Alpha, 0.01);
        AssertWithin(Published.A, fit.Parameters.A, 0.01);
        AssertWithin(Published.B, fit.Parameters.B, 0.01);
        Assert.Equal(-9582.4, fit.LogLikelihood, 0.1);
        Assert.NotNull(fit.StandardErrors);
        Assert.All([fit.StandardErrors.R, fit.StandardErrors.Alpha, fit.StandardErrors.A, fit.StandardErrors.B], se => Assert.InRange(se, 1e-4, 2));
    }

    [Fact]
    public void Fit_SimulatedCustomers_RecoversTheParametersWithinFourStandardErrors()
    {
        // 10,000 customers observed 30-78 weeks. Each estimate must lie within 4 of its own standard errors of the
        // truth (a false failure has probability below 1e-4 per parameter when the errors are right), and the errors
        // must be small (< 15% of the value) so that the check has teeth.
        var truth = new BgNbdParameters(0.4, 5, 0.8, 2.5);
        var customers = Simulation.BgNbd(10_000, truth.R, truth.Alpha, truth.A, truth.B, seed: 2024);

        var fit = BgNbdModel.Fit(customers);

        output.WriteLine($"{fit}");
        Assert.True(fit.Converged);
        var se = fit.StandardErrors!;
        AssertRecovered(truth.R, fit.Parameters.R, se.R);
        AssertRecovered(truth.Alpha, fit.Parameters.Alpha, se.Alpha);
        AssertRecovered(truth.A, fit.Parameters.A, se.A);
        AssertRecovered(truth.B, fit.Parameters.B, se.B);
    }

    [Fact]
    public void Fit_NoRepeatBuyers_ThrowsNamingTheReason()
    {
        var customers = Enumerable.Range(0, 50).Select(i => new RepeatPurchaseSummary(0, 0, 10 + i)).ToList();

        var e = Assert.Throws<ArgumentException>(() => BgNbdModel.Fit(customers));

        Assert.Equal("customers", e.ParamName);
        Assert.Contains("repeat purchase", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_AllZeroValues_Throws()
    {
        var customers = Enumerable.Repeat(new RepeatPurchaseSummary(0, 0, 0), 20).ToList();

        Assert.Throws<ArgumentException>(() => BgNbdModel.Fit(customers));
    }

    [Fact]
    public void Fit_SingleCustomer_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => BgNbdModel.Fit([new RepeatPurchaseSummary(3, 20, 30)]));

        Assert.Contains("at least 2 customers", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 0, 10)]
    [InlineData(2, 11, 10)]
    [InlineData(2, -1, 10)]
    [InlineData(2, 5, double.NaN)]
    [InlineData(2, double.PositiveInfinity, double.PositiveInfinity)]
    public void Fit_InvalidSummary_ThrowsNamingTheRow(int x, double tx, double age)
    {
        List<RepeatPurchaseSummary> customers = [new(1, 5, 10), new(x, tx, age)];

        var e = Assert.Throws<ArgumentException>(() => BgNbdModel.Fit(customers));

        Assert.StartsWith("customers[1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_TwoCustomers_GivesFiniteParametersAndPredictions()
    {
        List<RepeatPurchaseSummary> customers = [new(2, 20, 30), new(0, 0, 30)];

        var fit = BgNbdModel.Fit(customers);

        var p = fit.Parameters;
        Assert.All([p.R, p.Alpha, p.A, p.B, fit.LogLikelihood], v => Assert.True(double.IsFinite(v)));
        Assert.All(customers, c => Assert.True(double.IsFinite(p.ExpectedPurchases(c, 52)) && double.IsFinite(p.ProbabilityAlive(c))));
    }

    [Fact]
    public void ExpectedPurchases_NegativeHorizon_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Published.ExpectedPurchases(new RepeatPurchaseSummary(1, 1, 2), -1));
    }

    private static double Draw(Random random) => Math.Exp((random.NextDouble() * 4) - 2);

    private static void AssertWithin(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected} within {relative:P0}, got {actual}");

    private static void AssertRecovered(double truth, double estimate, double standardError)
    {
        Assert.True(standardError < 0.15 * truth, $"standard error {standardError} of {truth} is too large for a meaningful check");
        Assert.True(Math.Abs(estimate - truth) <= 4 * standardError, $"estimate {estimate} is more than 4 standard errors ({standardError}) from {truth}");
    }
}
