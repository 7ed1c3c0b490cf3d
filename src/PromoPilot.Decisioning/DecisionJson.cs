using System.Text.Json;
using System.Text.Json.Serialization;

namespace PromoPilot.Decisioning;

/// <summary>
/// The JSON of decisions and decision records: snake_case, nulls left out, written by generated code (no reflection)
/// because every decision is serialized on the hot path.
/// </summary>
public static class DecisionJson
{
    /// <summary>The decision as the API answers it.</summary>
    public static string Serialize(Decision decision) => JsonSerializer.Serialize(decision, DecisionJsonContext.Default.Decision);

    /// <summary>The decision as UTF-8 JSON, ready for a response body.</summary>
    public static byte[] SerializeToUtf8(Decision decision) => JsonSerializer.SerializeToUtf8Bytes(decision, DecisionJsonContext.Default.Decision);

    internal static byte[] SerializeToUtf8(DecisionRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, DecisionJsonContext.Default.DecisionRecord);

    internal static DecisionRecord? ParseRecord(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, DecisionJsonContext.Default.DecisionRecord);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Decision))]
[JsonSerializable(typeof(DecisionRecord))]
internal sealed partial class DecisionJsonContext : JsonSerializerContext;
