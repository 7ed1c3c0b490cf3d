using PromoPilot.Models.Forecasting;

namespace PromoPilot.Models.Tests.Forecasting;

public class BacktestParallelTests
{
    [Fact]
    public void Run_EtsOnFourThreads_SameSumsAndWarningsAsOneThread()
    {
        var rng = new Random(17);
        var series = Enumerable.Range(0, 24).Select(j => Enumerable.Range(0, j == 5 ? 19 : 40 + rng.Next(20))
            .Select(t => 50 + (10 * Math.Sin(t / 3.0)) + (j % 3 * t * 0.5) + (8 * rng.NextDouble())).ToArray()).ToList();
        var one = new BacktestOptions { Horizon = 12, Origins = 2, Step = 3, Parallelism = 1 };

        var sequential = Backtest.Run(new EtsForecaster(new EtsOptions { Period = 1 }), series, one);
        var parallel = Backtest.Run(new EtsForecaster(new EtsOptions { Period = 1 }), series, one with { Parallelism = 4 });

        Assert.Equal(sequential.Accuracy, parallel.Accuracy);
        Assert.Equal(sequential.Warnings, parallel.Warnings);
        Assert.NotEmpty(sequential.Warnings); // series 5 has 19 values: 4 before its first origin, too few for ETS
        Assert.Equal(24, parallel.Accuracy.Series);
    }

    [Fact]
    public void Run_SeriesTooShortForTheOrigins_ThrowsArgumentExceptionNotAggregate()
    {
        List<double[]> series = [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3]];

        var e = Assert.Throws<ArgumentException>(() => Backtest.Run(BaselineForecaster.Naive(), series, new BacktestOptions { Horizon = 3, Parallelism = 2 }));

        Assert.Equal("series", e.ParamName);
    }
}
