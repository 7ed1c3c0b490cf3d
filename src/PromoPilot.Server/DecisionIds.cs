using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PromoPilot.Server;

/// <summary>
/// Decision ids: UUID version 7 (RFC 9562: a 48-bit millisecond timestamp, then 74 random bits), written as 32 lowercase
/// hex digits like <c>Guid.ToString("N")</c>. The random bits come from a per-thread block of cryptographic random bytes
/// refilled every 256 ids; <see cref="Guid.CreateVersion7(DateTimeOffset)"/> asks the operating system for them at every
/// call, a system call per decision.
/// </summary>
public static class DecisionIds
{
    private const int IdBytes = 16;
    private const int BlockBytes = 256 * IdBytes;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_used;

    /// <summary>A new id stamped with <paramref name="now"/>.</summary>
    public static string Next(DateTimeOffset now)
    {
        if (t_block is null || t_used == BlockBytes)
        {
            t_block ??= new byte[BlockBytes];
            RandomNumberGenerator.Fill(t_block);
            t_used = 0;
        }

        Span<byte> id = stackalloc byte[IdBytes];
        t_block.AsSpan(t_used, IdBytes).CopyTo(id);
        t_used += IdBytes;
        Span<byte> stamp = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(stamp, now.ToUnixTimeMilliseconds());
        stamp[2..].CopyTo(id); // the low 48 bits, big-endian
        id[6] = (byte)(0x70 | (id[6] & 0x0F)); // version 7
        id[8] = (byte)(0x80 | (id[8] & 0x3F)); // variant 10
        return Convert.ToHexStringLower(id);
    }
}
