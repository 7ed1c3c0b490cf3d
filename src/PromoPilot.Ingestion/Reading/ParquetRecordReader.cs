using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Serialization;

namespace PromoPilot.Ingestion.Reading;

/// <summary>
/// Reads a Parquet file one row group at a time and presents its rows as records of text fields, so the
/// same validation path serves CSV and Parquet. Values are written invariantly (timestamps as ISO).
/// </summary>
public sealed class ParquetRecordReader : IRecordReader
{
    private readonly FileStream _stream;
    private readonly int _rowGroups;
    private int _nextRowGroup;
    private IList<Dictionary<string, object>> _rows = [];
    private int _rowInGroup = -1;
    private byte[] _scratch = new byte[256];

    public ParquetRecordReader(string path)
    {
        FileName = Path.GetFileName(path);
        _stream = File.OpenRead(path);
        TotalBytes = _stream.Length;
        try
        {
            var reader = ParquetReader.CreateAsync(_stream, leaveStreamOpen: true).GetAwaiter().GetResult();
            _rowGroups = reader.RowGroupCount;
            Header = [.. reader.Schema.GetDataFields().Select(f => f.Name)];
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            _stream.Dispose();
            throw new InvalidDataException($"{FileName}: not a readable Parquet file: {e.Message}", e);
        }
    }

    public string FileName { get; }

    public IReadOnlyList<string> Header { get; }

    public long Line { get; private set; }

    public int FieldCount => Header.Count;

    public RecordError Error => RecordError.None;

    public long BytesRead => TotalBytes * _nextRowGroup / Math.Max(1, _rowGroups);

    public long TotalBytes { get; }

    public bool Read()
    {
        while (++_rowInGroup >= _rows.Count)
        {
            if (_nextRowGroup >= _rowGroups)
            {
                return false;
            }

            _stream.Position = 0;
            _rows = ParquetSerializer.DeserializeUntypedAsync(_stream, rowGroupIndex: _nextRowGroup++).GetAwaiter().GetResult().Data;
            _rowInGroup = -1;
        }

        Line++;
        return true;
    }

    public ReadOnlySpan<byte> Field(int index)
    {
        var text = FieldString(index);
        var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_scratch.Length < needed)
        {
            _scratch = new byte[Math.Max(needed, _scratch.Length * 2)];
        }

        return _scratch.AsSpan(0, Encoding.UTF8.GetBytes(text, _scratch));
    }

    public string FieldString(int index)
    {
        var value = _rows[_rowInGroup].GetValueOrDefault(Header[index]);
        return value switch
        {
            null => "",
            string s => s,
            DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
            DateTimeOffset o => o.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    public string RawRecord() => string.Join(",", Header.Select((name, i) => $"{name}={FieldString(i)}"));

    public void Dispose() => _stream.Dispose();
}
