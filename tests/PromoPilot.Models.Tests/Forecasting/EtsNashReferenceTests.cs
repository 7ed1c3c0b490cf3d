using System.Text.Json;
using PromoPilot.Models.Forecasting;

namespace PromoPilot.Models.Tests.Forecasting;

/// <summary>
/// The non-seasonal automatic ETS against forecast::ets on synthetic promotion-spiked weekly series (see
/// Fixtures/reference_ets_nash.R): with forecast::ets's own optimizer (Nash's Nelder-Mead from the same start) every
/// type's fit, the chosen type and the forecasts are R's; the multi-start search reaches higher likelihoods and picks
/// other types on some of them, which is why it is not the default (docs/BENCHMARKS.md, Dominick's OJ).
/// </summary>
public class EtsNashReferenceTests
{
    private static readonly string[] Types = ["ANN", "AAN", "AAdN", "MNN", "MAN", "MAdN"];

    private static readonly List<NashCase> Cases = JsonSerializer.Deserialize<List<NashCase>>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference_ets_nash.json")),
        new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    public static TheoryData<int> Indices() => new(Enumerable.Range(0, Cases.Count));

    [Theory]
    [MemberData(nameof(Indices))]
    public void Fit_Auto_ChoosesRsTypeWithRsLikelihoodAndForecasts(int index)
    {
        var r = Cases[index];
        var model = Ets.Fit(r.Values, new EtsOptions { Period = 1 });

        Assert.Equal(r.Type, model.Type.ToString());
        Assert.Equal(r.Loglik, model.LogLikelihood, 1e-3);
        Assert.Equal(r.Aicc, model.Aicc, 2e-3);
        Assert.Equal(r.Alpha, model.Parameters.Alpha, 1e-4);
        var mean = model.Forecast(12, []).Mean;
        for (var h = 0; h < 12; h++)
        {
            Assert.Equal(r.Mean[h], mean[h], Math.Abs(r.Mean[h]) * 1e-4);
        }
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void Fit_EachNonSeasonalType_ReachesRsLikelihood(int index)
    {
        var r = Cases[index];
        foreach (var t in Types)
        {
            var model = Ets.Fit(r.Values, new EtsOptions { Period = 1, Type = EtsType.Parse(t) });
            Assert.True(Math.Abs(r.Logliks[t] - model.LogLikelihood) < 1e-3, $"series {index} {t}: ours {model.LogLikelihood:F4} vs R {r.Logliks[t]:F4}");
        }
    }

    [Fact]
    public void Fit_TrendStartWithNegativeLevel_KeepsItAsR()
    {
        // series 0: the least-squares line through the first ten weeks has a negative intercept; forecast::ets starts
        // ETS(M,A,N) there (replacing it by the first value, as this code once did, lands elsewhere)
        var r = Cases[0];
        var start = Ets.InitialParameters(EtsType.Parse("MAN"), 1, r.Values, new EtsOptions());
        Assert.True(start.Level < 0, $"level {start.Level}");
        var man = Ets.Fit(r.Values, new EtsOptions { Period = 1, Type = EtsType.Parse("MAN") });
        Assert.Equal(r.Logliks["MAN"], man.LogLikelihood, 1e-3);
    }

    [Fact]
    public void Fit_MultiStart_FindsHigherLikelihoodsThanR()
    {
        // the alternative optimizer is the better maximizer: clearly above R's likelihood (by more than 0.5) more often
        // than clearly below it, and above it somewhere
        var (above, below) = (0, 0);
        foreach (var r in Cases)
        {
            foreach (var t in Types)
            {
                var model = Ets.Fit(r.Values, new EtsOptions { Period = 1, Type = EtsType.Parse(t), Optimizer = EtsOptimizer.MultiStart });
                above += model.LogLikelihood > r.Logliks[t] + 0.5 ? 1 : 0;
                below += model.LogLikelihood < r.Logliks[t] - 0.5 ? 1 : 0;
            }
        }

        Assert.True(above > 0 && above > below, $"above R on {above}, below on {below}");
    }

    private sealed record NashCase(double[] Values, string Type, double Alpha, double Loglik, double Aicc, double[] Mean, Dictionary<string, double> Logliks);
}
