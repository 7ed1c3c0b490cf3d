namespace PromoPilot.Core.Storage;

/// <summary>What an import is, before it runs: its content key makes re-imports idempotent.</summary>
public sealed record ImportHeader(string Kind, string Dataset, string Source, string ContentKey, DateTimeOffset StartedAt);

/// <summary>The outcome of one import: rows read = accepted + quarantined.</summary>
public sealed record ImportSummary(
    int ImportId,
    string Kind,
    string Dataset,
    string Source,
    long RowsRead,
    long RowsAccepted,
    long RowsQuarantined,
    double Seconds,
    IReadOnlyDictionary<string, long> Tables,
    bool AlreadyImported = false);

/// <summary>The store side of an import: lookup of earlier imports, and one transaction per import.</summary>
public interface IImportStore
{
    /// <summary>An earlier committed import with the same content key, if any.</summary>
    ImportSummary? FindImport(string contentKey);

    IImportTransaction BeginImport(ImportHeader header);
}

/// <summary>An import in progress. Disposing without <see cref="Commit"/> discards everything it wrote.</summary>
public interface IImportTransaction : IImportWriter, IDisposable
{
    int ImportId { get; }

    /// <summary>Canonical rows written so far, per table (dimension rows counted when new).</summary>
    IReadOnlyDictionary<string, long> RowsWritten { get; }

    /// <summary>Writes the import log row and makes the import visible, atomically.</summary>
    void Commit(long rowsRead, long rowsAccepted, long rowsQuarantined, double seconds);
}
