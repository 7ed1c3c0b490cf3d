using System.Text.Json;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Tests.Statistics;

/// <summary>
/// Reads Fixtures/reference_frequentist.json, written by reference_frequentist.py beside it
/// (scipy / statsmodels, see the script), and compares results with it at 5 decimals.
/// </summary>
internal static class Reference
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference_frequentist.json"))).RootElement);

    /// <summary>The cases of one section ("welch", "proportions", ...).</summary>
    public static JsonElement Case(string section, int index) => Root.Value.GetProperty(section)[index];

    /// <summary>Indices of a section's cases, for a [Theory].</summary>
    public static TheoryData<int> Indices(string section) => [.. Enumerable.Range(0, Root.Value.GetProperty(section).GetArrayLength())];

    public static double Number(this JsonElement element, string name) => element.GetProperty(name).GetDouble();

    public static double[] Numbers(this JsonElement element, string name) =>
        [.. element.GetProperty(name).EnumerateArray().Select(value => value.GetDouble())];

    public static MetricSummary Summary(this JsonElement element, string name) => MetricSummary.Of(element.Numbers(name));

    /// <summary>The paired summary of an arm stored as {"y": [...], "x": [...]}.</summary>
    public static PairedSummary Paired(this JsonElement element, string name)
    {
        var arm = element.GetProperty(name);
        var x = arm.Numbers("x");
        var y = arm.Numbers("y");
        var summary = PairedSummary.Empty;
        for (var i = 0; i < x.Length; i++)
        {
            summary = summary.Add(x[i], y[i]);
        }

        return summary;
    }

    /// <summary>
    /// Equal at 5 decimals: |expected − actual| ≤ 5e-6, relative to |expected| above 1 (sample sizes,
    /// large means). A tolerance rather than rounding both sides, which fails on a rounding boundary.
    /// </summary>
    public static void Close(double expected, double? actual, string what)
    {
        Assert.True(actual.HasValue, $"{what}: expected {expected}, got null");
        var tolerance = 5e-6 * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual.Value) <= tolerance, $"{what}: expected {expected}, got {actual.Value}");
    }

    /// <summary>Compares the fields the fixture holds for an effect (absolute and, where present, relative).</summary>
    public static void Matches(JsonElement expected, EffectEstimate actual)
    {
        Assert.Equal(TestStatus.Ok, actual.Status);
        Close(expected.Number("control_mean"), actual.ControlMean, "control mean");
        Close(expected.Number("treatment_mean"), actual.TreatmentMean, "treatment mean");
        Close(expected.Number("effect"), actual.Effect, "effect");
        Close(expected.Number("se"), actual.StandardError, "standard error");
        Close(expected.Number("ci_low"), actual.CiLow, "ci low");
        Close(expected.Number("ci_high"), actual.CiHigh, "ci high");
        Close(expected.Number("p"), actual.PValue, "p-value");
        if (expected.TryGetProperty("df", out var df))
        {
            Close(df.GetDouble(), actual.DegreesOfFreedom, "degrees of freedom");
        }
        else
        {
            Assert.Null(actual.DegreesOfFreedom);
        }

        if (expected.TryGetProperty("lift", out _))
        {
            Assert.Equal(TestStatus.Ok, actual.Relative.Status);
            Close(expected.Number("lift"), actual.Relative.Lift, "lift");
            Close(expected.Number("lift_se"), actual.Relative.StandardError, "lift standard error");
            Close(expected.Number("lift_ci_low"), actual.Relative.CiLow, "lift ci low");
            Close(expected.Number("lift_ci_high"), actual.Relative.CiHigh, "lift ci high");
            Close(expected.Number("lift_p"), actual.Relative.PValue, "lift p-value");
        }
    }
}
