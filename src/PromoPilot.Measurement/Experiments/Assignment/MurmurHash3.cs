using System.Buffers.Binary;
using System.Numerics;

namespace PromoPilot.Measurement.Experiments.Assignment;

/// <summary>
/// MurmurHash3 x86_32 (Austin Appleby, SMHasher, public domain algorithm): a fast non-cryptographic 32-bit hash
/// with full avalanche. Checked against the published test vectors and SMHasher's verification value 0xB0F57EE3.
/// </summary>
public static class MurmurHash3
{
    private const uint C1 = 0xCC9E2D51;
    private const uint C2 = 0x1B873593;

    /// <summary>The 32-bit hash of <paramref name="data"/> with <paramref name="seed"/> (blocks read little-endian).</summary>
    public static uint Hash32(ReadOnlySpan<byte> data, uint seed)
    {
        var h = seed;
        var whole = data.Length & ~3;
        for (var i = 0; i < whole; i += 4)
        {
            h = Round(h, Scramble(BinaryPrimitives.ReadUInt32LittleEndian(data[i..])));
        }

        return Finish(h ^ Tail(data, whole), data.Length);
    }

    /// <summary>
    /// The hashes of the same <paramref name="data"/> under three seeds in one pass, equal to three calls of
    /// <see cref="Hash32(ReadOnlySpan{byte}, uint)"/>: a block's scrambling does not depend on the seed, so it is done
    /// once, and the three mixing chains run side by side (about twice as fast as three calls).
    /// </summary>
    public static (uint A, uint B, uint C) Hash32(ReadOnlySpan<byte> data, uint seedA, uint seedB, uint seedC)
    {
        var (a, b, c) = (seedA, seedB, seedC);
        var whole = data.Length & ~3;
        for (var i = 0; i < whole; i += 4)
        {
            var k = Scramble(BinaryPrimitives.ReadUInt32LittleEndian(data[i..]));
            (a, b, c) = (Round(a, k), Round(b, k), Round(c, k));
        }

        var tail = Tail(data, whole);
        return (Finish(a ^ tail, data.Length), Finish(b ^ tail, data.Length), Finish(c ^ tail, data.Length));
    }

    private static uint Scramble(uint k) => BitOperations.RotateLeft(k * C1, 15) * C2;

    private static uint Round(uint h, uint k) => (BitOperations.RotateLeft(h ^ k, 13) * 5) + 0xE6546B64;

    /// <summary>The scrambled last 1 to 3 bytes, or 0 when there are none (x ^ 0 = x: no tail step).</summary>
    private static uint Tail(ReadOnlySpan<byte> data, int whole)
    {
        uint tail = 0;
        switch (data.Length - whole)
        {
            case 3:
                tail = (uint)data[whole + 2] << 16;
                goto case 2;
            case 2:
                tail |= (uint)data[whole + 1] << 8;
                goto case 1;
            case 1:
                tail |= data[whole];
                return Scramble(tail);
            default:
                return 0;
        }
    }

    /// <summary>Mixes in the length and avalanches (fmix32).</summary>
    private static uint Finish(uint h, int length)
    {
        h ^= (uint)length;
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >> 16);
    }
}
