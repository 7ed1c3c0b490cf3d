using System.Globalization;
using System.Text.Json;
using PromoPilot.Core.Campaigns;

namespace PromoPilot.Storage.Campaigns;

/// <summary>A campaign as stored: its definition (status included), version and times.</summary>
public sealed record StoredCampaign(CampaignDefinition Definition, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One row of campaign_audit: who did what to a campaign, when, from which status to which.</summary>
/// <param name="Action">The workflow action's snake_case name (create, forecast, approve, launch...).</param>
/// <param name="FromStatus">Status before (snake_case); null at creation.</param>
/// <param name="ToStatus">Status after (snake_case).</param>
public sealed record CampaignAuditRow(string CampaignId, int Version, string Action, string? FromStatus, string ToStatus, string Actor, DateTimeOffset At, string? Detail);

/// <summary>One targeted user's arm at launch: treatment, or the randomized holdout.</summary>
public sealed record CampaignAssignmentRow(int UserKey, bool IsControl);

/// <summary>What a launch wrote: the campaign's key in the campaigns table and the arms' sizes.</summary>
public sealed record CampaignLaunchRecord(int CampaignKey, int ImportId, long Treatment, long Holdout);

/// <summary>
/// Campaign definitions and their audit trail in the store: campaign_definitions (the definition as JSON with its status
/// and version) and campaign_audit (one row per action). Every change is one transaction that checks the version it
/// read (a concurrent change fails instead of being lost) and writes the audit row beside it. A launch also writes the
/// campaign into the canonical campaigns table and every targeted user's arm into exposures (arms <c>treatment</c> and
/// <c>holdout</c>, the planned split in the campaign's attributes), which is what <c>promopilot campaign readout</c> reads.
/// </summary>
public sealed class DuckDbCampaignStore
{
    /// <summary>The dataset name launched campaigns get in the canonical campaigns table.</summary>
    public const string Dataset = "promopilot";

    private const string Create = """
        CREATE TABLE IF NOT EXISTS campaign_definitions (
            campaign_id VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, version INTEGER NOT NULL, definition JSON NOT NULL,
            created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
        CREATE TABLE IF NOT EXISTS campaign_audit (
            campaign_id VARCHAR NOT NULL, version INTEGER NOT NULL, action VARCHAR NOT NULL, from_status VARCHAR,
            to_status VARCHAR NOT NULL, actor VARCHAR NOT NULL, acted_at TIMESTAMPTZ NOT NULL, detail VARCHAR);
        """;

    private readonly DuckDbStore _store;

    /// <param name="store">The store. The tables are created by the first write, so reading (and rejecting a campaign) changes nothing.</param>
    public DuckDbCampaignStore(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Stores a new campaign at version 1 with its creation audit row.</summary>
    /// <exception cref="ArgumentException">A campaign with this id exists already (nothing is written).</exception>
    public void Add(CampaignDefinition campaign, CampaignAuditRow audit)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(audit);
        InTransaction(() =>
        {
            if (Find(campaign.Id) is { } existing)
            {
                throw new ArgumentException($"campaign '{campaign.Id}' exists already (version {existing.Version}, {Name(existing.Definition.Status)}); pick another id", nameof(campaign));
            }

            _store.Execute(
                "INSERT INTO campaign_definitions VALUES ($id, $status, 1, $definition, $at, $at)",
                ("id", campaign.Id), ("status", Name(campaign.Status)), ("definition", JsonSerializer.Serialize(campaign, CampaignJson.Options)), ("at", audit.At.UtcDateTime));
            InsertAudit(audit);
        });
    }

    /// <summary>The campaign with this id, or null.</summary>
    public StoredCampaign? Find(string campaignId)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        return Exists("campaign_definitions")
            ? _store.Query("SELECT * FROM campaign_definitions WHERE campaign_id = $id", ("id", campaignId)).Select(ToStored).FirstOrDefault()
            : null;
    }

    /// <summary>Every stored campaign, by id.</summary>
    public IReadOnlyList<StoredCampaign> List() =>
        Exists("campaign_definitions") ? _store.Query("SELECT * FROM campaign_definitions ORDER BY campaign_id").Select(ToStored).ToList() : [];

    /// <summary>A campaign's audit trail, oldest first.</summary>
    public IReadOnlyList<CampaignAuditRow> Audit(string campaignId)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        if (!Exists("campaign_audit"))
        {
            return [];
        }

        return _store.Query("SELECT * FROM campaign_audit WHERE campaign_id = $id ORDER BY version, acted_at", ("id", campaignId)).Select(r => new CampaignAuditRow(
            (string)r["campaign_id"]!, Convert.ToInt32(r["version"], CultureInfo.InvariantCulture), (string)r["action"]!, r["from_status"] as string,
            (string)r["to_status"]!, (string)r["actor"]!, Utc(r["acted_at"]), r["detail"] as string)).ToList();
    }

    /// <summary>Replaces the campaign's definition (new status) if it is still at <paramref name="expectedVersion"/>, with its audit row.</summary>
    /// <exception cref="InvalidOperationException">The campaign is missing or changed since it was read (nothing is written).</exception>
    public void Update(CampaignDefinition campaign, int expectedVersion, CampaignAuditRow audit) =>
        InTransaction(() => Replace(campaign, expectedVersion, audit));

    /// <summary>
    /// Launches: the new definition and audit row as <see cref="Update"/>, the campaign in the campaigns table, and one
    /// exposure row per targeted user (arm treatment or holdout), all in one transaction.
    /// </summary>
    /// <exception cref="InvalidOperationException">The campaign changed since it was read, or was launched before.</exception>
    public CampaignLaunchRecord Launch(CampaignDefinition campaign, int expectedVersion, CampaignAuditRow audit, IReadOnlyList<CampaignAssignmentRow> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        CampaignLaunchRecord? record = null;
        InTransaction(() =>
        {
            Replace(campaign, expectedVersion, audit);
            var key = CampaignKey(campaign, audit.At);
            if (_store.Scalar<long>("SELECT count(*) FROM exposures WHERE campaign_key = $key", ("key", key)) > 0)
            {
                throw new InvalidOperationException($"campaign '{campaign.Id}' was launched before: it has exposures");
            }

            var importId = _store.Scalar<int>("SELECT coalesce(max(import_id), 0) + 1 FROM import_log");
            var holdout = assignments.LongCount(a => a.IsControl);
            var attributes = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["source"] = "promopilot campaign launch",
                ["holdout_fraction"] = campaign.HoldoutFraction,
                ["weights"] = new Dictionary<string, double> { ["treatment"] = 1 - campaign.HoldoutFraction, ["holdout"] = campaign.HoldoutFraction },
            });
            _store.Execute(
                "UPDATE campaigns SET starts_at = $starts, ends_at = $ends, attributes = $attributes, import_id = $import WHERE campaign_key = $key",
                ("key", key), ("starts", campaign.Starts?.UtcDateTime ?? audit.At.UtcDateTime), ("ends", campaign.Ends?.UtcDateTime), ("attributes", attributes), ("import", importId));
            using (var appender = _store.Connection.CreateAppender("exposures"))
            {
                var line = 0L;
                foreach (var a in assignments)
                {
                    appender.CreateRow()
                        .AppendValue(key).AppendValue(a.UserKey).AppendValue(a.IsControl ? "holdout" : "treatment").AppendValue(a.IsControl)
                        .AppendValue(audit.At.UtcDateTime).AppendNullValue().AppendNullValue().AppendNullValue().AppendNullValue()
                        .AppendValue(importId).AppendValue(++line).EndRow();
                }
            }

            _store.Execute(
                "INSERT INTO import_log VALUES ($id, 'campaign_launch', $dataset, $source, $key, $at, 0, $rows, $rows, 0, $tables)",
                ("id", importId), ("dataset", Dataset), ("source", $"campaign launch {campaign.Id}"), ("key", $"campaign-launch:{campaign.Id}:{audit.Version}"),
                ("at", audit.At.UtcDateTime), ("rows", (long)assignments.Count),
                ("tables", JsonSerializer.Serialize(new Dictionary<string, long> { ["campaigns"] = 1, ["exposures"] = assignments.Count })));
            record = new CampaignLaunchRecord(key, importId, assignments.Count - holdout, holdout);
        });
        return record!;
    }

    /// <summary>
    /// The campaign's key in the canonical campaigns table (dataset <see cref="Dataset"/>), registering it when absent:
    /// forecasts (campaign_forecasts) and exposures hang on it, so a forecast made before launch meets the readout.
    /// </summary>
    public int CampaignKey(CampaignDefinition campaign, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var existing = _store.Query("SELECT campaign_key FROM campaigns WHERE campaign_id = $id AND dataset = $dataset", ("id", campaign.Id), ("dataset", Dataset));
        if (existing.Count > 0)
        {
            return Convert.ToInt32(existing[0]["campaign_key"], CultureInfo.InvariantCulture);
        }

        var key = _store.Scalar<int>("SELECT coalesce(max(campaign_key), 0) + 1 FROM campaigns");
        _store.Execute(
            "INSERT INTO campaigns VALUES ($key, $dataset, $id, $name, 'promopilot', $starts, $ends, NULL, NULL)",
            ("key", key), ("dataset", Dataset), ("id", campaign.Id), ("name", campaign.Name), ("starts", campaign.Starts?.UtcDateTime ?? at.UtcDateTime), ("ends", campaign.Ends?.UtcDateTime));
        return key;
    }

    /// <summary>
    /// Rows of a randomized campaign of the store for training an uplift model: arm, control flag, conversion, revenue,
    /// and the user's attributes named in <paramref name="attributes"/> as numbers (booleans as 1 and 0; NaN when missing or not a number).
    /// </summary>
    public IReadOnlyList<(bool IsControl, bool Converted, double Revenue, double[] Features)> TrainingRows(int campaignKey, IReadOnlyList<string> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        // Booleans (Hillstrom's 0/1 flags are stored as true/false) read as 1 and 0.
        var columns = string.Join(", ", attributes.Select((a, i) =>
        {
            var value = $"json_extract_string(u.attributes, '$.{a.Replace("'", "", StringComparison.Ordinal)}')";
            return $"CASE {value} WHEN 'true' THEN 1.0 WHEN 'false' THEN 0.0 ELSE TRY_CAST({value} AS DOUBLE) END AS f{i}";
        }));
        return _store.Query($"""
            SELECT coalesce(e.is_control, false) AS is_control, coalesce(e.converted, false) AS converted, coalesce(CAST(e.revenue AS DOUBLE), 0) AS revenue, {columns}
            FROM exposures e JOIN (SELECT user_key, any_value(attributes) AS attributes FROM users GROUP BY user_key) u USING (user_key)
            WHERE e.campaign_key = $key ORDER BY e.rowid
            """, ("key", campaignKey))
            .Select(r => ((bool)r["is_control"]!, (bool)r["converted"]!, Convert.ToDouble(r["revenue"], CultureInfo.InvariantCulture),
                attributes.Select((_, i) => r[$"f{i}"] is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : double.NaN).ToArray()))
            .ToList();
    }

    /// <summary>The latest segmentation run (k-means or rule) and its segment names with sizes; null when there is none.</summary>
    public (int RunId, IReadOnlyDictionary<string, long> Segments)? LatestSegmentation()
    {
        if (!Exists("segment_runs") || !Exists("customer_segments"))
        {
            return null;
        }

        var run = _store.Scalar<int>("SELECT coalesce(max(run_id), 0) FROM segment_runs");
        if (run == 0)
        {
            return null;
        }

        var names = _store.Query("SELECT segment_name, count(*) AS n FROM customer_segments WHERE run_id = $run GROUP BY segment_name ORDER BY segment_name", ("run", run))
            .ToDictionary(r => (string)r["segment_name"]!, r => Convert.ToInt64(r["n"], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return (run, names);
    }

    /// <summary>The users of a segment in a segmentation run.</summary>
    public IReadOnlySet<int> SegmentMembers(int runId, string segment) =>
        _store.Query("SELECT user_key FROM customer_segments WHERE run_id = $run AND segment_name = $name", ("run", runId), ("name", segment))
            .Select(r => Convert.ToInt32(r["user_key"], CultureInfo.InvariantCulture)).ToHashSet();

    /// <summary>The external (pseudonymized) ids of users by key: what assignment hashes, so it is the same in every store.</summary>
    public IReadOnlyDictionary<int, string> UserIds() =>
        _store.Query("SELECT user_key, any_value(user_id) AS user_id FROM users GROUP BY user_key")
            .ToDictionary(r => Convert.ToInt32(r["user_key"], CultureInfo.InvariantCulture), r => (string)r["user_id"]!);

    private void Replace(CampaignDefinition campaign, int expectedVersion, CampaignAuditRow audit)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(audit);
        var current = Find(campaign.Id) ?? throw new InvalidOperationException($"no campaign '{campaign.Id}' in the store");
        if (current.Version != expectedVersion)
        {
            throw new InvalidOperationException($"campaign '{campaign.Id}' changed since it was read (version {current.Version}, not {expectedVersion}): read it again");
        }

        _store.Execute(
            "UPDATE campaign_definitions SET status = $status, version = $version, definition = $definition, updated_at = $at WHERE campaign_id = $id AND version = $expected",
            ("status", Name(campaign.Status)), ("version", audit.Version), ("definition", JsonSerializer.Serialize(campaign, CampaignJson.Options)),
            ("at", audit.At.UtcDateTime), ("id", campaign.Id), ("expected", expectedVersion));
        InsertAudit(audit);
    }

    private void InsertAudit(CampaignAuditRow audit) => _store.Execute(
        "INSERT INTO campaign_audit VALUES ($id, $version, $action, $from, $to, $actor, $at, $detail)",
        ("id", audit.CampaignId), ("version", audit.Version), ("action", audit.Action), ("from", audit.FromStatus), ("to", audit.ToStatus),
        ("actor", audit.Actor), ("at", audit.At.UtcDateTime), ("detail", audit.Detail));

    private bool Exists(string table) =>
        _store.Scalar<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = $name", ("name", table)) > 0;

    private void InTransaction(Action work)
    {
        _store.Execute(Create);
        _store.Execute("BEGIN TRANSACTION");
        try
        {
            work();
            _store.Execute("COMMIT");
        }
        catch
        {
            _store.Execute("ROLLBACK");
            throw;
        }
    }

    private static StoredCampaign ToStored(IReadOnlyDictionary<string, object?> r) => new(
        JsonSerializer.Deserialize<CampaignDefinition>((string)r["definition"]!, CampaignJson.Options)!,
        Convert.ToInt32(r["version"], CultureInfo.InvariantCulture),
        Utc(r["created_at"]),
        Utc(r["updated_at"]));

    private static DateTimeOffset Utc(object? value) => value switch
    {
        DateTimeOffset o => o.ToUniversalTime(),
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        _ => throw new InvalidDataException($"not a time: {value}"),
    };

    private static string Name(CampaignStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());
}
