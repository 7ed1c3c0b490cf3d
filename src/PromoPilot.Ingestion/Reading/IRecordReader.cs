namespace PromoPilot.Ingestion.Reading;

/// <summary>Why a record could not even be split into fields.</summary>
public enum RecordError
{
    None,
    EmptyLine,
    InvalidEncoding,
    UnterminatedQuote,
    MalformedQuote,
    RecordTooLong,
}

/// <summary>
/// A forward-only reader of records with named columns (CSV, Parquet). Fields are exposed as UTF-8
/// bytes so numbers and dates parse without allocating strings.
/// </summary>
public interface IRecordReader : IDisposable
{
    /// <summary>The file name quarantine reasons cite.</summary>
    string FileName { get; }

    IReadOnlyList<string> Header { get; }

    /// <summary>1-based line of the current record in the file (row number for Parquet).</summary>
    long Line { get; }

    int FieldCount { get; }

    RecordError Error { get; }

    /// <summary>Bytes consumed from the underlying file so far, for progress.</summary>
    long BytesRead { get; }

    /// <summary>Size of the underlying file, for progress.</summary>
    long TotalBytes { get; }

    bool Read();

    ReadOnlySpan<byte> Field(int index);

    /// <summary>A field as text, decoded with the file's encoding.</summary>
    string FieldString(int index);

    /// <summary>The current record as text, shortened, for the quarantine table.</summary>
    string RawRecord();
}

public static class RecordErrors
{
    public static string Describe(this RecordError error) => error switch
    {
        RecordError.EmptyLine => "empty line",
        RecordError.InvalidEncoding => "invalid UTF-8 byte sequence (bad encoding)",
        RecordError.UnterminatedQuote => "quoted field is never closed",
        RecordError.MalformedQuote => "unexpected character after a closing quote",
        RecordError.RecordTooLong => "record longer than the maximum record size",
        _ => "ok",
    };
}
