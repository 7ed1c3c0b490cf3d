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
