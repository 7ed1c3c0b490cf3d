using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace PromoPilot.Ingestion.Reading;

/// <summary>
/// Typed access to the fields of the current record. A failed parse does not throw: it remembers the
/// first failing column and reason (for the quarantine) and returns a default the caller discards.
/// </summary>
public sealed class FieldReader(IRecordReader reader)
{
    public IRecordReader Reader { get; } = reader;

    public string? ErrorColumn { get; private set; }

    public string? ErrorReason { get; private set; }

    public bool Failed => ErrorReason is not null;

    public void Reset()
    {
        ErrorColumn = null;
        ErrorReason = null;
    }

    /// <summary>Index of a column by its header name (case-insensitive); throws naming the file when absent.</summary>
    public int Column(string name)
    {
        for (var i = 0; i < Reader.Header.Count; i++)
        {
            if (string.Equals(Reader.Header[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new InvalidDataException($"{Reader.FileName}: line 1: required column '{name}' is missing (columns: {string.Join(", ", Reader.Header)}).");
    }

    /// <summary>Index of an optional column, or -1.</summary>
    public int OptionalColumn(string name)
    {
        for (var i = 0; i < Reader.Header.Count; i++)
        {
            if (string.Equals(Reader.Header[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Marks the record as rejected with a reason (for checks beyond one field's syntax).</summary>
    public bool Reject(int column, string reason)
    {
        if (!Failed)
        {
            ErrorColumn = column >= 0 ? Reader.Header[column] : null;
            ErrorReason = reason;
        }

        return false;
    }

    public ReadOnlySpan<byte> Raw(int column) => column < 0 ? [] : Reader.Field(column).Trim(" \t"u8);

    public bool IsEmpty(int column) => column < 0 || Raw(column).IsEmpty || IsNullToken(Raw(column));

    /// <summary>A text field; empty or NA gives null, or a rejection when required.</summary>
    public string? Text(int column, bool required = false)
    {
        if (IsEmpty(column))
        {
            if (required)
            {
                Reject(column, "required value is missing");
            }

            return null;
        }

        return Reader.FieldString(column).Trim();
    }

    public long Int64(int column, long min = long.MinValue, long max = long.MaxValue)
    {
        var raw = Raw(column);
        if (raw.IsEmpty)
        {
            Reject(column, "required number is missing");
            return 0;
        }

        if (!Utf8Parser.TryParse(raw, out long value, out var used) || used != raw.Length)
        {
            // Integers written as floats ("3.0") by R and pandas exports.
            if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15)
            {
                value = (long)d;
            }
            else
            {
                Reject(column, $"'{Shorten(raw)}' is not an integer");
                return 0;
            }
        }

        if (value < min || value > max)
        {
            Reject(column, $"{value} is outside [{min}, {max}]");
        }

        return value;
    }

    public int Int32(int column, int min = int.MinValue, int max = int.MaxValue) => (int)Int64(column, min, max);

    public long? Int64OrNull(int column, long min = long.MinValue, long max = long.MaxValue) =>
        IsEmpty(column) ? null : Int64(column, min, max);

    public double Double(int column, double min = double.MinValue, double max = double.MaxValue)
    {
        var raw = Raw(column);
        if (raw.IsEmpty)
        {
            Reject(column, "required number is missing");
            return 0;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Reject(column, $"'{Shorten(raw)}' is not a finite number");
            return 0;
        }

        if (value < min || value > max)
        {
            Reject(column, $"{value.ToString(CultureInfo.InvariantCulture)} is outside [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
        }

        return value;
    }

    public double? DoubleOrNull(int column, double min = double.MinValue, double max = double.MaxValue) =>
        IsEmpty(column) ? null : Double(column, min, max);

    /// <summary>A money amount: decimal, at most <paramref name="maxAbs"/> in magnitude.</summary>
    public decimal Decimal(int column, decimal maxAbs = 1_000_000_000m, bool allowNegative = true)
    {
        var raw = Raw(column);
        if (raw.IsEmpty)
        {
            Reject(column, "required amount is missing");
            return 0;
        }

        if (!decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            Reject(column, $"'{Shorten(raw)}' is not a decimal amount");
            return 0;
        }

        if (Math.Abs(value) > maxAbs || (!allowNegative && value < 0))
        {
            Reject(column, $"{value.ToString(CultureInfo.InvariantCulture)} is outside [{(allowNegative ? -maxAbs : 0).ToString(CultureInfo.InvariantCulture)}, {maxAbs.ToString(CultureInfo.InvariantCulture)}]");
        }

        return value;
    }

    public decimal? DecimalOrNull(int column, decimal maxAbs = 1_000_000_000m, bool allowNegative = true) =>
        IsEmpty(column) ? null : Decimal(column, maxAbs, allowNegative);

    /// <summary>TRUE/FALSE, true/false, 1/0, yes/no, Y/N.</summary>
    public bool Bool(int column)
    {
        var raw = Raw(column);
        if (raw.IsEmpty)
        {
            Reject(column, "required flag is missing");
            return false;
        }

        if (IsAny(raw, "true"u8, "1"u8, "yes"u8) || IsAny(raw, "y"u8, "t"u8, "1"u8))
        {
            return true;
        }

        if (IsAny(raw, "false"u8, "0"u8, "no"u8) || IsAny(raw, "n"u8, "f"u8, "0"u8))
        {
            return false;
        }

        Reject(column, $"'{Shorten(raw)}' is not a true/false flag");
        return false;
    }

    public bool? BoolOrNull(int column) => IsEmpty(column) ? null : Bool(column);

    /// <summary>A timestamp in ISO form (yyyy-MM-dd, optionally with HH:mm[:ss[.fff]]), or one of the given formats.</summary>
    public DateTime Timestamp(int column, IReadOnlyList<string>? formats = null, DateTime? min = null, DateTime? max = null)
    {
        var raw = Raw(column);
        if (raw.IsEmpty)
        {
            Reject(column, "required timestamp is missing");
            return default;
        }

        if (!DateParsing.TryParse(raw, formats, out var value))
        {
            Reject(column, $"'{Shorten(raw)}' is not a date{(formats is { Count: > 0 } ? $" in format {string.Join(" or ", formats)}" : " (expected yyyy-MM-dd[ HH:mm:ss])")}");
            return default;
        }

        if ((min is { } lo && value < lo) || (max is { } hi && value > hi))
        {
            Reject(column, $"{value:yyyy-MM-dd HH:mm:ss} is outside the plausible range");
        }

        return value;
    }

    public DateTime? TimestampOrNull(int column, IReadOnlyList<string>? formats = null) =>
        IsEmpty(column) ? null : Timestamp(column, formats);

    private static bool IsAny(ReadOnlySpan<byte> value, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c) =>
        Ascii.EqualsIgnoreCase(value, a) || Ascii.EqualsIgnoreCase(value, b) || Ascii.EqualsIgnoreCase(value, c);

    private static bool IsNullToken(ReadOnlySpan<byte> raw) => raw.SequenceEqual("NA"u8) || raw.SequenceEqual("NULL"u8) || raw.SequenceEqual("null"u8);

    private static string Shorten(ReadOnlySpan<byte> raw)
    {
        var text = Encoding.UTF8.GetString(raw.Length > 40 ? raw[..40] : raw);
        return raw.Length > 40 ? text + "…" : text;
    }
}
