using System.Text.Json;
using PromoPilot.Core.Rules;

namespace PromoPilot.Measurement.Experiments.Assignment;

/// <summary>
/// Reads experiment definitions from JSON (format: docs/experiment-assignment.md). Every mistake is an
/// <see cref="ExperimentDefinitionException"/> naming the field by its path (<c>variants[1].weight</c>): malformed
/// JSON, an unknown or repeated field, a value of the wrong type, or a definition that fails
/// <see cref="ExperimentDefinition.Validate"/>. Comments and trailing commas are allowed.
/// </summary>
public static class ExperimentJson
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>One experiment from a JSON object, validated.</summary>
    public static ExperimentDefinition Parse(string json)
    {
        using var document = Open(json);
        var experiment = Read(document.RootElement, string.Empty);
        experiment.Validate();
        return experiment;
    }

    /// <summary>Several experiments from a JSON array, validated together (<see cref="ExperimentDefinition.ValidateAll"/>).</summary>
    public static IReadOnlyList<ExperimentDefinition> ParseAll(string json)
    {
        using var document = Open(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new ExperimentDefinitionException(string.Empty, $"expected an array of experiments, found {Describe(document.RootElement)}");
        }

        var experiments = document.RootElement.EnumerateArray().Select((e, i) => Read(e, $"[{i}]")).ToList();
        ExperimentDefinition.ValidateAll(experiments);
        return experiments;
    }

    private static JsonDocument Open(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new ExperimentDefinitionException(string.Empty, $"not valid JSON: {e.Message}");
        }
    }

    private static ExperimentDefinition Read(JsonElement element, string path)
    {
        var o = new Fields(element, path, "key", "description", "salt", "variants", "coverage", "holdout", "layer", "targeting", "stickiness", "history");
        return new ExperimentDefinition(
            o.String("key")!,
            o.Array("variants", (e, p) =>
            {
                var v = new Fields(e, p, "name", "weight");
                return new VariantDefinition(v.String("name")!, v.Number("weight"));
            })!,
            o.String("salt", required: false),
            o.Number("coverage", 1),
            o.Object("holdout", h => new HoldoutDefinition(h.String("salt")!, h.Number("share")), "salt", "share"),
            o.Object("layer", l => new LayerRange(l.String("name")!, l.Number("start"), l.Number("end")), "name", "start", "end"),
            o.Object("targeting", t => new TargetingDefinition(t.String("rule")!, t.Map("attributes", Kind, required: false) ?? new Dictionary<string, RuleValueKind>()), "rule", "attributes"),
            o.String("stickiness", required: false) switch
            {
                null or "sticky" => Stickiness.Sticky,
                "rerandomize" => Stickiness.Rerandomize,
                var other => throw new ExperimentDefinitionException(Join(path, "stickiness"), $"expected \"sticky\" or \"rerandomize\", found \"{other}\""),
            },
            o.Array("history", (e, p) =>
            {
                var step = new Fields(e, p, "coverage", "weights");
                return new AllocationStep(step.Number("coverage", 1), step.Map("weights", Number)!);
            }, required: false),
            o.String("description", required: false));
    }

    private static RuleValueKind Kind(JsonElement value, string path) => value.ValueKind == JsonValueKind.String ? value.GetString() switch
    {
        "number" => RuleValueKind.Number,
        "string" => RuleValueKind.String,
        "boolean" => RuleValueKind.Boolean,
        var other => throw new ExperimentDefinitionException(path, $"expected \"number\", \"string\" or \"boolean\", found \"{other}\""),
    }
    : throw new ExperimentDefinitionException(path, $"expected \"number\", \"string\" or \"boolean\", found {Describe(value)}");

    private static double Number(JsonElement value, string path) => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
        ? number
        : throw new ExperimentDefinitionException(path, $"expected a number, found {Describe(value)}");

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {value.GetRawText()}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => "null",
    };

    /// <summary>The fields of one JSON object, checked against the names it may have.</summary>
    private sealed class Fields
    {
        private readonly string _path;
        private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);

        public Fields(JsonElement element, string path, params string[] known)
        {
            _path = path;
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new ExperimentDefinitionException(path, $"expected an object, found {Describe(element)}");
            }

            foreach (var property in element.EnumerateObject())
            {
                var field = Join(path, property.Name);
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    var hint = RuleSchema.Suggest(property.Name, known) is { } close ? $" (did you mean '{close}'?)" : string.Empty;
                    throw new ExperimentDefinitionException(field, $"unknown field{hint}; expected one of: {string.Join(", ", known)}");
                }

                if (!_values.TryAdd(property.Name, property.Value))
                {
                    throw new ExperimentDefinitionException(field, "the field is given twice");
                }
            }
        }

        public string? String(string name, bool required = true)
        {
            if (!Get(name, required, out var value))
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new ExperimentDefinitionException(Join(_path, name), $"expected a string, found {Describe(value)}");
        }

        public double Number(string name, double? fallback = null) =>
            Get(name, fallback is null, out var value) ? ExperimentJson.Number(value, Join(_path, name)) : fallback!.Value;

        public T? Object<T>(string name, Func<Fields, T> read, params string[] known)
            where T : class =>
            Get(name, required: false, out var value) ? read(new Fields(value, Join(_path, name), known)) : null;

        public IReadOnlyList<T>? Array<T>(string name, Func<JsonElement, string, T> read, bool required = true)
        {
            if (!Get(name, required, out var value))
            {
                return null;
            }

            var path = Join(_path, name);
            return value.ValueKind == JsonValueKind.Array
                ? [.. value.EnumerateArray().Select((e, i) => read(e, $"{path}[{i}]"))]
                : throw new ExperimentDefinitionException(path, $"expected an array, found {Describe(value)}");
        }

        public IReadOnlyDictionary<string, T>? Map<T>(string name, Func<JsonElement, string, T> read, bool required = true)
        {
            if (!Get(name, required, out var value))
            {
                return null;
            }

            var path = Join(_path, name);
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new ExperimentDefinitionException(path, $"expected an object, found {Describe(value)}");
            }

            var map = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var property in value.EnumerateObject())
            {
                if (!map.TryAdd(property.Name, read(property.Value, Join(path, property.Name))))
                {
                    throw new ExperimentDefinitionException(Join(path, property.Name), "the field is given twice");
                }
            }

            return map;
        }

        /// <summary>The value of <paramref name="name"/>; a JSON null counts as absent.</summary>
        private bool Get(string name, bool required, out JsonElement value)
        {
            if (_values.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null)
            {
                return true;
            }

            return required ? throw new ExperimentDefinitionException(Join(_path, name), "required field is missing") : false;
        }
    }
}
