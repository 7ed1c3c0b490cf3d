using System.Buffers.Binary;
using System.Text;

namespace PromoPilot.Decisioning;

/// <summary>
/// The binary layout of a <see cref="DecisionRecord"/> inside a decision id, little-endian: decision id, user id,
/// decided-at UTC ticks (8 bytes) and offset minutes (2), the number of offers (1), then per offer its campaign id,
/// offer id and cost (a presence byte, then the decimal's four 32-bit parts). Strings are a 7-bit-encoded byte length
/// and UTF-8. About a third of the JSON's size, and written without allocating.
/// </summary>
internal static class DecisionRecordCodec
{
    /// <summary>The bytes <see cref="Write"/> needs for <paramref name="record"/>.</summary>
    public static int Size(DecisionRecord record)
    {
        if (record.Offers.Count > byte.MaxValue)
        {
            throw new ArgumentException($"a decision record carries at most {byte.MaxValue} offers, not {record.Offers.Count}", nameof(record));
        }

        var size = StringSize(record.DecisionId) + StringSize(record.UserId) + 8 + 2 + 1;
        foreach (var offer in record.Offers)
        {
            size += StringSize(offer.CampaignId) + StringSize(offer.OfferId) + 1 + (offer.CostPerRedemption is null ? 0 : 16);
        }

        return size;
    }

    /// <summary>Writes <paramref name="record"/> into exactly <see cref="Size"/> bytes.</summary>
    public static void Write(DecisionRecord record, Span<byte> destination)
    {
        var at = 0;
        WriteString(record.DecisionId, destination, ref at);
        WriteString(record.UserId, destination, ref at);
        BinaryPrimitives.WriteInt64LittleEndian(destination[at..], record.DecidedAt.UtcTicks);
        BinaryPrimitives.WriteInt16LittleEndian(destination[(at + 8)..], (short)record.DecidedAt.Offset.TotalMinutes);
        destination[at + 10] = (byte)record.Offers.Count;
        at += 11;
        Span<int> parts = stackalloc int[4];
        foreach (var offer in record.Offers)
        {
            WriteString(offer.CampaignId, destination, ref at);
            WriteString(offer.OfferId, destination, ref at);
            destination[at++] = offer.CostPerRedemption is null ? (byte)0 : (byte)1;
            if (offer.CostPerRedemption is { } cost)
            {
                decimal.GetBits(cost, parts);
                for (var i = 0; i < 4; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(destination[(at + 4 * i)..], parts[i]);
                }

                at += 16;
            }
        }
    }

    /// <summary>The record in <paramref name="source"/>; null when the bytes are not a whole record.</summary>
    public static DecisionRecord? Read(ReadOnlySpan<byte> source)
    {
        var at = 0;
        if (!TryReadString(source, ref at, out var decisionId) || !TryReadString(source, ref at, out var userId) || source.Length - at < 11)
        {
            return null;
        }

        var ticks = BinaryPrimitives.ReadInt64LittleEndian(source[at..]);
        var offsetMinutes = BinaryPrimitives.ReadInt16LittleEndian(source[(at + 8)..]);
        int count = source[at + 10];
        at += 11;
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || Math.Abs(offsetMinutes) > 14 * 60)
        {
            return null;
        }

        var offers = new GrantedOffer[count];
        Span<int> parts = stackalloc int[4];
        for (var i = 0; i < count; i++)
        {
            if (!TryReadString(source, ref at, out var campaignId) || !TryReadString(source, ref at, out var offerId) || at >= source.Length)
            {
                return null;
            }

            decimal? cost = null;
            if (source[at++] == 1)
            {
                if (source.Length - at < 16)
                {
                    return null;
                }

                for (var p = 0; p < 4; p++)
                {
                    parts[p] = BinaryPrimitives.ReadInt32LittleEndian(source[(at + 4 * p)..]);
                }

                at += 16;
                try
                {
                    cost = new decimal(parts);
                }
                catch (ArgumentException)
                {
                    return null;
                }
            }

            offers[i] = new GrantedOffer(campaignId, offerId, cost);
        }

        if (at != source.Length)
        {
            return null;
        }

        try
        {
            var decidedAt = new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
            return new DecisionRecord(decisionId, userId, decidedAt, offers);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static int StringSize(string value)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        return LengthSize(bytes) + bytes;
    }

    private static int LengthSize(int length) => length < 0x80 ? 1 : length < 0x4000 ? 2 : length < 0x200000 ? 3 : length < 0x10000000 ? 4 : 5;

    private static void WriteString(string value, Span<byte> destination, ref int at)
    {
        var length = (uint)Encoding.UTF8.GetByteCount(value);
        while (length >= 0x80)
        {
            destination[at++] = (byte)(length | 0x80);
            length >>= 7;
        }

        destination[at++] = (byte)length;
        at += Encoding.UTF8.GetBytes(value, destination[at..]);
    }

    private static bool TryReadString(ReadOnlySpan<byte> source, ref int at, out string value)
    {
        value = "";
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (at >= source.Length || shift > 28)
            {
                return false;
            }

            var part = source[at++];
            length |= (part & 0x7f) << shift;
            if (part < 0x80)
            {
                break;
            }
        }

        if (length < 0 || length > source.Length - at)
        {
            return false;
        }

        value = Encoding.UTF8.GetString(source.Slice(at, length));
        at += length;
        return true;
    }
}
