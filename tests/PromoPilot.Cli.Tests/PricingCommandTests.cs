using System.Text.Json;
using PromoPilot.Ingestion.Tests.Support;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

public class PricingCommandTests
{
    [DatasetFact("dominicks_oj")]
    public void PricingElasticity_DominicksOj_PooledMatchesStatsmodels()
    {
        var (code, stdout, _) = Run("pricing", "elasticity", "--dataset", "dominicks-oj", "--input", SharedData.Path("dominicks_oj"), "--se", "cluster", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var pooled = doc.RootElement.GetProperty("estimates")[0];
        Assert.Equal("pooled", pooled.GetProperty("scope").GetString());
        // issue 10 and bench/forecast/elasticity_reference.py (statsmodels 0.13.5): -2.365284, store-clustered se 0.062020
        Assert.Equal(-2.365284, pooled.GetProperty("elasticity").GetDouble(), 1e-6);
        Assert.Equal(0.062020, pooled.GetProperty("std_error").GetDouble(), 1e-6);
        Assert.Equal(106139, pooled.GetProperty("n").GetInt32());
    }

    [Fact]
    public void PricingElasticity_Dml_SaysNotImplemented()
    {
        var (code, stdout, _) = Run("pricing", "elasticity", "--input", "/nonexistent", "--method", "dml", "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Contains("not implemented", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
