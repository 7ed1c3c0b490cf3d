using System.Text.Json.Nodes;
using PromoPilot.Core.Rules;
using PromoPilot.Measurement.Experiments.Assignment;

namespace PromoPilot.Measurement.Tests.Assignment;

public class ExperimentJsonTests
{
    private const string Valid = """
        {
          "key": "checkout-offer",
          // comments and trailing commas are fine
          "variants": [ { "name": "control", "weight": 50 }, { "name": "ten_percent_off", "weight": 50 }, ],
          "coverage": 0.8,
          "stickiness": "sticky",
          "history": [ { "coverage": 0.2, "weights": { "control": 1, "ten_percent_off": 1 } } ],
          "holdout": { "salt": "global-holdout-2026", "share": 0.05 },
          "layer": { "name": "layer:checkout", "start": 0, "end": 0.5 },
          "targeting": { "rule": "country = 'DE'", "attributes": { "country": "string" } }
        }
        """;

    [Fact]
    public void Parse_FullDefinition_ReadsEveryField()
    {
        var definition = ExperimentJson.Parse(Valid);

        Assert.Equal("checkout-offer", definition.Key);
        Assert.Equal([new VariantDefinition("control", 50), new VariantDefinition("ten_percent_off", 50)], definition.Variants);
        Assert.Equal(0.8, definition.Coverage);
        Assert.Equal(Stickiness.Sticky, definition.Stickiness);
        Assert.Equal("checkout-offer", definition.BucketSalt);
        Assert.Equal(0.2, Assert.Single(definition.History!).Coverage);
        Assert.Equal(new HoldoutDefinition("global-holdout-2026", 0.05), definition.Holdout);
        Assert.Equal(new LayerRange("layer:checkout", 0, 0.5), definition.Layer);
        Assert.Equal("country = 'DE'", definition.Targeting!.Rule);
        Assert.Equal(RuleValueKind.String, definition.Targeting.Attributes["country"]);
    }

    [Fact]
    public void Parse_Minimal_UsesDefaults()
    {
        var definition = ExperimentJson.Parse("""{"key": "k", "variants": [{"name": "a", "weight": 1}]}""");

        Assert.Equal(new ExperimentDefinition("k", definition.Variants), definition);
        Assert.Equal(1, definition.Coverage);
        Assert.Equal("k", definition.BucketSalt);
    }

    [Fact]
    public void BucketSalt_Rerandomize_AddsThePhase()
    {
        var definition = ExperimentJson.Parse(Valid.Replace("\"sticky\"", "\"rerandomize\"", StringComparison.Ordinal));

        Assert.Equal("checkout-offer/1", definition.BucketSalt);
    }

    /// <summary>Each mistake named by its path, with the reason.</summary>
    [Theory]
    [InlineData("$.colour", "\"red\"", "colour: unknown field; expected one of: key, description, salt, variants, coverage, holdout, layer, targeting, stickiness, history")]
    [InlineData("$.coverag", "1", "coverag: unknown field (did you mean 'coverage'?); expected one of: key, description, salt, variants, coverage, holdout, layer, targeting, stickiness, history")]
    [InlineData("$.variants[1].wieght", "1", "variants[1].wieght: unknown field (did you mean 'weight'?); expected one of: name, weight")]
    [InlineData("$.layer.ends", "1", "layer.ends: unknown field (did you mean 'end'?); expected one of: name, start, end")]
    [InlineData("$.key", null, "key: required field is missing")]
    [InlineData("$.variants[0].weight", "\"50\"", "variants[0].weight: expected a number, found the string \"50\"")]
    [InlineData("$.variants", "{}", "variants: expected an array, found an object")]
    [InlineData("$.variants", "[]", "variants: must list at least one variant")]
    [InlineData("$.variants[0].weight", "-1", "variants[0].weight: must be a finite number >= 0, got -1")]
    [InlineData("$.variants[1].name", "\"control\"", "variants[1].name: duplicate variant name 'control' (also variants[0])")]
    [InlineData("$.variants[0].name", "\"\"", "variants[0].name: must be a non-empty string")]
    [InlineData("$.coverage", "1.5", "coverage: must lie in [0, 1], got 1.5")]
    [InlineData("$.holdout.share", "-0.1", "holdout.share: must lie in [0, 1], got -0.1")]
    [InlineData("$.holdout.salt", "\"checkout-offer\"", "holdout.salt: must differ from the experiment's salt (the same hash would hold out the first variant's buckets)")]
    [InlineData("$.layer.end", "1.2", "layer.end: must lie in [0, 1], got 1.2")]
    [InlineData("$.layer.start", "-0.5", "layer.start: must lie in [0, 1], got -0.5")]
    [InlineData("$.layer.start", "0.5", "layer.end: must be greater than layer.start (0.5): the range is [start, end)")]
    [InlineData("$.layer.name", "\"checkout-offer\"", "layer.name: must differ from the experiment's salt (the same hash would tie the layer range to the variant buckets)")]
    [InlineData("$.stickiness", "\"loose\"", "stickiness: expected \"sticky\" or \"rerandomize\", found \"loose\"")]
    [InlineData("$.history[0].weights.contrl", "1", "history[0].weights.contrl: unknown variant 'contrl' (variants: control, ten_percent_off)")]
    [InlineData("$.history[0].coverage", "2", "history[0].coverage: must lie in [0, 1], got 2")]
    [InlineData("$.targeting.rule", "\"countr = 'DE'\"", "targeting.rule: column 1: unknown field 'countr' (did you mean 'country'?)")]
    [InlineData("$.targeting.attributes.country", "\"text\"", "targeting.attributes.country: expected \"number\", \"string\" or \"boolean\", found \"text\"")]
    public void Parse_BadField_NamesItsPath(string path, string? value, string message)
    {
        var json = JsonNode.Parse(Valid, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        Set(json, path, value);

        var error = Assert.Throws<ExperimentDefinitionException>(() => ExperimentJson.Parse(json.ToJsonString()));

        Assert.Equal(message, error.Message);
        Assert.Equal(message.Split(':')[0], error.Field);
    }

    [Fact]
    public void Parse_WeightsSummingToZero_NamesVariants()
    {
        var error = Assert.Throws<ExperimentDefinitionException>(() => ExperimentJson.Parse("""{"key": "k", "variants": [{"name": "a", "weight": 0}, {"name": "b", "weight": 0}]}"""));

        Assert.Equal("variants: weights must sum to a positive total", error.Message);
    }

    [Fact]
    public void Parse_RepeatedFieldOrBadJson_IsReported()
    {
        Assert.Equal("key: the field is given twice", Assert.Throws<ExperimentDefinitionException>(() => ExperimentJson.Parse("""{"key": "a", "key": "b"}""")).Message);
        Assert.StartsWith("not valid JSON: ", Assert.Throws<ExperimentDefinitionException>(() => ExperimentJson.Parse("""{"key": """)).Message, StringComparison.Ordinal);
        Assert.Equal("expected an object, found an array", Assert.Throws<ExperimentDefinitionException>(() => ExperimentJson.Parse("[]")).Message);
    }

    [Fact]
    public void ParseAll_OverlappingRangesInALayer_NamesBothExperiments()
    {
        var error = Assert.Throws<ExperimentDefinitionException>(() => ExperimentJson.ParseAll("""
            [
              {"key": "a", "variants": [{"name": "c", "weight": 1}], "layer": {"name": "checkout", "start": 0, "end": 0.5}},
              {"key": "b", "variants": [{"name": "c", "weight": 1}], "layer": {"name": "checkout", "start": 0.4, "end": 0.7}}
            ]
            """));

        Assert.Equal("[1].layer: range [0.4, 0.7) of 'b' overlaps [0, 0.5) of 'a' in layer 'checkout'", error.Message);
    }

    [Fact]
    public void ParseAll_AdjacentRangesAndOtherLayers_AreAccepted()
    {
        var experiments = ExperimentJson.ParseAll("""
            [
              {"key": "a", "variants": [{"name": "c", "weight": 1}], "layer": {"name": "checkout", "start": 0, "end": 0.5}},
              {"key": "b", "variants": [{"name": "c", "weight": 1}], "layer": {"name": "checkout", "start": 0.5, "end": 1}},
              {"key": "c", "variants": [{"name": "c", "weight": 1}], "layer": {"name": "search", "start": 0.2, "end": 0.7}},
              {"key": "d", "variants": [{"name": "c", "weight": 1}]}
            ]
            """);

        Assert.Equal(["a", "b", "c", "d"], experiments.Select(e => e.Key));
    }

    [Fact]
    public void ParseAll_DuplicateKeyOrBadMember_IsNamedByIndex()
    {
        Assert.Equal(
            "[1].key: duplicate experiment key 'a' (also [0])",
            Assert.Throws<ExperimentDefinitionException>(() => ExperimentJson.ParseAll("""[{"key": "a", "variants": [{"name": "c", "weight": 1}]}, {"key": "a", "variants": [{"name": "c", "weight": 1}]}]""")).Message);
        Assert.Equal(
            "[0].coverage: must lie in [0, 1], got 3",
            Assert.Throws<ExperimentDefinitionException>(() => ExperimentJson.ParseAll("""[{"key": "a", "coverage": 3, "variants": [{"name": "c", "weight": 1}]}]""")).Message);
        Assert.Equal(
            "[0].variants[0].weight: expected a number, found an array",
            Assert.Throws<ExperimentDefinitionException>(() => ExperimentJson.ParseAll("""[{"key": "a", "variants": [{"name": "c", "weight": [1]}]}]""")).Message);
    }

    /// <summary>Sets (or with a null value removes) the field at a simple path such as <c>$.variants[1].weight</c>.</summary>
    private static void Set(JsonNode root, string path, string? value)
    {
        var parts = path[2..].Replace("[", ".[", StringComparison.Ordinal).Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = part.StartsWith('[') ? node[int.Parse(part[1..^1], System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        }

        var last = parts[^1];
        if (value is null)
        {
            node.AsObject().Remove(last);
        }
        else
        {
            node[last] = JsonNode.Parse(value);
        }
    }
}
