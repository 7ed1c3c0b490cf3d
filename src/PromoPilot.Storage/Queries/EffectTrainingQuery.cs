using System.Text.Json;

namespace PromoPilot.Storage.Queries;

/// <summary>One randomized exposure with the user's numeric attributes, for fitting an effect model.</summary>
public sealed record EffectTrainingRow(string UserId, IReadOnlyDictionary<string, double> Features, bool Treated, bool Visited, bool Converted);

/// <summary>Reads a campaign's exposures joined to its users' numeric attributes (numbers and booleans).</summary>
public static class EffectTrainingQuery
{
    /// <summary>
    /// Rows of the campaign: the control arm(s) and either one treated arm (<paramref name="treatmentArm"/>) or every
    /// other arm pooled as treated.
    /// </summary>
    public static IReadOnlyList<EffectTrainingRow> Load(DuckDbStore store, int campaignKey, string? treatmentArm = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Query("""
            SELECT u.user_id, CAST(u.attributes AS VARCHAR) AS attributes, e.arm, coalesce(e.is_control, false) AS is_control,
                   coalesce(e.visited, false) AS visited, coalesce(e.converted, false) AS converted
            FROM exposures e JOIN users u ON u.user_key = e.user_key
            WHERE e.campaign_key = $campaign AND (coalesce(e.is_control, false) OR $arm IS NULL OR e.arm = $arm)
            ORDER BY e.source_line
            """, ("campaign", campaignKey), ("arm", treatmentArm))
            .Select(r => new EffectTrainingRow(
                (string)r["user_id"]!,
                Numbers((string?)r["attributes"]),
                !(bool)r["is_control"]!,
                (bool)r["visited"]!,
                (bool)r["converted"]!))
            .ToList();
    }

    internal static Dictionary<string, double> Numbers(string? json)
    {
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        if (json is null)
        {
            return numbers;
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return numbers;
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Number:
                    numbers[property.Name] = property.Value.GetDouble();
                    break;
                case JsonValueKind.True:
                    numbers[property.Name] = 1;
                    break;
                case JsonValueKind.False:
                    numbers[property.Name] = 0;
                    break;
            }
        }

        return numbers;
    }
}
