using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Forecasting;

namespace PromoPilot.Models.Tests.Forecasting;

public class BaselineTests
{
    [Fact]
    public void Croston_IntermittentSeries_MatchesForecastCroston()
    {
        var r = EtsReference.Instance.Croston;
        var f = new CrostonForecaster(r.Alpha).Forecast(r.Values, r.Mean.Length, []);
        for (var h = 0; h < r.Mean.Length; h++)
        {
            Assert.Equal(r.Mean[h], f.Mean[h], 1e-12);
        }
    }

    [Fact]
    public void Sba_IntermittentSeries_IsCrostonTimesOneMinusHalfAlpha()
    {
        var r = EtsReference.Instance.Croston;
        var f = new CrostonForecaster(0.2, sba: true).Forecast(r.Values, 3, []);
        var c = new CrostonForecaster(0.2).Forecast(r.Values, 3, []);
        Assert.Equal(c.Mean[0] * 0.9, f.Mean[0], 1e-12);
    }

    [Fact]
    public void Croston_AllZero_ForecastsZeroWithWarning()
    {
        var f = new CrostonForecaster().Forecast(new double[10], 4, []);
        Assert.All(f.Mean, v => Assert.Equal(0, v));
        Assert.NotNull(f.Warning);
    }

    [Fact]
    public void SeasonalNaive_RepeatsLastSeasonAndWidensEachSeason()
    {
        double[] y = [1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6];
        var f = BaselineForecaster.SeasonalNaive(4).Forecast(y, 8, [0.95]);
        Assert.Equal([3, 4, 5, 6, 3, 4, 5, 6], f.Mean);
        var i = f.At(0.95)!;
        // residuals y_t − y_{t−4} are all 1: σ = 1, so sd is 1 in the first season and √2 in the second
        Assert.Equal(1.959964 * 1, f.Mean[0] - i.Lower[0], 1e-5);
        Assert.Equal(1.959964 * Math.Sqrt(2), f.Mean[4] - i.Lower[4], 1e-5);
    }

    [Fact]
    public void Naive_ShortSeriesForSeason_FallsBackWithWarning()
    {
        var f = BaselineForecaster.SeasonalNaive(12).Forecast([1.0, 2, 3], 2, []);
        Assert.Equal([3.0, 3.0], f.Mean);
        Assert.Contains("naive used", f.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Accuracy_KnownErrors_GivesWapeMaseBiasCoverage()
    {
        double[] history = [10, 12, 11, 13];                    // naive scale q = (2 + 1 + 2) / 3 = 5/3
        double[] actual = [10, 20];
        var forecast = new ForecastResult("x", [12, 16], [new PredictionInterval(0.8, [11, 10], [13, 22])]);
        var a = ForecastAccuracy.Of(history, actual, forecast);
        Assert.Equal(6.0 / 30, a.Wape!.Value, 1e-12);          // |−2| + |4| over 30
        Assert.Equal(-2.0 / 30, a.Bias!.Value, 1e-12);          // (2 − 4) / 30
        Assert.Equal(3.0 / (5.0 / 3), a.Mase!.Value, 1e-12);    // mean |e| = 3
        Assert.Equal(0.5, a.Coverage80!.Value, 1e-12);          // 10 is outside [11, 13], 20 inside [10, 22]
        Assert.Null(a.Coverage95);
    }

    [Fact]
    public void Backtest_RandomWalks_NaiveIntervalsCoverNearTheirLevel()
    {
        var random = new Random(11);
        var series = Enumerable.Range(0, 300).Select(_ =>
        {
            var y = new double[60];
            y[0] = 100;
            for (var t = 1; t < y.Length; t++)
            {
                y[t] = y[t - 1] + MathNet.Numerics.Distributions.Normal.Sample(random, 0, 1);
            }

            return y;
        }).ToList();
        var result = Backtest.Run(BaselineForecaster.Naive(), series, new BacktestOptions { Horizon = 4, Origins = 3, Step = 4 });
        Assert.Equal(300, result.Accuracy.Series);
        Assert.Equal(300 * 3 * 4, result.Accuracy.Points);
        Assert.InRange(result.Accuracy.Coverage80!.Value, 0.76, 0.84);
        Assert.InRange(result.Accuracy.Coverage95!.Value, 0.93, 0.97);
        Assert.InRange(result.Accuracy.Mase!.Value, 1.2, 2.2); // h-step random-walk errors: mean of √h·E|z| / E|z| over h = 1..4 ≈ 1.68
    }
}
