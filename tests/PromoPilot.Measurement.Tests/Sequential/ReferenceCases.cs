using System.Text.Json;
using PromoPilot.Measurement.Experiments.Sequential;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Tests.Sequential;

/// <summary>
/// The committed reference values of Fixtures/reference_bayes_sequential.json, written by
/// <c>/usr/bin/python3 tests/PromoPilot.Measurement.Tests/Fixtures/reference_bayes_sequential.py</c> (numpy, scipy 1.10.1).
/// </summary>
internal static class ReferenceCases
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference_bayes_sequential.json"))));

    public static JsonElement Case(string section, int index) => Document.Value.RootElement.GetProperty(section)[index];

    public static TheoryData<int> Indices(string section) =>
        new(Enumerable.Range(0, Document.Value.RootElement.GetProperty(section).GetArrayLength()));

    public static MetricSummary Summary(JsonElement element) =>
        element.TryGetProperty("successes", out var successes)
            ? MetricSummary.OfProportion(element.GetProperty("count").GetInt64(), successes.GetInt64())
            : new MetricSummary(element.GetProperty("count").GetInt64(), element.GetProperty("sum").GetDouble(), element.GetProperty("sum_of_squares").GetDouble());

    public static EffectScale Scale(JsonElement element) =>
        element.GetProperty("scale").GetString() == "relative" ? EffectScale.Relative : EffectScale.Absolute;

    public static double Number(JsonElement element, string name) => element.GetProperty(name).GetDouble();
}
