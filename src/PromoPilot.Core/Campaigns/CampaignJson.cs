using System.Text.Json;
using System.Text.Json.Serialization;

namespace PromoPilot.Core.Campaigns;

/// <summary>
/// The one JSON form of campaigns: snake_case fields, enums as snake_case strings (<c>"percent_off"</c>), unknown
/// fields rejected so a misspelt limit is an error rather than silently no limit.
/// </summary>
public static class CampaignJson
{
    /// <summary>Options for reading and writing <see cref="CampaignDefinition"/> (and anything else of the API).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// Reads a campaign from <paramref name="json"/> and validates it. Returns the campaign and every problem (empty
    /// when valid); a text that is not a campaign gives a null campaign and one problem naming the line and field.
    /// </summary>
    /// <param name="source">Named in problems (a file path, "request body").</param>
    public static (CampaignDefinition? Campaign, IReadOnlyList<string> Problems) Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        CampaignDefinition? campaign;
        try
        {
            campaign = JsonSerializer.Deserialize<CampaignDefinition>(json, Options);
        }
        catch (JsonException e)
        {
            return (null, [$"{source}: line {(e.LineNumber ?? 0) + 1}, field {e.Path ?? "$"}: {FirstSentence(e.Message)}"]);
        }

        if (campaign is null)
        {
            return (null, [$"{source}: expected a campaign object, got null"]);
        }

        return (campaign, [.. campaign.Problems().Select(p => $"{source}: {p}")]);
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            MaxDepth = 32,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
