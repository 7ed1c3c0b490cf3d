using System.Text.Json.Nodes;
using PromoPilot.Campaigns.Forecasting;

namespace PromoPilot.Cli.Modeling;

/// <summary>The JSON shape of an <see cref="EffectForecast"/> (snake_case; each figure {value, low, high}).</summary>
internal static class EffectForecastJson
{
    public static JsonObject Write(EffectForecast forecast) => new()
    {
        ["audience"] = forecast.Audience,
        ["targeted"] = forecast.Targeted,
        ["treated_users"] = forecast.TreatedUsers,
        ["budget_binding"] = forecast.BudgetBinding,
        ["level"] = forecast.Level,
        ["reach"] = Figure(forecast.Reach),
        ["redemptions"] = Figure(forecast.Redemptions),
        ["incremental_conversions"] = Figure(forecast.IncrementalConversions),
        ["incremental_revenue"] = Figure(forecast.IncrementalRevenue),
        ["incremental_margin"] = Figure(forecast.IncrementalMargin),
        ["cost"] = Figure(forecast.Cost),
        ["roi"] = forecast.Roi is { } roi ? Figure(roi) : null,
        ["replicates"] = forecast.Replicates,
        ["method"] = forecast.Method,
    };

    private static JsonObject Figure(EffectInterval figure) => new() { ["value"] = figure.Value, ["low"] = figure.Low, ["high"] = figure.High };
}
