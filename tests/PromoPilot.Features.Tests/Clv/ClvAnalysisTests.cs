using PromoPilot.Core.Customers;
using PromoPilot.Features.Clv;
using Xunit.Abstractions;

namespace PromoPilot.Features.Tests.Clv;

public sealed class ClvAnalysisTests(ITestOutputHelper output)
{
    private static readonly BgNbdParameters Cdnow = new(0.243, 4.414, 0.793, 2.426);

    [Fact]
    public void LifetimeValue_NoDiscount_IsMarginTimesSpendTimesExpectedPurchases()
    {
        var customer = new RepeatPurchaseSummary(3, 25, 38);
        var options = new ClvOptions { DiscountRate = 0, Margin = 0.3, Horizon = 52, StepLength = 4 };

        var clv = ClvAnalysis.LifetimeValue(Cdnow, customer, 40, options);

        Assert.Equal(0.3 * 40 * Cdnow.ExpectedPurchases(customer, 52), clv, 1e-10);
    }

    [Fact]
    public void LifetimeValue_ConstantRateLimit_MatchesTheClosedFormDiscountSum()
    {
        // With r, α → ∞ at fixed r/α = λ and a tiny dropout (a → 0), purchases are Poisson at rate λ: each step of
        // length Δ brings λΔ purchases, and the discrete sum is λΔ·Σ_k v^(kΔ) with v = (1+d)^(−1/P).
        var model = new BgNbdParameters(1e7, 1e7 / 0.5, 1e-9, 1);
        var options = new ClvOptions { Horizon = 52, StepLength = 1, DiscountRate = 0.1, DiscountPeriod = 52 };
        var v = Math.Pow(1.1, -1.0 / 52);
        var expected = 0.5 * Enumerable.Range(1, 52).Sum(k => Math.Pow(v, k));

        var clv = ClvAnalysis.LifetimeValue(model, new RepeatPurchaseSummary(0, 0, 10), 1, options);

        Assert.Equal(expected, clv, 1e-4 * expected);
    }

    [Fact]
    public void LifetimeValue_RandomCustomers_DecreasesWithDiscountAndGrowsWithHorizon()
    {
        var random = new Random(17);
        for (var i = 0; i < 200; i++)
        {
            var age = 1 + (60 * random.NextDouble());
            var x = random.Next(0, 15);
            var customer = new RepeatPurchaseSummary(x, x == 0 ? 0 : age * random.NextDouble(), age);
            var spend = 100 * random.NextDouble();

            var year = ClvAnalysis.LifetimeValue(Cdnow, customer, spend, new ClvOptions());
            var steeper = ClvAnalysis.LifetimeValue(Cdnow, customer, spend, new ClvOptions { DiscountRate = 0.3 });
            var twoYears = ClvAnalysis.LifetimeValue(Cdnow, customer, spend, new ClvOptions { Horizon = 104 });
            var undiscounted = spend * Cdnow.ExpectedPurchases(customer, 52);
            var halfSteps = ClvAnalysis.LifetimeValue(Cdnow, customer, spend, new ClvOptions { StepLength = 0.5 });

            Assert.True(steeper <= year && year <= twoYears && year <= undiscounted + 1e-12, $"case {i}");
            // End-of-step discounting understates by less than (1+d)^(Δ/P): halving the step moves the value by less.
            Assert.InRange(halfSteps / Math.Max(year, 1e-300), 1, Math.Pow(1.1, 1.0 / 52) + 1e-12);
        }
    }

    [Theory]
    [InlineData(0, 1, 0.1, 52, 1)]
    [InlineData(52, 0, 0.1, 52, 1)]
    [InlineData(52, 1, -1, 52, 1)]
    [InlineData(52, 1, 0.1, 0, 1)]
    [InlineData(52, 1, 0.1, 52, -0.5)]
    [InlineData(double.NaN, 1, 0.1, 52, 1)]
    public void LifetimeValue_InvalidOptions_Throws(double horizon, double step, double discount, double period, double margin)
    {
        var options = new ClvOptions { Horizon = horizon, StepLength = step, DiscountRate = discount, DiscountPeriod = period, Margin = margin };

        Assert.Throws<ArgumentException>(() => ClvAnalysis.LifetimeValue(Cdnow, new RepeatPurchaseSummary(1, 1, 2), 10, options));
    }

    [Fact]
    public void Run_SimulatedWithHoldout_PredictsTheHoldoutTotalAndTheLargeGroups()
    {
        // Data drawn from the model itself, with moderate rate heterogeneity (r = 2, coefficient of variation 0.7) so
        // that the holdout total is not dominated by a few heavy buyers: 10,000 customers make about 12,000 holdout
        // purchases with a standard deviation near 1.5%, so 5% on the total is more than 3 standard deviations;
        // groups of at least 1,000 customers must be within 10%.
        var customers = Simulation.BgNbd(10_000, 2, 20, 0.8, 2.5, seed: 31, holdout: 39);

        var result = ClvAnalysis.Run(customers);

        var holdout = result.Holdout!;
        foreach (var g in holdout.Groups)
        {
            output.WriteLine($"  x={g.Frequency}: n={g.Customers} expected {g.Expected:F1} actual {g.Actual}");
        }

        Assert.Equal(10_000, holdout.Customers);
        Assert.Equal(customers.Sum(c => c.HoldoutFrequency!.Value), holdout.Actual);
        Assert.InRange(holdout.RelativeError!.Value, -0.05, 0.05);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7+"], holdout.Groups.Select(g => g.Frequency));
        Assert.Equal(holdout.Actual, holdout.Groups.Sum(g => g.Actual));
        Assert.Equal(holdout.Expected, holdout.Groups.Sum(g => g.Expected), 1e-6);
        Assert.Equal(10_000, holdout.Groups.Sum(g => g.Customers));
        Assert.All(holdout.Groups.Where(g => g.Customers >= 1_000), g => Assert.InRange(g.Expected / g.Actual, 0.9, 1.1));
    }

    [Fact]
    public void Run_SummaryWithoutSpend_FitsNoSpendModelAndStillPredictsPurchases()
    {
        var customers = Simulation.BgNbd(500, 0.4, 5, 0.8, 2.5, seed: 1);

        var result = ClvAnalysis.Run(customers);

        Assert.Null(result.GammaGamma);
        Assert.Null(result.Holdout);
        Assert.Equal(500, result.Customers.Count);
        Assert.All(result.Customers, c =>
        {
            Assert.Null(c.ExpectedSpend);
            Assert.Null(c.Clv);
            Assert.InRange(c.ProbabilityAlive, 0, 1);
            Assert.True(double.IsFinite(c.ExpectedPurchases) && c.ExpectedPurchases >= 0);
        });
    }

    [Fact]
    public void Run_ZeroAndNegativeSpendRows_AreLeftOutOfTheSpendFitAndGetFiniteValues()
    {
        var random = new Random(4);
        var customers = Simulation.BgNbd(2_000, 0.4, 5, 0.8, 2.5, seed: 2)
            .Select((c, i) => c.Frequency == 0 ? c : c with { MeanSpend = i % 10 == 0 ? 0 : i % 10 == 1 ? -3 : 10 + (40 * random.NextDouble()) })
            .ToList();
        var excluded = customers.Count(c => c.Frequency > 0 && c.MeanSpend <= 0);

        var result = ClvAnalysis.Run(customers);

        Assert.True(excluded > 0);
        Assert.Equal(excluded, result.SpendExcluded);
        Assert.Equal(customers.Count(c => c.Frequency > 0) - excluded, result.GammaGamma!.Customers);
        Assert.All(result.Customers, c => Assert.True(double.IsFinite(c.ExpectedSpend!.Value) && c.ExpectedSpend >= 0 && double.IsFinite(c.Clv!.Value)));
    }

    [Fact]
    public void Run_HoldoutOnSomeCustomersOnly_Throws()
    {
        var customers = Simulation.BgNbd(100, 0.4, 5, 0.8, 2.5, seed: 2, holdout: 10);
        customers[5] = customers[5] with { HoldoutFrequency = null };

        var e = Assert.Throws<ArgumentException>(() => ClvAnalysis.Run(customers));

        Assert.Contains("99 of 100", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HoldoutCheck_NegativeHoldout_Throws()
    {
        List<RepeatPurchaseSummary> customers = [new(1, 1, 2, HoldoutFrequency: -1, HoldoutDuration: 5)];

        Assert.Throws<ArgumentException>(() => HoldoutCheck.Compute(Cdnow, customers));
    }
}
