using PromoPilot.Models.Forecasting;

namespace PromoPilot.Models.Tests.Forecasting;

public class EtsTests
{
    [Theory]
    [InlineData("ANN")]
    [InlineData("AAdN")]
    [InlineData("AAA")]
    public void Forecast_SimulatedLinearModel_MatchesAnalyticIntervals(string code)
    {
        var s = EtsReference.Instance.Series["UKgas"];
        var model = Ets.Fit(s.Values, new EtsOptions { Period = s.Period, Type = EtsType.Parse(code) });
        var analytic = model.Forecast(8, [0.8, 0.95]);
        var simulated = model.Forecast(8, [0.8, 0.95], simulationPaths: 20000, seed: 7, simulate: true);
        foreach (var level in new[] { 0.8, 0.95 })
        {
            var a = analytic.At(level)!;
            var b = simulated.At(level)!;
            for (var h = 0; h < 8; h++)
            {
                var width = a.Upper[h] - a.Lower[h];
                Assert.Equal(a.Lower[h], b.Lower[h], 0.03 * width);
                Assert.Equal(a.Upper[h], b.Upper[h], 0.03 * width);
            }
        }
    }

    [Fact]
    public void Fit_LinearTrendWithoutNoise_RecoversTheLineAndForecastsIt()
    {
        var y = Enumerable.Range(0, 40).Select(t => 10 + (2.5 * t) + (0.01 * Math.Sin(t))).ToArray();
        var model = Ets.Fit(y, new EtsOptions { Type = EtsType.Parse("AAN") });
        var f = model.Forecast(5, []);
        for (var h = 0; h < 5; h++)
        {
            Assert.Equal(10 + (2.5 * (40 + h)), f.Mean[h], 0.1);
        }
    }

    [Fact]
    public void Fit_SeasonalTypeOnShortSeries_Throws()
    {
        var y = Enumerable.Range(0, 7).Select(t => 5.0 + (t % 4)).ToArray();
        var ex = Assert.Throws<ArgumentException>(() => Ets.Fit(y, new EtsOptions { Period = 4, Type = EtsType.Parse("AAA") }));
        Assert.Contains("two full cycles", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_AutoOnSeriesWithZeros_ChoosesAnAdditiveModel()
    {
        var random = new Random(3);
        var y = Enumerable.Range(0, 60).Select(_ => (double)random.Next(0, 5)).ToArray();
        var model = Ets.Fit(y);
        Assert.Equal(EtsError.Additive, model.Type.Error);
        Assert.All(model.Forecast(4, [0.9]).Mean, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Fit_ConstantSeries_ForecastsTheConstantWithoutNaN()
    {
        var y = Enumerable.Repeat(7.0, 30).ToArray();
        var f = Ets.Fit(y).Forecast(3, [0.8]);
        Assert.All(f.Mean, v => Assert.Equal(7.0, v, 1e-6));
        Assert.All(f.At(0.8)!.Lower, v => Assert.False(double.IsNaN(v)));
    }

    [Theory]
    [InlineData("ANN", "ANN")]
    [InlineData("aadm", "AAdM")]
    [InlineData("MAM", "MAM")]
    public void Parse_Codes_RoundTrip(string text, string expected) => Assert.Equal(expected, EtsType.Parse(text).ToString());

    [Theory]
    [InlineData("AMN")]
    [InlineData("XNN")]
    [InlineData("ANNN")]
    public void Parse_BadCode_Throws(string text) => Assert.Throws<ArgumentException>(() => EtsType.Parse(text));
}
