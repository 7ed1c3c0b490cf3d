using System.Security.Cryptography;
using PromoPilot.Decisioning.State;

namespace PromoPilot.Decisioning.Tests;

public class DecisionTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly DecisionRecord Record = new("0194f1", "pseudonym-42", Now, [new GrantedOffer("spring", "ten_off", 10m), new GrantedOffer("spring", "pct", null)]);

    [Fact]
    public void Seal_ThenOpen_GivesTheRecordBackAndHidesItsContent()
    {
        using var tokens = new DecisionTokens(RandomNumberGenerator.GetBytes(32));
        var id = tokens.Seal(Record);

        var opened = tokens.Open(id)!;

        Assert.StartsWith(DecisionTokens.Prefix, id, StringComparison.Ordinal);
        Assert.DoesNotContain("pseudonym", id, StringComparison.Ordinal);
        Assert.Equal(Record.DecisionId, opened.DecisionId);
        Assert.Equal(Record.UserId, opened.UserId);
        Assert.Equal(Record.DecidedAt, opened.DecidedAt);
        Assert.Equal(Record.Offers, opened.Offers);
        Assert.NotEqual(id, tokens.Seal(Record)); // a fresh nonce every time
    }

    [Fact]
    public void Seal_ThenOpen_RandomRecords_RoundTripExactly()
    {
        using var tokens = new DecisionTokens(RandomNumberGenerator.GetBytes(32));
        var random = new Random(11);
        string Text(int most) => new([.. Enumerable.Range(0, random.Next(most + 1)).Select(_ => random.Next(4) == 0 ? (char)random.Next(0xa0, 0xd7ff) : (char)random.Next(32, 127))]);
        for (var i = 0; i < 2_000; i++)
        {
            var offers = Enumerable.Range(0, random.Next(11)).Select(_ => new GrantedOffer(Text(20), Text(20),
                random.Next(3) == 0 ? null : new decimal(random.Next(), random.Next(), random.Next(4), random.Next(2) == 0, (byte)random.Next(29)))).ToArray();
            var decidedAt = new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay),
                TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1)));
            var record = new DecisionRecord(Text(40), Text(100), decidedAt, offers); // at most ~2,400 characters sealed, within MaxLength

            var opened = tokens.Open(tokens.Seal(record))!;

            Assert.Equal(record.DecisionId, opened.DecisionId);
            Assert.Equal(record.UserId, opened.UserId);
            Assert.Equal(record.DecidedAt, opened.DecidedAt);
            Assert.Equal(record.DecidedAt.Offset, opened.DecidedAt.Offset);
            Assert.Equal(record.Offers, opened.Offers);
            Assert.Equal(record.Offers.Select(o => o.CostPerRedemption?.Scale), opened.Offers.Select(o => o.CostPerRedemption?.Scale));
        }
    }

    [Fact]
    public async Task Seal_ManyThreads_NeverRepeatANonce()
    {
        using var tokens = new DecisionTokens(RandomNumberGenerator.GetBytes(32));
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 5_000).Select(_ => tokens.Seal(Record)).ToArray())));

        var nonces = ids.SelectMany(batch => batch).Select(id => Convert.ToHexString(System.Buffers.Text.Base64Url.DecodeFromChars(id.AsSpan(DecisionTokens.Prefix.Length))[..12])).ToList();

        Assert.Equal(nonces.Count, nonces.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Seal_TypicalDecision_StaysShort()
    {
        using var tokens = new DecisionTokens(RandomNumberGenerator.GetBytes(32));
        var record = new DecisionRecord(Guid.CreateVersion7(Now).ToString("N"), new string('p', 43), Now, [new GrantedOffer("bench13", "c13o2", 3m), new GrantedOffer("bench07", "c07o4", 20m)]);

        // 33 + 44 + 11 + 2 × (8 + 6 + 17) = 150 bytes packed, 28 of nonce and tag: 178 bytes, 238 characters of base64.
        Assert.Equal(DecisionTokens.Prefix.Length + 238, tokens.Seal(record).Length);
    }

    [Fact]
    public void Open_AlteredForeignOrMalformedIds_GivesNull()
    {
        using var tokens = new DecisionTokens(RandomNumberGenerator.GetBytes(32));
        using var other = new DecisionTokens(RandomNumberGenerator.GetBytes(32));
        var id = tokens.Seal(Record);
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var chars = id.ToCharArray();
            var at = random.Next(DecisionTokens.Prefix.Length, chars.Length);
            chars[at] = chars[at] == 'A' ? 'B' : 'A';
            Assert.Null(tokens.Open(new string(chars)));
        }

        Assert.Null(other.Open(id));
        Assert.Null(tokens.Open("0194f1"));
        Assert.Null(tokens.Open(DecisionTokens.Prefix + "!!not base64!!"));
        Assert.Null(tokens.Open(DecisionTokens.Prefix));
        Assert.Null(tokens.Open(DecisionTokens.Prefix + new string('A', DecisionTokens.MaxLength)));
    }

    [Fact]
    public async Task OpenAsync_ServersSharingTheOnlineState_ShareTheKey()
    {
        var state = new InProcessOnlineState(TimeProvider.System);
        using var first = await DecisionTokens.OpenAsync(state);
        using var second = await DecisionTokens.OpenAsync(state);
        using var elsewhere = await DecisionTokens.OpenAsync(new InProcessOnlineState(TimeProvider.System));

        var id = first.Seal(Record);

        Assert.Equal(Record.UserId, second.Open(id)?.UserId);
        Assert.Null(elsewhere.Open(id));
    }

    [Fact]
    public void Constructor_KeyNot32Bytes_Throws() =>
        Assert.Throws<ArgumentException>(() => new DecisionTokens(new byte[16]));
}
