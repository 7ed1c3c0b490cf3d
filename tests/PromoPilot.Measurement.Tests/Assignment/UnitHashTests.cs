using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PromoPilot.Measurement.Experiments.Assignment;

namespace PromoPilot.Measurement.Tests.Assignment;

/// <summary>MurmurHash3 against published vectors, and the salt/unit/bucket mapping against the Python reference.</summary>
public class UnitHashTests
{
    private const string Seed = "(20261122,3)";

    /// <summary>The published MurmurHash3_x86_32 vectors (input bytes as hex, seed, hash); also checked by Fixtures/reference_hash.py.</summary>
    [Theory]
    [InlineData("", 0u, 0x00000000u)]
    [InlineData("", 1u, 0x514E28B7u)]
    [InlineData("", 0xFFFFFFFFu, 0x81F16F39u)]
    [InlineData("FFFFFFFF", 0u, 0x76293B50u)]
    [InlineData("21436587", 0u, 0xF55B516Bu)]
    [InlineData("21436587", 0x5082EDEEu, 0x2362F9DEu)]
    [InlineData("214365", 0u, 0x7E4A8634u)]
    [InlineData("2143", 0u, 0xA0F7B07Au)]
    [InlineData("21", 0u, 0x72661CF4u)]
    [InlineData("00000000", 0u, 0x2362F9DEu)]
    [InlineData("000000", 0u, 0x85F0B427u)]
    [InlineData("0000", 0u, 0x30F4C306u)]
    [InlineData("00", 0u, 0x514E28B7u)]
    public void Hash32_PublishedBinaryVectors_Match(string hex, uint seed, uint expected) =>
        Assert.Equal(expected, MurmurHash3.Hash32(Convert.FromHexString(hex), seed));

    [Theory]
    [InlineData("aaaa", 0x5A97808Au)]
    [InlineData("aaa", 0x283E0130u)]
    [InlineData("aa", 0x5D211726u)]
    [InlineData("a", 0x7FA09EA6u)]
    [InlineData("abcd", 0xF0478627u)]
    [InlineData("abc", 0xC84A62DDu)]
    [InlineData("ab", 0x74875592u)]
    [InlineData("Hello, world!", 0x24884CBAu)]
    [InlineData("ππππππππ", 0xD58063C1u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x2FA826CDu)]
    public void Hash32_PublishedTextVectors_Match(string text, uint expected) =>
        Assert.Equal(expected, MurmurHash3.Hash32(Encoding.UTF8.GetBytes(text), 0x9747B28C));

    /// <summary>SMHasher's verification value for MurmurHash3_x86_32 ("Murmur3A"): 0xB0F57EE3.</summary>
    [Fact]
    public void Hash32_SmhasherVerification_IsB0F57EE3()
    {
        var key = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var hashes = new byte[256 * 4];
        for (var i = 0; i < 256; i++)
        {
            BitConverter.TryWriteBytes(hashes.AsSpan(i * 4), MurmurHash3.Hash32(key.AsSpan(0, i), (uint)(256 - i)));
        }

        Assert.True(BitConverter.IsLittleEndian);
        Assert.Equal(0xB0F57EE3u, MurmurHash3.Hash32(hashes, 0));
    }

    /// <summary>Seeds, hashes, buckets and unit-interval points computed by Fixtures/reference_hash.py (an independent implementation).</summary>
    [Fact]
    public void UnitHash_GoldenRows_MatchPythonReference()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "assignment_hash_golden.json")));
        var rows = golden.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(UnitHash.Buckets, golden.RootElement.GetProperty("buckets").GetInt32());
        Assert.Equal(96, rows.Count);
        foreach (var row in rows)
        {
            var (salt, unit) = (row.GetProperty("salt").GetString()!, row.GetProperty("unit").GetString()!);
            var seed = UnitHash.Seed(salt);
            var hash = UnitHash.Hash(unit, seed);
            Assert.Equal(row.GetProperty("seed").GetUInt32(), seed);
            Assert.Equal(row.GetProperty("hash").GetUInt32(), hash);
            Assert.Equal(row.GetProperty("bucket").GetInt32(), UnitHash.Bucket(hash));
            Assert.Equal(row.GetProperty("unit_interval").GetDouble(), UnitHash.UnitInterval(hash));
        }
    }

    [Property(MaxTest = 300, Replay = Seed, QuietOnSuccess = true)]
    public Property Hash_AnyText_EqualsMurmurOfItsUtf8Bytes()
    {
        // Covers the stack path and the pooled path (more than 256 bytes), surrogate pairs and 3-byte characters.
        var text = Gen.Elements("a", "7", "-", "é", "€", "顧", "🙂").ArrayOf().Select(parts => string.Concat(parts)).Resize(400);
        return Prop.ForAll(text.ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (unit, seed) =>
            UnitHash.Hash(unit, (uint)seed) == MurmurHash3.Hash32(Encoding.UTF8.GetBytes(unit), (uint)seed));
    }

    [Property(MaxTest = 300, Replay = Seed, QuietOnSuccess = true)]
    public Property Hash32_ThreeSeeds_EqualsThreeSingleHashes() =>
        Prop.ForAll(Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().ToArbitrary(), Gen.Choose(int.MinValue, int.MaxValue).ArrayOf(3).ToArbitrary(), (data, seeds) =>
        {
            var (a, b, c) = ((uint)seeds[0], (uint)seeds[1], (uint)seeds[2]);
            return MurmurHash3.Hash32(data, a, b, c) == (MurmurHash3.Hash32(data, a), MurmurHash3.Hash32(data, b), MurmurHash3.Hash32(data, c));
        });

    [Fact]
    public void Bucket_Ends_AreFirstAndLastBucket()
    {
        Assert.Equal(0, UnitHash.Bucket(0));
        Assert.Equal(UnitHash.Buckets - 1, UnitHash.Bucket(uint.MaxValue));
        Assert.Equal(0.0, UnitHash.UnitInterval(0));
        Assert.True(UnitHash.UnitInterval(uint.MaxValue) < 1);
    }

    /// <summary>
    /// Multiply-shift: bucket b starts at hash ceil(b * 2^32 / 10000), so any contiguous range [a, b) holds
    /// ceil(b * 2^32 / N) - ceil(a * 2^32 / N) hashes: its exact share to within one hash. (Modulo would give the
    /// 7,296 lowest buckets one extra hash each: [0, 5000) would hold 5,000 hashes more than its share.)
    /// </summary>
    [Fact]
    public void Bucket_ContiguousRanges_HoldTheirExactShareWithinOneHash()
    {
        static ulong Start(long b) => (ulong)((((System.Numerics.BigInteger)b << 32) + UnitHash.Buckets - 1) / UnitHash.Buckets);
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var b = random.Next(1, UnitHash.Buckets);
            Assert.Equal(b, UnitHash.Bucket((uint)Start(b)));
            Assert.Equal(b - 1, UnitHash.Bucket((uint)(Start(b) - 1)));
            var a = random.Next(0, b);
            var exact = (b - a) * (4294967296.0 / UnitHash.Buckets);
            Assert.InRange(Start(b) - Start(a) - exact, -1, 1);
        }
    }
}
