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
        CheckAudit(audit);
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
        CheckAudit(audit);
        CheckText(nameof(key), key);
        CheckText(nameof(definitionJson), definitionJson);
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
        CheckAudit(audit);
        ArgumentException.ThrowIfNullOrWhiteSpace(key.Id, nameof(key));
        ArgumentException.ThrowIfNullOrWhiteSpace(key.SecretHash, nameof(key));
        ArgumentNullException.ThrowIfNull(key.Name, nameof(key));
        ArgumentNullException.ThrowIfNull(key.Role, nameof(key));
        CheckText(nameof(key), key.Id, key.Name, key.Role, key.SecretHash);
    }

    /// <summary>Every field present and no NUL character (PostgreSQL text refuses it; both stores answer alike).</summary>
    public static void CheckAudit(AuditEntry audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        if (audit.Actor is null || audit.Role is null || audit.Action is null || audit.ObjectType is null || audit.ObjectId is null)
        {
            throw new ArgumentException("an audit entry needs actor, role, action, object type and object id", nameof(audit));
        }

        CheckText(nameof(audit), audit.Actor, audit.Role, audit.Action, audit.ObjectType, audit.ObjectId, audit.DetailJson);
    }

    /// <summary>
    /// True when both stores can keep <paramref name="text"/> exactly: no NUL character (PostgreSQL text refuses it)
    /// and well-formed UTF-16 (a lone surrogate has no UTF-8 form). Null is storable.
    /// </summary>
    public static bool IsStorable(string? text)
    {
        if (text is null)
        {
            return true;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckText(string parameter, params string?[] texts)
    {
        foreach (var text in texts)
        {
            if (!IsStorable(text))
            {
                throw new ArgumentException("a text holds a NUL character or a lone surrogate", parameter);
            }
        }
    }

    private static string Singular(string table) => table switch
    {
        "serving_campaigns" => "campaign",
        "serving_experiments" => "experiment",
        _ => table,
    };
}
