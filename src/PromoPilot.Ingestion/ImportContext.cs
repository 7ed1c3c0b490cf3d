using System.Text;
using PromoPilot.Core.Domain;
using PromoPilot.Core.Storage;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion;

/// <summary>Progress of a running import, for progress bars.</summary>
public readonly record struct ImportProgress(string File, long BytesRead, long TotalBytes, long RowsRead);

/// <summary>
/// What an importer works with: its input, the writer, the pseudonymizer and the row counters.
/// Every record read passes through <see cref="ReadAll"/>, which keeps read = accepted + quarantined.
/// </summary>
public sealed class ImportContext(
    string input,
    IImportWriter writer,
    Pseudonymizer pseudonymizer,
    IProgress<ImportProgress>? progress = null,
    CancellationToken cancellationToken = default)
{
    private readonly Dictionary<string, int> _userKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _itemKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _orderKeys = new(StringComparer.Ordinal);

    /// <summary>The file or folder given with --input.</summary>
    public string Input { get; } = input;

    public IImportWriter Writer { get; } = writer;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public long RowsRead { get; private set; }

    public long RowsAccepted { get; private set; }

    public long RowsQuarantined { get; private set; }

    /// <summary>
    /// Reads every record; structural errors and wrong column counts are quarantined here, the rest go to
    /// <paramref name="accept"/>, which returns false after <see cref="FieldReader.Reject"/> (or a failed parse)
    /// and must write nothing in that case.
    /// </summary>
    public void ReadAll(IRecordReader reader, Func<FieldReader, bool> accept)
    {
        var fields = new FieldReader(reader);
        var columns = reader.Header.Count;
        while (reader.Read())
        {
            RowsRead++;
            if (reader.Error != RecordError.None)
            {
                Quarantine(reader, null, reader.Error.Describe());
            }
            else if (reader.FieldCount != columns)
            {
                Quarantine(reader, null, $"expected {columns} columns, found {reader.FieldCount}");
            }
            else
            {
                fields.Reset();
                if (accept(fields) && !fields.Failed)
                {
                    RowsAccepted++;
                }
                else
                {
                    Quarantine(reader, fields.ErrorColumn, fields.ErrorReason ?? "rejected");
                }
            }

            if ((RowsRead & 0xFFFF) == 0)
            {
                CancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ImportProgress(reader.FileName, reader.BytesRead, reader.TotalBytes, RowsRead));
            }
        }

        progress?.Report(new ImportProgress(reader.FileName, reader.BytesRead, reader.TotalBytes, RowsRead));
    }

    /// <summary>Counts a row accepted outside <see cref="ReadAll"/> (for sources that are not record files).</summary>
    public void CountAccepted(long rows = 1)
    {
        RowsRead += rows;
        RowsAccepted += rows;
    }

    public void Quarantine(IRecordReader reader, string? column, string reason)
    {
        RowsQuarantined++;
        Writer.Quarantine(new QuarantinedRow(reader.FileName, reader.Line, column, reason, reader.RawRecord()));
    }

    /// <summary>The key of a customer, by raw identifier; the raw value is pseudonymized and kept only in memory.</summary>
    public int UserKey(string rawUserId)
    {
        if (!_userKeys.TryGetValue(rawUserId, out var key))
        {
            key = Writer.UserKey(pseudonymizer.Pseudonymize(rawUserId));
            _userKeys.Add(rawUserId, key);
        }

        return key;
    }

    public int UserKey(ReadOnlySpan<byte> rawUserId) => CachedKey(_userKeys, rawUserId, static (c, id) => c.Writer.UserKey(c.Pseudonymize(id)));

    public int ItemKey(string itemId)
    {
        if (!_itemKeys.TryGetValue(itemId, out var key))
        {
            key = Writer.ItemKey(itemId);
            _itemKeys.Add(itemId, key);
        }

        return key;
    }

    public int ItemKey(ReadOnlySpan<byte> itemId) => CachedKey(_itemKeys, itemId, static (c, id) => c.Writer.ItemKey(id));

    public long OrderKey(string orderId)
    {
        if (!_orderKeys.TryGetValue(orderId, out var key))
        {
            key = Writer.OrderKey(orderId);
            _orderKeys.Add(orderId, key);
        }

        return key;
    }

    private string Pseudonymize(string rawId) => pseudonymizer.Pseudonymize(rawId);

    /// <summary>Looks a UTF-8 identifier up without allocating a string when it was seen before.</summary>
    private int CachedKey(Dictionary<string, int> cache, ReadOnlySpan<byte> utf8, Func<ImportContext, string, int> create)
    {
        Span<char> chars = stackalloc char[128];
        if (utf8.Length <= chars.Length)
        {
            var n = Encoding.UTF8.GetChars(utf8, chars);
            var lookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..n], out var found))
            {
                return found;
            }
        }

        var id = Encoding.UTF8.GetString(utf8);
        if (!cache.TryGetValue(id, out var key))
        {
            key = create(this, id);
            cache.Add(id, key);
        }

        return key;
    }
}
