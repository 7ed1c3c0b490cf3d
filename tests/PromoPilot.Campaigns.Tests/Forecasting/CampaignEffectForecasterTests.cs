using PromoPilot.Campaigns.Forecasting;
using PromoPilot.Core.Campaigns;

namespace PromoPilot.Campaigns.Tests.Forecasting;

public class CampaignEffectForecasterTests
{
    [Fact]
    public void Forecast_KnownUsers_PointValuesByHand()
    {
        // 100 users, p0 0.1 -> p1 0.2, orders of 50, 20% off capped at 8, margin 40%, no holdout:
        // incremental conversions 100 × 0.1 = 10, revenue 500, redemptions 20, cost 20 × 8 = 160 (+ fixed 40),
        // margin 0.4 × 500 − 200 = 0, ROI 0.
        var inputs = Uniform(100, 0.1, 0.2, 50) with
        {
            MarginRate = 0.4,
            HoldoutFraction = 0,
            Cost = new OfferCost { PercentOfOrder = 0.2, CapPerRedemption = 8, Fixed = 40 },
        };

        var forecast = CampaignEffectForecaster.Forecast(inputs);

        Assert.Equal(100, forecast.Reach.Value, 9);
        Assert.Equal(10, forecast.IncrementalConversions.Value, 9);
        Assert.Equal(500, forecast.IncrementalRevenue.Value, 9);
        Assert.Equal(20, forecast.Redemptions.Value, 9);
        Assert.Equal(200, forecast.Cost.Value, 9);
        Assert.Equal(0, forecast.IncrementalMargin.Value, 9);
        Assert.Equal(0, forecast.Roi!.Value, 9);
        Assert.False(forecast.BudgetBinding);
    }

    [Fact]
    public void Forecast_HoldoutAndReach_ScaleTheTreatedUsers()
    {
        // 20% holdout, offer seen by half the treated: 1000 × 0.8 = 800 treated, 400 reached;
        // incremental conversions 800 × 0.5 × (0.3 − 0.1) = 80; redemptions 400 × 0.3 = 120; cost 120 × 5 + 400 × 0.1.
        var inputs = Uniform(1000, 0.1, 0.3, 20) with
        {
            HoldoutFraction = 0.2,
            ReachRate = 0.5,
            Cost = new OfferCost { PerRedemption = 5, PerContact = 0.1 },
        };

        var forecast = CampaignEffectForecaster.Forecast(inputs);

        Assert.Equal(800, forecast.TreatedUsers, 9);
        Assert.Equal(400, forecast.Reach.Value, 9);
        Assert.Equal(80, forecast.IncrementalConversions.Value, 9);
        Assert.Equal(1600, forecast.IncrementalRevenue.Value, 9);
        Assert.Equal(120, forecast.Redemptions.Value, 9);
        Assert.Equal(640, forecast.Cost.Value, 9);
        Assert.Equal((1600 - 640) / 640.0, forecast.Roi!.Value, 9);
    }

    [Fact]
    public void Forecast_BudgetSmallerThanTheAudience_StopsAtTheLastUserThatFits()
    {
        // Each treated user costs 0.9 × 0.5 × 10 = 4.5 in expectation: a budget of 100 fits 22 users.
        var inputs = Uniform(50, 0.2, 0.5, 40) with { Cost = new OfferCost { PerRedemption = 10 }, Budget = 100 };

        var forecast = CampaignEffectForecaster.Forecast(inputs);

        Assert.True(forecast.BudgetBinding);
        Assert.Equal(22, forecast.Targeted);
        Assert.True(forecast.Cost.Value <= 100);
        Assert.Equal(22 * 0.9 * 0.3, forecast.IncrementalConversions.Value, 9);
    }

    [Fact]
    public void Forecast_FreeOffer_HasNoRoi()
    {
        var forecast = CampaignEffectForecaster.Forecast(Uniform(200, 0.1, 0.15, 30));

        Assert.Null(forecast.Roi);
        Assert.Equal(0, forecast.Cost.Value);
    }

    // Known truth: users' true probabilities given, the readout simulated (random holdout, Bernoulli outcomes, order
    // values with spread): the 90% interval must cover the measured incremental effect about 90% of the time.
    [Theory]
    [InlineData(0.5, 11)]
    [InlineData(0.1, 12)]
    public void Forecast_TrueProbabilities_IntervalsCoverTheSimulatedReadoutAtTheNominalRate(double holdout, int seed)
    {
        var random = new Random(seed);
        const int users = 2000;
        var p0 = Enumerable.Range(0, users).Select(_ => 0.02 + (0.2 * random.NextDouble())).ToArray();
        var p1 = p0.Select(p => Math.Min(1, p * (1.2 + (0.6 * random.NextDouble())))).ToArray();
        var value = Enumerable.Range(0, users).Select(_ => 20 + (80 * random.NextDouble())).ToArray();
        var sd = value.Select(v => 0.5 * v).ToArray();
        var forecast = CampaignEffectForecaster.Forecast(
            new EffectInputs(p0, p1) { OrderValue = value, OrderValueSd = sd, HoldoutFraction = holdout, Cost = new OfferCost { PerRedemption = 3 } },
            new EffectForecastOptions { Seed = seed });

        int coveredConversions = 0, coveredRevenue = 0, coveredCost = 0;
        const int trials = 600;
        for (var trial = 0; trial < trials; trial++)
        {
            var (conversions, revenue, cost) = SimulateReadout(random, p0, p1, value, sd, holdout, 3);
            coveredConversions += forecast.IncrementalConversions.Covers(conversions) ? 1 : 0;
            coveredRevenue += forecast.IncrementalRevenue.Covers(revenue) ? 1 : 0;
            coveredCost += forecast.Cost.Covers(cost) ? 1 : 0;
        }

        // Binomial(600, 0.9) has sd 1.2%: 0.86-0.94 is more than three of them.
        Assert.InRange(coveredConversions / (double)trials, 0.86, 0.94);
        Assert.InRange(coveredRevenue / (double)trials, 0.86, 0.94);
        Assert.InRange(coveredCost / (double)trials, 0.86, 0.94);
    }

    // A model estimated from a small training sample is off by its estimation error: with bootstrap replicates of
    // that estimate the intervals still cover about 90%; without them they cover clearly less.
    [Fact]
    public void Forecast_EstimatedModelWithBootstrapReplicates_CoversAboutNinetyPercentAndLessWithout()
    {
        var random = new Random(5);
        const double trueP0 = 0.10, trueP1 = 0.13;
        const int audience = 4000, trainPerArm = 1500, trials = 300;
        int withReplicates = 0, without = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            // "Model": each arm's conversion rate estimated from a training sample; replicates from bootstrap resamples.
            var y0 = Enumerable.Range(0, trainPerArm).Select(_ => random.NextDouble() < trueP0 ? 1.0 : 0).ToArray();
            var y1 = Enumerable.Range(0, trainPerArm).Select(_ => random.NextDouble() < trueP1 ? 1.0 : 0).ToArray();
            var replicates = Enumerable.Range(0, 60).Select(_ =>
                new EffectReplicate(Fill(audience, Resampled(random, y0)), Fill(audience, Resampled(random, y1)))).ToArray();
            var inputs = new EffectInputs(Fill(audience, y0.Average()), Fill(audience, y1.Average())) { HoldoutFraction = 0.5 };
            var options = new EffectForecastOptions { Draws = 1000, Seed = trial };
            var full = CampaignEffectForecaster.Forecast(inputs with { Replicates = replicates }, options);
            var noiseOnly = CampaignEffectForecaster.Forecast(inputs, options);

            var (measured, _, _) = SimulateReadout(random, Fill(audience, trueP0), Fill(audience, trueP1), new double[audience], new double[audience], 0.5, 0);
            withReplicates += full.IncrementalConversions.Covers(measured) ? 1 : 0;
            without += noiseOnly.IncrementalConversions.Covers(measured) ? 1 : 0;
        }

        Assert.InRange(withReplicates / (double)trials, 0.85, 0.95);
        Assert.True(without / (double)trials < 0.8, $"without model error the coverage was {without / (double)trials:P1}");
    }

    [Fact]
    public void ToCampaignForecasts_MapsTheTwoSharedMetrics()
    {
        var forecast = CampaignEffectForecaster.Forecast(Uniform(500, 0.1, 0.2, 10));
        var at = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

        var records = forecast.ToCampaignForecasts("t-learner", at);

        Assert.Equal(CampaignMetrics.All, records.Select(r => r.Metric));
        Assert.Equal(forecast.IncrementalConversions.Value, records[0].Value);
        Assert.Equal(forecast.IncrementalRevenue.High, records[1].High);
        Assert.All(records, r => Assert.Equal(0.9, r.Level));
        Assert.All(records, r => Assert.Equal(at, r.CreatedAt));
        Assert.True(records[0].Low < records[0].Value && records[0].Value < records[0].High);
    }

    [Fact]
    public void Forecast_BadInput_NamesTheProblem()
    {
        var shortTreated = new EffectInputs([0.1, 0.2], [0.3]);
        Assert.Contains("TreatedProbability has 1 users", Assert.Throws<ArgumentException>(() => CampaignEffectForecaster.Forecast(shortTreated)).Message, StringComparison.Ordinal);
        var notProbability = new EffectInputs([0.1, 1.5], [0.3, 0.3]);
        Assert.Contains("BaselineProbability[1] is 1.5", Assert.Throws<ArgumentException>(() => CampaignEffectForecaster.Forecast(notProbability)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => CampaignEffectForecaster.Forecast(Uniform(3, 0.1, 0.2, 5) with { HoldoutFraction = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CampaignEffectForecaster.Forecast(Uniform(3, 0.1, 0.2, 5) with { Cost = new OfferCost { PercentOfOrder = 2 } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CampaignEffectForecaster.Forecast(Uniform(3, 0.1, 0.2, 5), new EffectForecastOptions { Level = 1 }));
    }

    [Fact]
    public void Forecast_EmptyAudience_IsAllZeros()
    {
        var forecast = CampaignEffectForecaster.Forecast(new EffectInputs([], []) { Cost = new OfferCost { PerRedemption = 1 } });

        Assert.Equal(new EffectInterval(0, 0, 0), forecast.IncrementalConversions);
        Assert.Equal(new EffectInterval(0, 0, 0), forecast.Cost);
        Assert.Null(forecast.Roi);
    }

    private static EffectInputs Uniform(int users, double p0, double p1, double orderValue) =>
        new(Fill(users, p0), Fill(users, p1)) { OrderValue = Fill(users, orderValue) };

    private static double[] Fill(int users, double value) => Enumerable.Repeat(value, users).ToArray();

    private static double Resampled(Random random, double[] y)
    {
        var sum = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            sum += y[random.Next(y.Length)];
        }

        return sum / y.Length;
    }

    /// <summary>One readout: each user in the holdout with the given share, converts with p0 or p1, orders a
    /// normal value (mean and spread given, not clipped); returns (Δ conversions, Δ revenue) × treated users and the cost.</summary>
    private static (double Conversions, double Revenue, double Cost) SimulateReadout(
        Random random, double[] p0, double[] p1, double[] value, double[] sd, double holdout, double perRedemption)
    {
        double treatedConversions = 0, treatedRevenue = 0, controlConversions = 0, controlRevenue = 0;
        int treated = 0, control = 0;
        for (var i = 0; i < p0.Length; i++)
        {
            var inTreated = random.NextDouble() >= holdout;
            var converts = random.NextDouble() < (inTreated ? p1[i] : p0[i]);
            var order = converts ? value[i] + (sd[i] * Gaussian(random)) : 0;
            if (inTreated)
            {
                treated++;
                treatedConversions += converts ? 1 : 0;
                treatedRevenue += order;
            }
            else
            {
                control++;
                controlConversions += converts ? 1 : 0;
                controlRevenue += order;
            }
        }

        return (
            treated * ((treatedConversions / treated) - (controlConversions / control)),
            treated * ((treatedRevenue / treated) - (controlRevenue / control)),
            treatedConversions * perRedemption);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
