using System.Buffers;
using System.Text;

namespace PromoPilot.Measurement.Experiments.Assignment;

/// <summary>
/// How a unit id becomes a position in an experiment's hash space (docs/experiment-assignment.md):
/// <c>hash = MurmurHash3_x86_32(UTF-8(unit id), seed)</c> with <c>seed = MurmurHash3_x86_32(UTF-8(salt), 0)</c>.
/// The salt picks the seed, so one salt's positions are independent of another's, and no separator between salt
/// and id is needed (nothing to escape, no "ab"+"c" = "a"+"bc" ambiguity).
/// </summary>
/// <remarks>
/// A hash maps to a bucket in [0, <see cref="Buckets"/>) by <c>(hash * Buckets) &gt;&gt; 32</c> and to the unit
/// interval by <c>hash / 2^32</c>. No mapping of 2^32 values onto 10,000 buckets can be exactly uniform (each bucket
/// gets 429,496 or 429,497 hashes); <c>hash % 10000</c> would give the extra hash to the 7,296 lowest buckets, so the
/// first variant's contiguous range would be systematically favoured. Multiply-shift spreads the extra hashes evenly:
/// any contiguous range of buckets holds its exact share of the 2^32 hashes to within one hash (2.3e-10).
/// </remarks>
public static class UnitHash
{
    /// <summary>Resolution of variant allocation: a variant's share is a whole number of buckets (0.01 %).</summary>
    public const int Buckets = 10_000;

    /// <summary>Unit ids up to this many UTF-8 bytes are encoded on the stack; longer ones in a pooled array.</summary>
    internal const int StackBytes = 256;

    private const double TwoToMinus32 = 1.0 / 4294967296.0;

    /// <summary>The hash seed of a salt: MurmurHash3_x86_32(UTF-8(salt), 0).</summary>
    public static uint Seed(string salt)
    {
        ArgumentNullException.ThrowIfNull(salt);
        return Hash(salt, 0);
    }

    /// <summary>The hash of <paramref name="unitId"/> under <paramref name="seed"/>.</summary>
    public static uint Hash(string unitId, uint seed)
    {
        ArgumentNullException.ThrowIfNull(unitId);
        byte[]? rented = null;
        var bytes = Encode(unitId, stackalloc byte[StackBytes], ref rented);
        var hash = MurmurHash3.Hash32(bytes, seed);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return hash;
    }

    /// <summary>The bucket in [0, <see cref="Buckets"/>) of a hash: <c>(hash * Buckets) &gt;&gt; 32</c>.</summary>
    public static int Bucket(uint hash) => (int)(((ulong)hash * Buckets) >> 32);

    /// <summary>The hash as a point of [0, 1): <c>hash / 2^32</c> (exact in a double).</summary>
    public static double UnitInterval(uint hash) => hash * TwoToMinus32;

    /// <summary>UTF-8 bytes of <paramref name="text"/> in <paramref name="stack"/>, or in a pooled array (returned by the caller) when too long.</summary>
    internal static ReadOnlySpan<byte> Encode(string text, Span<byte> stack, ref byte[]? rented)
    {
        if (text.Length <= stack.Length / 3)
        {
            return stack[..Encoding.UTF8.GetBytes(text, stack)];
        }

        var count = Encoding.UTF8.GetByteCount(text);
        var buffer = count <= stack.Length ? stack : (rented = ArrayPool<byte>.Shared.Rent(count));
        return buffer[..Encoding.UTF8.GetBytes(text, buffer)];
    }
}
