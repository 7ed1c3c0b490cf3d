using System.Text.Json;
using PromoPilot.Core.Rules;

namespace PromoPilot.Measurement.Experiments.Assignment;

/// <summary>
/// A unit's attributes as a targeting rule sees them: fields by name, no functions. For callers without a richer
/// context of their own (the CLI's <c>--attributes</c>, tests); a host may pass any <see cref="IRuleContext"/>.
/// </summary>
public sealed class AttributeRuleContext(IReadOnlyDictionary<string, RuleValue> values) : IRuleContext
{
    /// <summary>The attributes given, by name.</summary>
    public IReadOnlyDictionary<string, RuleValue> Values { get; } = values ?? throw new ArgumentNullException(nameof(values));

    /// <summary>
    /// Attributes from a JSON object of strings, numbers, booleans and nulls (null: missing), such as
    /// <c>{"country": "DE", "cart_value": 42.5}</c>. An attribute <paramref name="declared"/> with another kind is refused,
    /// so a number sent as a string fails loudly instead of silently never matching.
    /// </summary>
    /// <exception cref="FormatException">Not a JSON object, a nested value, or a value of the wrong kind (the message names the attribute).</exception>
    public static AttributeRuleContext Parse(string json, IReadOnlyDictionary<string, RuleValueKind>? declared = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ParseDocument(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("attributes: expected a JSON object such as {\"country\": \"DE\"}.");
        }

        var values = new Dictionary<string, RuleValue>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value.ValueKind switch
            {
                JsonValueKind.String => RuleValue.Of(property.Value.GetString()!),
                JsonValueKind.Number => RuleValue.Of(property.Value.GetDouble()),
                JsonValueKind.True => RuleValue.True,
                JsonValueKind.False => RuleValue.False,
                JsonValueKind.Null => RuleValue.Missing,
                _ => throw new FormatException($"attributes.{property.Name}: expected a string, number, boolean or null, found {property.Value.ValueKind.ToString().ToLowerInvariant()}."),
            };
            if (!value.IsMissing && declared is not null && declared.TryGetValue(property.Name, out var kind) && kind != value.Kind)
            {
                throw new FormatException($"attributes.{property.Name}: the experiment declares {RuleValue.Describe(kind)}, found {RuleValue.Describe(value.Kind)} {value}.");
            }

            values[property.Name] = value;
        }

        return new AttributeRuleContext(values);
    }

    public bool TryGetField(string name, out RuleValue value) => Values.TryGetValue(name, out value) && !value.IsMissing;

    public bool TryCall(string name, IReadOnlyList<RuleValue> arguments, out RuleValue value)
    {
        value = RuleValue.Missing;
        return false;
    }

    private static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"attributes: not valid JSON: {e.Message}", e);
        }
    }
}
