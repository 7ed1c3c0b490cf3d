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

    [DatasetFact("dominicks_oj")]
    public void PricingElasticity_Dml_IsMoreElasticAtLowerIncome()
    {
        var (code, stdout, _) = Run("pricing", "elasticity", "--dataset", "dominicks-oj", "--input", SharedData.Path("dominicks_oj"), "--method", "dml", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var estimates = doc.RootElement.GetProperty("estimates").EnumerateArray().ToList();
        Assert.Equal("pooled", estimates[0].GetProperty("scope").GetString());
        Assert.Equal(5, estimates.Count);
        var lowest = estimates[1].GetProperty("elasticity").GetDouble();
        var highest = estimates[4].GetProperty("elasticity").GetDouble();
        Assert.True(lowest < highest, $"q1 {lowest} vs q4 {highest}"); // EconML's OJ example: more elastic at lower income
        Assert.True(doc.RootElement.GetProperty("income_gradient").GetDouble() > 0);
        Assert.InRange(estimates[0].GetProperty("elasticity").GetDouble(), -4, -1);
    }

    [Fact]
    public void PricingElasticity_UnknownMethod_IsAnError()
    {
        var (code, stdout, _) = Run("pricing", "elasticity", "--input", "/nonexistent", "--method", "iv", "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Contains("iv", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [DatasetFact("dominicks_oj")]
    public void PricingOptimize_DominicksOj_RespectsTheConstraintsAndNeverLosesProfit()
    {
        var (code, stdout, _) = Run("pricing", "optimize", "--dataset", "dominicks-oj", "--input", SharedData.Path("dominicks_oj"), "--max-change", "0.1", "--margin-floor", "0.2", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(11, items.Count);
        foreach (var item in items)
        {
            var price = item.GetProperty("price").GetDouble();
            var current = item.GetProperty("current_price").GetDouble();
            var cents = Math.Round((price - Math.Floor(price)) * 100);
            Assert.True(cents is 49 or 99 || Math.Abs(price - current) < 1e-6, $"{price} is neither on the ladder nor the current price {current}");
            Assert.InRange(price, (current * 0.9) - 1e-6, (current * 1.1) + 1e-6);
            Assert.True(item.GetProperty("margin").GetDouble() >= 0.2 - 1e-6);
            Assert.True(item.GetProperty("profit").GetDouble() >= item.GetProperty("current_profit").GetDouble() - 1e-6);
            Assert.InRange(item.GetProperty("profit").GetDouble(), item.GetProperty("profit_low").GetDouble(), item.GetProperty("profit_high").GetDouble());
            Assert.InRange(item.GetProperty("elasticity").GetDouble(), -4, -1);
            Assert.Equal("ok", item.GetProperty("status").GetString());
        }

        Assert.True(doc.RootElement.GetProperty("profit").GetDouble() > doc.RootElement.GetProperty("current_profit").GetDouble());
    }

    [Fact]
    public void PricingOptimize_UnknownObjective_IsAnError()
    {
        var (code, stdout, _) = Run("pricing", "optimize", "--input", "/nonexistent", "--objective", "volume", "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Contains("volume", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PricingSimulate_ThompsonAndAb_ReportRegretAtEachHorizonAndThompsonWins()
    {
        double Final(string policy, out JsonElement regret)
        {
            var (code, stdout, _) = Run("pricing", "simulate", "--policy", policy, "--runs", "20", "--horizon", "10000", "--ladder", "0.8,1,1.25,1.6,2", "--elasticity-se", "0.3", "--seed", "3", "--json");
            Assert.Equal(0, code);
            using var doc = JsonDocument.Parse(stdout);
            Assert.Equal(policy, doc.RootElement.GetProperty("policy").GetString());
            Assert.Equal(1.25, doc.RootElement.GetProperty("oracle_price").GetDouble(), 9);
            regret = doc.RootElement.GetProperty("regret").Clone();
            Assert.Equal([100, 200, 500, 1000, 2000, 5000, 10000], regret.EnumerateArray().Select(r => r.GetProperty("period").GetInt32()));
            return regret[regret.GetArrayLength() - 1].GetProperty("mean").GetDouble();
        }

        var thompson = Final("thompson", out var path);
        var ab = Final("ab", out _);
        Assert.True(thompson < ab, $"thompson {thompson} vs A/B {ab}");
        Assert.True(path[6].GetProperty("mean_per_period").GetDouble() < path[2].GetProperty("mean_per_period").GetDouble());
    }

    [DatasetFact("dominicks_oj")]
    public void PricingFlashSale_DominicksOj_UnitsFollowTheElasticityAndTheIntervalCoversThem()
    {
        var (code, stdout, _) = Run("pricing", "flash-sale", "--dataset", "dominicks-oj", "--input", SharedData.Path("dominicks_oj"), "--brand", "5", "--store", "2", "--discount", "0.2", "--weeks", "2", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        var ratio = r.GetProperty("offer_price").GetDouble() / r.GetProperty("regular_price").GetDouble();
        Assert.Equal(r.GetProperty("baseline_units").GetDouble() * Math.Pow(ratio, r.GetProperty("elasticity").GetDouble()), r.GetProperty("units").GetDouble(), 0.05); // elasticity printed to 6 decimals
        Assert.InRange(r.GetProperty("units").GetDouble(), r.GetProperty("units_low").GetDouble(), r.GetProperty("units_high").GetDouble());
        Assert.True(r.GetProperty("units").GetDouble() > r.GetProperty("baseline_units").GetDouble());
        Assert.True(r.GetProperty("stock_to_cover").GetDouble() >= r.GetProperty("units_high").GetDouble());
        Assert.Equal(r.GetProperty("units").GetDouble() * (r.GetProperty("regular_price").GetDouble() - r.GetProperty("offer_price").GetDouble()), r.GetProperty("discount_cost").GetDouble(), 1e-2);
    }

    [Fact]
    public void PricingFlashSale_BothDiscountAndPrice_IsAnError()
    {
        var (code, stdout, _) = Run("pricing", "flash-sale", "--input", "/nonexistent", "--brand", "5", "--discount", "0.2", "--price", "1.5", "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Contains("exactly one", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [DatasetFact("dominicks_oj")]
    public void PricingSimulate_CalibratedFromABrand_UsesItsElasticityAndPrice()
    {
        var (code, stdout, _) = Run("pricing", "simulate", "--input", SharedData.Path("dominicks_oj"), "--brand", "5", "--runs", "3", "--horizon", "300", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Contains("brand 5", r.GetProperty("calibration").GetString(), StringComparison.Ordinal);
        Assert.Equal(2.19, r.GetProperty("prices")[2].GetDouble(), 6); // the ladder's 1.0 multiple is the current price
        Assert.InRange(r.GetProperty("elasticity").GetDouble(), -3, -1.5);
        Assert.True(r.GetProperty("elasticity").GetDouble() != -2.365);
    }
}
