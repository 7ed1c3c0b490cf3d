using System.Globalization;
using System.Text;

namespace PromoPilot.Ingestion.Reading;

/// <summary>Date parsing with a fast path for ISO forms and explicit .NET formats otherwise.</summary>
public static class DateParsing
{
    /// <summary>
    /// Parses yyyy-MM-dd, yyyy-MM-dd HH:mm, yyyy-MM-dd HH:mm:ss (T allowed, fraction allowed) without
    /// allocating, or else each of <paramref name="formats"/> (invariant culture) in turn.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> raw, IReadOnlyList<string>? formats, out DateTime value)
    {
        if (formats is not { Count: > 0 })
        {
            return TryParseIso(raw, out value);
        }

        Span<char> chars = stackalloc char[64];
        if (raw.Length > chars.Length)
        {
            value = default;
            return false;
        }

        var n = Encoding.UTF8.GetChars(raw, chars);
        foreach (var format in formats)
        {
            if (string.Equals(format, "iso", StringComparison.OrdinalIgnoreCase) ? TryParseIso(raw, out value) :
                DateTime.TryParseExact(chars[..n], format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value))
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    public static bool TryParseIso(ReadOnlySpan<byte> s, out DateTime value)
    {
        value = default;
        if (s.Length < 10 || s[4] != '-' || s[7] != '-'
            || !TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        if (s.Length > 10)
        {
            if ((s[10] != ' ' && s[10] != 'T') || s.Length < 16 || s[13] != ':'
                || !TryDigits(s.Slice(11, 2), out hour) || !TryDigits(s.Slice(14, 2), out minute) || hour > 23 || minute > 59)
            {
                return false;
            }

            var rest = s[16..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':' || rest.Length < 3 || !TryDigits(rest.Slice(1, 2), out second) || second > 59)
                {
                    return false;
                }

                rest = rest[3..];
                if (rest.Length > 0)
                {
                    if (rest[0] != '.' || rest.Length < 2 || rest.Length > 8 || !TryDigits(rest[1..], out var fraction))
                    {
                        return false;
                    }

                    fractionTicks = fraction * (long)Math.Pow(10, 7 - (rest.Length - 1));
                }
            }
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return s.Length > 0;
    }
}
