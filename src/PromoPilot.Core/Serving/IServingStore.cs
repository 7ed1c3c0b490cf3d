using PromoPilot.Core.Campaigns;

namespace PromoPilot.Core.Serving;

/// <summary>A campaign as stored: its definition and a version that every update increments (optimistic concurrency).</summary>
public sealed record StoredCampaign(CampaignDefinition Definition, int Version, DateTimeOffset UpdatedAt);

/// <summary>An experiment as stored: its JSON definition (docs/experiment-assignment.md) and version.</summary>
public sealed record StoredExperiment(string Key, string DefinitionJson, int Version, DateTimeOffset UpdatedAt);

/// <summary>One management action: who (the key's name and role), what, on which object, when.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Role, string Action, string ObjectType, string ObjectId, string? DetailJson);

/// <summary>An API key as stored: only the SHA-256 of the secret, never the secret.</summary>
public sealed record StoredApiKey(string Id, string Name, string Role, string SecretHash, DateTimeOffset CreatedAt, bool Revoked);

/// <summary>
/// One event accepted by the event API. <paramref name="EventId"/> is unique: the client's id when it sent one, else
/// derived from the batch key and position, so a retried batch is recognised.
/// </summary>
public sealed record ServedEvent(
    string EventId,
    string UserId,
    string Type,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string? ItemId = null,
    int? Quantity = null,
    decimal? Price = null,
    string? OrderId = null,
    string? DecisionId = null,
    string? OfferId = null);

/// <summary>What happened to a batch of events: how many were new and how many had been stored before (duplicates).</summary>
public readonly record struct EventAppendResult(int Stored, int Duplicates);

/// <summary>Thrown when an update names a version that is no longer the current one.</summary>
public sealed class VersionConflictException(string message) : Exception(message);

/// <summary>
/// The durable store of the decision service: campaigns, experiments, the audit log, API keys and accepted events.
/// Embedded (DuckDB) by default, PostgreSQL when configured. Every write is durable when its task completes.
/// </summary>
public interface IServingStore : IAsyncDisposable
{
    Task<IReadOnlyList<StoredCampaign>> LoadCampaignsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts (<paramref name="expectedVersion"/> 0) or updates (the current version) a campaign and appends the
    /// audit entry in the same transaction; returns the stored campaign.
    /// </summary>
    /// <exception cref="VersionConflictException">The campaign exists and <paramref name="expectedVersion"/> is not its version (or 0 when it exists).</exception>
    Task<StoredCampaign> SaveCampaignAsync(CampaignDefinition campaign, int expectedVersion, AuditEntry audit, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredExperiment>> LoadExperimentsAsync(CancellationToken cancellationToken = default);

    /// <summary>As <see cref="SaveCampaignAsync"/> for an experiment.</summary>
    Task<StoredExperiment> SaveExperimentAsync(string key, string definitionJson, int expectedVersion, AuditEntry audit, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredApiKey>> LoadApiKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a key (by id) and appends the audit entry in the same transaction.</summary>
    Task SaveApiKeyAsync(StoredApiKey key, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Audit entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> LoadAuditAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends events durably (committed when the task completes), skipping any whose id is stored already.
    /// </summary>
    Task<EventAppendResult> AppendEventsAsync(IReadOnlyList<ServedEvent> events, CancellationToken cancellationToken = default);

    /// <summary>How many events are stored.</summary>
    Task<long> CountEventsAsync(CancellationToken cancellationToken = default);
}
