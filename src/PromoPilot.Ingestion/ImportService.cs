using System.Security.Cryptography;
using System.Text;
using PromoPilot.Core.Storage;

namespace PromoPilot.Ingestion;

/// <summary>Runs one import: idempotency by content key, one transaction, counts that reconcile.</summary>
public sealed class ImportService(IImportStore store, Pseudonymizer pseudonymizer, TimeProvider clock)
{
    public ImportSummary Run(IDatasetImporter importer, string input, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var started = clock.GetTimestamp();
        var files = importer.InputFiles(input);
        var contentKey = ContentKey(importer, files);
        if (store.FindImport(contentKey) is { } earlier)
        {
            return earlier with { AlreadyImported = true, Seconds = clock.GetElapsedTime(started).TotalSeconds };
        }

        var header = new ImportHeader(importer.Kind, importer.Dataset, Path.GetFullPath(input), contentKey, clock.GetUtcNow());
        using var transaction = store.BeginImport(header);
        var context = new ImportContext(input, transaction, pseudonymizer, progress, cancellationToken);
        importer.Import(context);
        if (context.RowsRead != context.RowsAccepted + context.RowsQuarantined)
        {
            throw new InvalidOperationException($"{importer.Kind}: counts do not reconcile: read {context.RowsRead} != accepted {context.RowsAccepted} + quarantined {context.RowsQuarantined}.");
        }

        var seconds = clock.GetElapsedTime(started).TotalSeconds;
        transaction.Commit(context.RowsRead, context.RowsAccepted, context.RowsQuarantined, seconds);
        return new ImportSummary(
            transaction.ImportId,
            importer.Kind,
            importer.Dataset,
            header.Source,
            context.RowsRead,
            context.RowsAccepted,
            context.RowsQuarantined,
            seconds,
            new SortedDictionary<string, long>(transaction.RowsWritten.Where(t => t.Value > 0).ToDictionary(), StringComparer.Ordinal));
    }

    /// <summary>SHA-256 over the importer kind, its dataset (which a mapping sets) and every input file's bytes.</summary>
    public static string ContentKey(IDatasetImporter importer, IReadOnlyList<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{importer.Kind}\n{importer.Dataset}\n"));
        if (importer is IHasConfiguration configured)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(configured.ConfigurationFingerprint));
        }

        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer.AsSpan(0, n));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>An importer whose result depends on configuration (a mapping) besides the input bytes.</summary>
public interface IHasConfiguration
{
    string ConfigurationFingerprint { get; }
}
