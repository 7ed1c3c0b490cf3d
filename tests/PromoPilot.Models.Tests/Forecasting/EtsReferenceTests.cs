using PromoPilot.Models.Forecasting;

namespace PromoPilot.Models.Tests.Forecasting;

/// <summary>ETS against forecast::ets (R) on AirPassengers, UKgas, wineind, woolyrnq and Nile: see Fixtures/reference_ets.R.</summary>
public class EtsReferenceTests
{
    private static readonly double[] Levels = [0.80, 0.95];

    public static TheoryData<int> FixedCases() => new(Enumerable.Range(0, EtsReference.Instance.Fixed.Count));

    [Theory]
    [MemberData(nameof(FixedCases))]
    public void Evaluate_AtRParameters_ReproducesLikelihoodCriteriaAndPointForecasts(int index)
    {
        var r = EtsReference.Instance.Fixed[index];
        var model = AtR(r);

        Assert.Equal(r.Loglik, model.LogLikelihood, 1e-6);
        Assert.Equal(r.Aicc, model.Aicc, 1e-6);
        Assert.Equal(r.Bic, model.Bic, 1e-6);
        Assert.Equal(r.Sigma2, model.Sigma2, r.Sigma2 * 1e-9);
        var forecast = model.Forecast(r.Horizon, Levels);
        var type = EtsType.Parse(r.Type);
        for (var h = 0; h < r.Horizon; h++)
        {
            // beyond one season, forecast.ets reports the conditional mean of the multiplicative-error, multiplicative-season
            // class (Hyndman et al. 2008, §6.4), which exceeds the recursion's point forecast by a variance term
            var exact = !(type.Error == EtsError.Multiplicative && type.Season == EtsSeason.Multiplicative) || (h < r.Period && !type.IsDamped);
            Assert.Equal(r.Mean[h], forecast.Mean[h], Math.Abs(r.Mean[h]) * (exact ? 1e-9 : 5e-3));
        }
    }

    [Theory]
    [MemberData(nameof(FixedCases))]
    public void Forecast_AtRParameters_IntervalsMatchR(int index)
    {
        var r = EtsReference.Instance.Fixed[index];
        var type = EtsType.Parse(r.Type);
        var forecast = AtR(r).Forecast(r.Horizon, Levels);
        var i80 = forecast.At(0.80)!;
        var i95 = forecast.At(0.95)!;

        // class 1 and non-seasonal class 2: analytic variances on both sides, agree to 1e-4 of the width. The others:
        // our 5000 seeded paths against R's 20,000 (forecast(simulate = TRUE)), within 5% of the width. (R's default
        // intervals for seasonal class 2 can sit far from its own simulation, e.g. UKgas ETS(M,N,A) at h = 4.)
        var (l80, u80, l95, u95, rel) = type.HasAnalyticVariance
            ? (r.Lower80, r.Upper80, r.Lower95, r.Upper95, 1e-4)
            : (r.SimLower80, r.SimUpper80, r.SimLower95, r.SimUpper95, 0.05);
        for (var h = 0; h < r.Horizon; h++)
        {
            var tol80 = rel * (u80[h] - l80[h]);
            var tol95 = rel * (u95[h] - l95[h]);
            Assert.Equal(l80[h], i80.Lower[h], tol80);
            Assert.Equal(u80[h], i80.Upper[h], tol80);
            Assert.Equal(l95[h], i95.Lower[h], tol95);
            Assert.Equal(u95[h], i95.Upper[h], tol95);
        }
    }

    [Theory]
    [MemberData(nameof(FixedCases))]
    public void Fit_FixedType_LikelihoodAtLeastRsAndForecastsCloseWhereOptimaAgree(int index)
    {
        var r = EtsReference.Instance.Fixed[index];
        var s = EtsReference.Instance.Series[r.Series];
        var model = Ets.Fit(s.Values, new EtsOptions { Period = s.Period, Type = EtsType.Parse(r.Type) });

        Assert.True(model.LogLikelihood >= r.Loglik - 0.05, $"{r}: ours {model.LogLikelihood:F4} vs R {r.Loglik:F4}");
        Assert.True(Ets.Admissible(model.Type, model.Parameters, s.Period));
        if (model.LogLikelihood - r.Loglik > 0.5)
        {
            return; // a better optimum than R's Nelder-Mead found (the likelihood has several basins): forecasts may differ
        }

        var forecast = model.Forecast(r.Horizon, []);
        var scale = r.Mean.Average(Math.Abs);
        for (var h = 0; h < r.Horizon; h++)
        {
            Assert.True(Math.Abs(forecast.Mean[h] - r.Mean[h]) <= 0.05 * scale, $"{r} h={h + 1}: ours {forecast.Mean[h]:F3} vs R {r.Mean[h]:F3} (loglik {model.LogLikelihood:F3} vs {r.Loglik:F3})");
        }
    }

    [Theory]
    [InlineData("UKgas")]
    [InlineData("wineind")]
    [InlineData("woolyrnq")]
    [InlineData("AirPassengers")]
    public void Fit_Auto_ChoosesRsTypeWhereClearOrABetterAicc(string name)
    {
        var r = EtsReference.Instance.Auto[name];
        var s = EtsReference.Instance.Series[name];
        var model = Ets.Fit(s.Values, new EtsOptions { Period = s.Period });
        var runnerUp = r.Candidates.Where(c => c.Key != r.Chosen).Min(c => c.Value);

        // R's choice is clear on these four (runner-up AICc more than 2 above); on AirPassengers our MAM optimum
        // (AICc 1390.9) beats R's own MAdM (1400.6), so the honest check there is the criterion, not the label
        Assert.True(runnerUp - r.Aicc > 2);
        Assert.True(model.Aicc <= r.Aicc + 0.1, $"{name}: ours {model.Type} {model.Aicc:F3} vs R {r.Chosen} {r.Aicc:F3}");
        if (name != "AirPassengers")
        {
            Assert.Equal(r.Chosen, model.Type.ToString());
        }
    }

    private static EtsModel AtR(ReferenceFit r)
    {
        var s = EtsReference.Instance.Series[r.Series];
        var p = new EtsParameters(r.Alpha, r.Beta, r.Gamma, r.Phi, r.Level, r.Slope, r.Seasonal);
        return Ets.Evaluate(EtsType.Parse(r.Type), r.Period, p, s.Values);
    }
}
