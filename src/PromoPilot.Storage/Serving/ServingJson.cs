using System.Text.Json;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Serving;

namespace PromoPilot.Storage.Serving;

/// <summary>What both serving stores share: JSON forms, argument checks and messages.</summary>
internal static class ServingJson
{
    public static string WriteCampaign(CampaignDefinition campaign) => JsonSerializer.Serialize(campaign, CampaignJson.Options);

    public static CampaignDefinition ReadCampaign(string json) =>
        JsonSerializer.Deserialize<CampaignDefinition>(json, CampaignJson.Options) ?? throw new InvalidDataException("a stored campaign is null");

    public static string StatusName(CampaignStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public static string ConflictMessage(string table, string key, int expected, int? current) => current is null
        ? $"{Singular(table)} '{key}' does not exist (expected version {expected}); create it with version 0"
        : $"{Singular(table)} '{key}' is at version {current}, not {expected}: reload it and apply the change again";

    public static void CheckCampaign(CampaignDefinition campaign, int expectedVersion, AuditEntry audit)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        if (!CampaignDefinition.IsValidId(campaign.Id))
        {
            throw new ArgumentException($"campaign id '{campaign.Id}' must be 1-64 letters, digits, '-', '_' or '.'", nameof(campaign));
        }
    }

    public static void CheckExperiment(string key, string definitionJson, int expectedVersion, AuditEntry audit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(definitionJson);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        try
        {
            using var _ = JsonDocument.Parse(definitionJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"experiment '{key}': the definition is not JSON: {e.Message}", nameof(definitionJson), e);
        }
    }

    public static void CheckApiKey(StoredApiKey key, AuditEntry audit)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentException.ThrowIfNullOrWhiteSpace(key.Id, nameof(key));
        ArgumentException.ThrowIfNullOrWhiteSpace(key.SecretHash, nameof(key));
    }

    private static string Singular(string table) => table switch
    {
        "serving_campaigns" => "campaign",
        "serving_experiments" => "experiment",
        _ => table,
    };
}
