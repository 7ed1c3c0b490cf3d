using System.Text;
using PromoPilot.Core;
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
    private readonly Pseudonymizer _pseudonymizer = pseudonymizer;
    private readonly KeyCache<int> _userKeys = new();
    private int[] _personalColumns = [];
    private int[] _withheldColumns = [];
    private readonly KeyCache<int> _itemKeys = new();
    private readonly KeyCache<long> _orderKeys = new();

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
    /// <param name="personalColumns">
    /// Columns holding customer identifiers: a quarantined row shows their pseudonym instead, and a row that
    /// cannot be split into fields is quarantined without its text, so no raw identifier reaches the store.
    /// </param>
    public void ReadAll(IRecordReader reader, Func<FieldReader, bool> accept, params int[] personalColumns) =>
        ReadAll(reader, accept, personalColumns, withheldColumns: []);

    /// <param name="withheldColumns">Columns never stored in any form (personal data a mapping drops): blanked in quarantined rows.</param>
    public void ReadAll(IRecordReader reader, Func<FieldReader, bool> accept, int[] personalColumns, int[] withheldColumns)
    {
        _personalColumns = personalColumns;
        _withheldColumns = withheldColumns;
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

    public void Quarantine(IRecordReader reader, string? column, string reason)
    {
        RowsQuarantined++;
        Writer.Quarantine(new QuarantinedRow(reader.FileName, reader.Line, column, reason, RedactedRaw(reader)));
    }

    private string? RedactedRaw(IRecordReader reader)
    {
        if (_personalColumns.Length == 0 && _withheldColumns.Length == 0)
        {
            return reader.RawRecord();
        }

        if (reader.Error != RecordError.None)
        {
            return null;
        }

        var fields = new string[reader.FieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            var value = reader.Field(i);
            fields[i] = Array.IndexOf(_withheldColumns, i) >= 0 ? "[withheld]"
                : Array.IndexOf(_personalColumns, i) < 0 || value.Trim(" \t"u8).IsEmpty ? Encoding.UTF8.GetString(value)
                : _pseudonymizer.Pseudonymize(Encoding.UTF8.GetString(value.Trim(" \t"u8)));
        }

        return string.Join('|', fields);
    }

    /// <summary>The key of a customer, by raw identifier; the raw value is pseudonymized and kept only in memory.</summary>
    public int UserKey(string rawUserId) => _userKeys.Get(rawUserId, this, static (c, id) => c.Writer.UserKey(c._pseudonymizer.Pseudonymize(id)));

    public int UserKey(ReadOnlySpan<byte> rawUserId) => _userKeys.Get(rawUserId, this, static (c, id) => c.Writer.UserKey(c._pseudonymizer.Pseudonymize(id)));

    public int ItemKey(string itemId) => _itemKeys.Get(itemId, this, static (c, id) => c.Writer.ItemKey(id));

    public int ItemKey(ReadOnlySpan<byte> itemId) => _itemKeys.Get(itemId, this, static (c, id) => c.Writer.ItemKey(id));

    public long OrderKey(string orderId) => _orderKeys.Get(orderId, this, static (c, id) => c.Writer.OrderKey(id));

    public long OrderKey(ReadOnlySpan<byte> orderId) => _orderKeys.Get(orderId, this, static (c, id) => c.Writer.OrderKey(id));

    /// <summary>Identifier to key, looked up from UTF-8 bytes without allocating once an identifier was seen.</summary>
    private sealed class KeyCache<T>
    {
        private readonly Dictionary<string, T> _keys = new(IdentifierComparer.Instance);
        private readonly Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

        public KeyCache() => _bySpan = _keys.GetAlternateLookup<ReadOnlySpan<char>>();

        public T Get(string id, ImportContext context, Func<ImportContext, string, T> create)
        {
            if (!_keys.TryGetValue(id, out var key))
            {
                key = create(context, id);
                _keys.Add(id, key);
            }

            return key;
        }

        public T Get(ReadOnlySpan<byte> utf8, ImportContext context, Func<ImportContext, string, T> create)
        {
            Span<char> chars = stackalloc char[128];
            if (utf8.Length <= chars.Length && _bySpan.TryGetValue(chars[..Encoding.UTF8.GetChars(utf8, chars)], out var found))
            {
                return found;
            }

            return Get(Encoding.UTF8.GetString(utf8), context, create);
        }
    }
}
