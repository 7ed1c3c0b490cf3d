using System.Text.Json;
using PromoPilot.Models.Elasticity;

namespace PromoPilot.Models.Tests.Elasticity;

/// <summary>Against statsmodels OLS on the synthetic panel of Fixtures/reference_elasticity.py.</summary>
public class LogLogElasticityTests
{
    private static readonly JsonElement Reference = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference_elasticity.json"))).RootElement;

    private static List<DemandObservation> Rows() => Reference.GetProperty("rows").EnumerateArray().Select(r => new DemandObservation(
        r.GetProperty("units").GetDouble(),
        r.GetProperty("price").GetDouble(),
        [r.GetProperty("deal").GetDouble(), r.GetProperty("feat").GetDouble()],
        [r.GetProperty("brand").GetInt32(), r.GetProperty("store").GetInt32(), r.GetProperty("week").GetInt32()],
        r.GetProperty("store").GetInt32())).ToList();

    [Theory]
    [InlineData(StandardErrorKind.Classical, "classical")]
    [InlineData(StandardErrorKind.HC1, "hc1")]
    [InlineData(StandardErrorKind.Cluster, "cluster")]
    public void Fit_SyntheticPanel_MatchesStatsmodelsCoefficientsAndStandardErrors(StandardErrorKind kind, string key)
    {
        var fit = LogLogElasticity.Fit(Rows(), new ElasticityOptions { StandardErrors = kind, ControlNames = ["deal", "feat"], GroupNames = ["brand", "store", "week"] });
        var coefficients = Reference.GetProperty(key).GetProperty("coefficients").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var errors = Reference.GetProperty(key).GetProperty("std_errors").EnumerateArray().Select(v => v.GetDouble()).ToArray();

        Assert.Equal(coefficients.Length, fit.Coefficients.Count);
        for (var j = 0; j < coefficients.Length; j++)
        {
            Assert.Equal(coefficients[j], fit.Coefficients[j].Estimate, 1e-9);
            Assert.Equal(errors[j], fit.Coefficients[j].StdError, 1e-9);
        }

        Assert.Equal(fit.Coefficients[0].Estimate, fit.Elasticity);
        Assert.Equal("log_price", fit.Coefficients[0].Name);
    }

    [Fact]
    public void Fit_SyntheticPanel_RecoversTheTrueElasticityWithinTwoStandardErrors()
    {
        var fit = LogLogElasticity.Fit(Rows(), new ElasticityOptions { StandardErrors = StandardErrorKind.Cluster });
        Assert.InRange(-2.4, fit.Elasticity - (2 * fit.StdError), fit.Elasticity + (2 * fit.StdError));
    }

    [Fact]
    public void Fit_ZeroPrice_ThrowsNamingTheRow()
    {
        var rows = Rows();
        rows[3] = rows[3] with { Price = 0 };
        var ex = Assert.Throws<ArgumentException>(() => LogLogElasticity.Fit(rows));
        Assert.Contains("Row 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_ConstantPrice_ThrowsRankDeficient()
    {
        var rows = Rows().Select(r => r with { Price = 2.0 }).ToList();
        var ex = Assert.Throws<ArgumentException>(() => LogLogElasticity.Fit(rows));
        Assert.Contains("rank deficient", ex.Message, StringComparison.Ordinal);
    }
}
