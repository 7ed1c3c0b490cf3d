using System.Text.Json;
using PromoPilot.Ingestion.Tests.Support;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

/// <summary>
/// promopilot experiment assign on samples/experiments/checkout-offer.json. The expected outcomes follow from the
/// hashes in tests/PromoPilot.Measurement.Tests/Fixtures/assignment_hash_golden.json (computed by reference_hash.py):
/// bucket under "checkout-offer", layer point under "layer:checkout" (range [0, 0.5)), holdout point under
/// "global-holdout-2026" (share 0.05), and the sample's sticky ramp, which leaves control with buckets
/// [0, 1000) and [2000, 5000), ten_percent_off [1000, 2000) and [5000, 6000), free_shipping [6000, 8000).
/// </summary>
public sealed class ExperimentCommandTests : IDisposable
{
    private const string Germany = """{"country": "DE", "cart_value": 35}""";

    private static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "samples", "experiments", "checkout-offer.json");

    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData("user-1", "control", "assigned", 3133)] // layer 0.235, holdout 0.140
    [InlineData("visitor-0", "ten_percent_off", "assigned", 1513)] // layer 0.049, holdout 0.697; in ten_percent_off since the 20 % step
    [InlineData("user-12", "free_shipping", "assigned", 7876)] // layer 0.029, holdout 0.145
    [InlineData("visitor-28", null, "holdout", 7343)] // layer 0.230, holdout 0.043
    [InlineData("user-123", null, "not_in_layer_range", 6075)] // layer 0.562
    [InlineData("customer-00017", null, "not_covered", 9130)] // layer 0.277, bucket past 8000
    public void Assign_SampleDefinition_MatchesTheReferenceHashes(string unit, string? variant, string reason, int bucket)
    {
        var (code, stdout, _) = Run("experiment", "assign", "--experiment", Sample, "--unit", unit, "--attributes", Germany, "--json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["experiment", "unit", "variant", "reason", "bucket"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("checkout-offer", root.GetProperty("experiment").GetString());
        Assert.Equal(unit, root.GetProperty("unit").GetString());
        Assert.Equal(variant, root.GetProperty("variant").GetString());
        Assert.Equal(reason, root.GetProperty("reason").GetString());
        Assert.Equal(bucket, root.GetProperty("bucket").GetInt32());
    }

    [Fact]
    public void Assign_AttributesFileFailingTheRule_IsNotTargeted()
    {
        var attributes = Path.Combine(_folder.Path, "unit.json");
        File.WriteAllText(attributes, """{"country": "FR", "cart_value": 35}""");

        var (code, stdout, _) = Run("experiment", "assign", "--experiment", Sample, "--unit", "user-1", "--attributes", attributes, "--json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("variant").ValueKind);
        Assert.Equal("not_targeted", root.GetProperty("reason").GetString());
        Assert.Equal(3133, root.GetProperty("bucket").GetInt32());
    }

    [Fact]
    public void Assign_WithoutJson_PrintsOneLine()
    {
        var (code, stdout, _) = Run("experiment", "assign", "--experiment", Sample, "--unit", "user-1", "--attributes", Germany);

        Assert.Equal(0, code);
        Assert.Equal("checkout-offer: unit user-1 -> control (assigned, bucket 3133 of 10000)", stdout.Trim());
    }

    [Fact]
    public void Assign_BadDefinition_FailsNamingFileAndField()
    {
        var path = Path.Combine(_folder.Path, "bad.json");
        File.WriteAllText(path, File.ReadAllText(Sample).Replace("\"weight\": 25 }", "\"weight\": -25 }", StringComparison.Ordinal));

        var (code, stdout, stderr) = Run("experiment", "assign", "--experiment", path, "--unit", "user-1", "--attributes", Germany, "--json");

        Assert.Equal(1, code);
        var message = $"{path}: variants[1].weight: must be a finite number >= 0, got -25";
        Assert.Equal($"error: {message}", stderr.Trim());
        Assert.Equal(message, JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void Assign_TargetedWithoutAttributes_FailsWithAHint()
    {
        var (code, _, stderr) = Run("experiment", "assign", "--experiment", Sample, "--unit", "user-1");

        Assert.Equal(1, code);
        Assert.Contains("targets units by the rule 'country = 'DE' and cart_value >= 20': pass --attributes", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
