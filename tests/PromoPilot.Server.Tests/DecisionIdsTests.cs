using System.Globalization;

namespace PromoPilot.Server.Tests;

public class DecisionIdsTests
{
    [Fact]
    public void Next_ManyIds_AreVersion7UuidsStampedWithTheTime()
    {
        var now = new DateTimeOffset(2026, 11, 23, 7, 15, 42, 123, TimeSpan.FromHours(2));
        for (var i = 0; i < 2_000; i++) // several refills of the per-thread block
        {
            var id = DecisionIds.Next(now.AddMilliseconds(i));

            Assert.Matches("^[0-9a-f]{32}$", id);
            var guid = Guid.ParseExact(id, "N");
            Assert.Equal(7, guid.Version);
            Assert.Equal(id, guid.ToString("N"));
            Assert.Equal(0x8, guid.Variant & 0xC); // RFC 9562 variant: bits 10
            Assert.Equal(now.AddMilliseconds(i).ToUnixTimeMilliseconds(), long.Parse(id[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            // The same layout as the framework's own version 7 ids for the same instant.
            Assert.Equal(Guid.CreateVersion7(now.AddMilliseconds(i)).ToString("N")[..12], id[..12]);
        }
    }

    [Fact]
    public async Task Next_OnManyThreadsAtOneInstant_NeverRepeats()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 5_000).Select(_ => DecisionIds.Next(now)).ToList())));

        var all = batches.SelectMany(b => b).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        // 74 random bits per id: their hex digits are spread evenly (each of 16 values about 1/16 of the time).
        var randomDigits = all.SelectMany(id => id[13..16] + id[17..]).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(16, randomDigits.Count);
        var mean = randomDigits.Values.Average();
        Assert.All(randomDigits.Values, count => Assert.InRange(count, mean * 0.95, mean * 1.05));
    }
}
