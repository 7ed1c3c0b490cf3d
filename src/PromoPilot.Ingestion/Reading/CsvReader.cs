using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace PromoPilot.Ingestion.Reading;

public sealed record CsvOptions
{
    public byte Delimiter { get; init; } = (byte)',';

    /// <summary>When false, <see cref="ColumnNames"/> names the columns.</summary>
    public bool HasHeader { get; init; } = true;

    public IReadOnlyList<string>? ColumnNames { get; init; }

    /// <summary>Text is ISO-8859-1 (every byte valid) rather than UTF-8 (validated per record).</summary>
    public bool Latin1 { get; init; }

    /// <summary>A record longer than this (an unclosed quote, a binary blob) is cut off and quarantined.</summary>
    public int MaxRecordBytes { get; init; } = 1 << 20;
}

/// <summary>
/// A streaming RFC 4180 reader over UTF-8 or Latin-1 bytes, gzip detected by its magic number.
/// It never throws on bad data: a record that cannot be split is returned with an <see cref="Error"/>,
/// and reading resumes on the next line, so every physical line is accounted for.
/// </summary>
/// <remarks>
/// Quoted fields may span lines. A quote opens a quoted field only at the start of a field; inside an
/// unquoted field it is an ordinary character. An unclosed quote is cut at its own line.
/// </remarks>
public sealed class CsvReader : IRecordReader
{
    private const byte Quote = (byte)'"';
    private const byte Newline = (byte)'\n';
    private const byte Return = (byte)'\r';

    private readonly Stream _stream;
    private readonly CountingStream _counter;
    private readonly CsvOptions _options;
    private readonly Encoding _encoding;
    private readonly byte[] _buffer;
    private int _position;
    private int _length;
    private bool _endOfStream;
    private long _nextLine = 1;

    private int _recordStart;
    private int _recordLength;
    private int[] _fieldStart = new int[64];
    private int[] _fieldLength = new int[64];
    private bool[] _fieldUnescaped = new bool[64];
    private byte[] _scratch = new byte[4096];
    private int _scratchLength;
    private bool _skipRestOfLine;

    private CsvReader(Stream file, string fileName, CsvOptions options)
    {
        FileName = fileName;
        _options = options;
        _encoding = options.Latin1 ? Encoding.Latin1 : Encoding.UTF8;
        TotalBytes = file.CanSeek ? file.Length : 0;
        _counter = new CountingStream(file);
        _stream = IsGzip(file) ? new GZipStream(_counter, CompressionMode.Decompress) : _counter;
        _buffer = new byte[Math.Max(1 << 16, options.MaxRecordBytes + (1 << 16))];
        Fill();
        SkipByteOrderMark();
        Header = ReadHeader(options);
    }

    public string FileName { get; }

    public IReadOnlyList<string> Header { get; }

    public long Line { get; private set; }

    public int FieldCount { get; private set; }

    public RecordError Error { get; private set; }

    public long BytesRead => _counter.Count;

    public long TotalBytes { get; }

    /// <summary>Opens a file (plain or gzip). The name cited in errors is the file's name without folders.</summary>
    public static CsvReader Open(string path, CsvOptions? options = null)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return new CsvReader(file, Path.GetFileName(path), options ?? new CsvOptions());
    }

    public static CsvReader FromStream(Stream stream, string fileName, CsvOptions? options = null) =>
        new(stream, fileName, options ?? new CsvOptions());

    public bool Read()
    {
        // The rest of an overlong line is skipped only now, so the last record's bytes stay in the buffer for RawRecord.
        SkipToEndOfLine();
        while (true)
        {
            if (_position >= _length && !Fill())
            {
                return false;
            }

            var span = _buffer.AsSpan(_position, _length - _position);
            var outcome = ParseRecord(span, _endOfStream, out var consumed, out var linesSpanned);
            if (outcome == ParseOutcome.NeedMore && span.Length <= _options.MaxRecordBytes)
            {
                Fill();
                continue;
            }

            // A record longer than the limit is treated alike whether or not it ends within the buffer,
            // so where it falls in the buffer does not change how it is read.
            if (outcome == ParseOutcome.NeedMore || consumed > _options.MaxRecordBytes)
            {
                outcome = ResolveOverlongRecord(span, out consumed, out linesSpanned);
            }

            Line = _nextLine;
            _nextLine += linesSpanned;
            _recordStart = _position;
            _recordLength = consumed;
            _position += consumed;
            Error = outcome switch
            {
                ParseOutcome.Record when !_options.Latin1 && !Utf8.IsValid(span[..consumed]) => RecordError.InvalidEncoding,
                ParseOutcome.Record => RecordError.None,
                ParseOutcome.EmptyLine => RecordError.EmptyLine,
                ParseOutcome.Unterminated => RecordError.UnterminatedQuote,
                ParseOutcome.MalformedQuote => RecordError.MalformedQuote,
                ParseOutcome.TooLong => RecordError.RecordTooLong,
                _ => throw new InvalidOperationException(outcome.ToString()),
            };
            if (Error != RecordError.None)
            {
                FieldCount = 0;
            }

            return true;
        }
    }

    public ReadOnlySpan<byte> Field(int index)
    {
        if ((uint)index >= (uint)FieldCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"record has {FieldCount} fields");
        }

        return _fieldUnescaped[index]
            ? _scratch.AsSpan(_fieldStart[index], _fieldLength[index])
            : _buffer.AsSpan(_fieldStart[index], _fieldLength[index]);
    }

    /// <summary>A field decoded with the file's encoding.</summary>
    public string FieldString(int index) => _encoding.GetString(Field(index));

    public string RawRecord()
    {
        var raw = _buffer.AsSpan(_recordStart, Math.Min(_recordLength, 2000)).TrimEnd("\r\n"u8);
        return Error == RecordError.InvalidEncoding || _options.Latin1
            ? Encoding.Latin1.GetString(raw)
            : Encoding.UTF8.GetString(raw);
    }

    public void Dispose() => _stream.Dispose();

    private enum ParseOutcome
    {
        Record,
        EmptyLine,
        NeedMore,
        Unterminated,
        MalformedQuote,
        TooLong,
    }

    private ParseOutcome ParseRecord(ReadOnlySpan<byte> span, bool final, out int consumed, out int lines)
    {
        var delimiter = _options.Delimiter;
        consumed = 0;
        lines = 1;
        FieldCount = 0;
        _scratchLength = 0;
        var i = 0;

        // A lone CR at the very end is a line end too, as it is after the last field of a record.
        if (span.Length > 0 && (span[0] == Newline || (span[0] == Return && (span.Length > 1 ? span[1] == Newline : final))))
        {
            consumed = span[0] == Newline || span.Length == 1 ? 1 : 2;
            return ParseOutcome.EmptyLine;
        }

        while (true)
        {
            if (i < span.Length && span[i] == Quote)
            {
                var closing = FindClosingQuote(span, i + 1, out var hasEscapes);
                if (closing < 0)
                {
                    if (!final)
                    {
                        return ParseOutcome.NeedMore;
                    }

                    return CutAtFirstLine(span, out consumed, out lines, ParseOutcome.Unterminated);
                }

                if (closing + 1 >= span.Length && !final)
                {
                    return ParseOutcome.NeedMore;
                }

                lines += span[(i + 1)..closing].Count(Newline);
                AddField(span, i + 1, closing - i - 1, hasEscapes);
                i = closing + 1;
                if (i >= span.Length)
                {
                    consumed = i;
                    return ParseOutcome.Record;
                }

                var next = span[i];
                if (next == delimiter)
                {
                    i++;
                    continue;
                }

                if (next == Newline)
                {
                    consumed = i + 1;
                    return ParseOutcome.Record;
                }

                if (next == Return)
                {
                    if (i + 1 >= span.Length)
                    {
                        if (!final)
                        {
                            return ParseOutcome.NeedMore;
                        }

                        consumed = i + 1;
                        return ParseOutcome.Record;
                    }

                    if (span[i + 1] == Newline)
                    {
                        consumed = i + 2;
                        return ParseOutcome.Record;
                    }
                }

                // Text after a closing quote: the record is malformed; drop the rest of its last line.
                var end = span[i..].IndexOf(Newline);
                if (end < 0 && !final)
                {
                    return ParseOutcome.NeedMore;
                }

                consumed = end < 0 ? span.Length : i + end + 1;
                return ParseOutcome.MalformedQuote;
            }

            var rest = span[i..];
            var stop = rest.IndexOfAny(delimiter, Newline);
            if (stop < 0)
            {
                if (!final)
                {
                    return ParseOutcome.NeedMore;
                }

                AddField(span, i, TrimReturn(rest), hasEscapes: false);
                consumed = span.Length;
                return ParseOutcome.Record;
            }

            if (rest[stop] == delimiter)
            {
                AddField(span, i, stop, hasEscapes: false);
                i += stop + 1;
                continue;
            }

            AddField(span, i, TrimReturn(rest[..stop]), hasEscapes: false);
            consumed = i + stop + 1;
            return ParseOutcome.Record;
        }
    }

    private static int TrimReturn(ReadOnlySpan<byte> field) =>
        field.Length > 0 && field[^1] == Return ? field.Length - 1 : field.Length;

    private static int FindClosingQuote(ReadOnlySpan<byte> span, int from, out bool hasEscapes)
    {
        hasEscapes = false;
        var j = from;
        while (true)
        {
            var k = span[j..].IndexOf(Quote);
            if (k < 0)
            {
                return -1;
            }

            j += k;
            if (j + 1 < span.Length && span[j + 1] == Quote)
            {
                hasEscapes = true;
                j += 2;
                continue;
            }

            return j;
        }
    }

    private ParseOutcome ResolveOverlongRecord(ReadOnlySpan<byte> span, out int consumed, out int lines)
    {
        // A record that does not end within the limit: an unclosed quote is cut at its first line;
        // an overlong unquoted line is reported and skipped to its end.
        var firstNewline = span.IndexOf(Newline);
        if (firstNewline >= 0 && firstNewline < _options.MaxRecordBytes)
        {
            return CutAtFirstLine(span, out consumed, out lines, ParseOutcome.Unterminated);
        }

        consumed = span.Length;
        lines = 1;
        _skipRestOfLine = firstNewline < 0;
        if (firstNewline >= 0)
        {
            consumed = firstNewline + 1;
        }

        return ParseOutcome.TooLong;
    }

    private ParseOutcome CutAtFirstLine(ReadOnlySpan<byte> span, out int consumed, out int lines, ParseOutcome outcome)
    {
        var newline = span.IndexOf(Newline);
        consumed = newline < 0 ? span.Length : newline + 1;
        lines = 1;
        FieldCount = 0;
        return outcome;
    }

    private void SkipToEndOfLine()
    {
        while (_skipRestOfLine)
        {
            if (_position >= _length && !Fill())
            {
                _skipRestOfLine = false;
                return;
            }

            var newline = _buffer.AsSpan(_position, _length - _position).IndexOf(Newline);
            if (newline >= 0)
            {
                _position += newline + 1;
                _skipRestOfLine = false;
                return;
            }

            _position = _length;
        }
    }

    private void AddField(ReadOnlySpan<byte> span, int start, int length, bool hasEscapes)
    {
        if (FieldCount == _fieldStart.Length)
        {
            Array.Resize(ref _fieldStart, FieldCount * 2);
            Array.Resize(ref _fieldLength, FieldCount * 2);
            Array.Resize(ref _fieldUnescaped, FieldCount * 2);
        }

        if (hasEscapes)
        {
            if (_scratch.Length < _scratchLength + length)
            {
                Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchLength + length));
            }

            var source = span.Slice(start, length);
            var written = 0;
            for (var k = 0; k < source.Length; k++)
            {
                _scratch[_scratchLength + written++] = source[k];
                if (source[k] == Quote)
                {
                    k++;
                }
            }

            _fieldStart[FieldCount] = _scratchLength;
            _fieldLength[FieldCount] = written;
            _fieldUnescaped[FieldCount] = true;
            _scratchLength += written;
        }
        else
        {
            _fieldStart[FieldCount] = _position + start;
            _fieldLength[FieldCount] = length;
            _fieldUnescaped[FieldCount] = false;
        }

        FieldCount++;
    }

    /// <summary>Moves unread bytes to the front and reads more; false when nothing is left.</summary>
    private bool Fill()
    {
        if (_endOfStream)
        {
            return _position < _length;
        }

        if (_position > 0)
        {
            Buffer.BlockCopy(_buffer, _position, _buffer, 0, _length - _position);
            _length -= _position;
            _position = 0;
        }

        while (_length < _buffer.Length)
        {
            var n = _stream.Read(_buffer, _length, _buffer.Length - _length);
            if (n == 0)
            {
                _endOfStream = true;
                break;
            }

            _length += n;
        }

        return _position < _length;
    }

    private void SkipByteOrderMark()
    {
        if (!_options.Latin1 && _buffer.AsSpan(0, _length).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            _position = 3;
        }
    }

    private string[] ReadHeader(CsvOptions options)
    {
        if (!options.HasHeader)
        {
            return [.. options.ColumnNames ?? throw new ArgumentException("Column names are required when the file has no header.", nameof(options))];
        }

        if (!Read() || Error != RecordError.None)
        {
            throw new InvalidDataException($"{FileName}: line 1: missing or unreadable header row.");
        }

        var header = new string[FieldCount];
        for (var i = 0; i < header.Length; i++)
        {
            header[i] = FieldString(i).Trim();
        }

        return header;
    }

    private static bool IsGzip(Stream file)
    {
        if (!file.CanSeek || file.Length < 2)
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[2];
        file.ReadExactly(magic);
        file.Position = 0;
        return magic[0] == 0x1F && magic[1] == 0x8B;
    }
}
