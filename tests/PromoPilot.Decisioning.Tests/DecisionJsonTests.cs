using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PromoPilot.Decisioning.Scoring;

namespace PromoPilot.Decisioning.Tests;

public class DecisionJsonTests
{
    // The reference: System.Text.Json's reflection serializer with the API's conventions.
    private static readonly JsonSerializerOptions Reference = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(8.0, "8")]
    [InlineData(0.25, "0.25")]
    [InlineData(-3.5, "-3.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(4.041873353635858, "4.041873354")]
    [InlineData(-0.04183119085256498, "-0.041831191")]
    [InlineData(1.2e-8, "0.000000012")]
    [InlineData(4e-10, "0")]
    [InlineData(6e-10, "0.000000001")]
    [InlineData(280.2, "280.2")]
    [InlineData(899_999_999.5, "899999999.5")]
    public void TryFormatFixed_KnownValues_AreWrittenAsExpected(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[32];

        Assert.True(DecisionJson.TryFormatFixed(value, buffer, out var written));
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer[..written]));
    }

    [Theory]
    [InlineData(9e8)]
    [InlineData(-1e12)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void TryFormatFixed_LargeOrNotFinite_Declines(double value) =>
        Assert.False(DecisionJson.TryFormatFixed(value, new byte[32], out _));

    [Fact]
    public void TryFormatFixed_RandomValues_ParseBackWithinHalfTheLastDecimal()
    {
        var random = new Random(5);
        Span<byte> buffer = stackalloc byte[32];
        for (var i = 0; i < 100_000; i++)
        {
            var value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 9));
            Assert.True(DecisionJson.TryFormatFixed(value, buffer, out var written));
            var text = Encoding.UTF8.GetString(buffer[..written]);
            var parsed = double.Parse(text, CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(parsed - value) <= 5e-10 + Math.Abs(value) * 1e-15, $"{value:R} written as {text}");
            Assert.False(text.Contains('.', StringComparison.Ordinal) && text.EndsWith('0'), $"trailing zero in {text}");
        }
    }

    [Fact]
    public void Serialize_RandomDecisions_MatchesTheReflectionSerializer()
    {
        var random = new Random(3);
        for (var i = 0; i < 500; i++)
        {
            var decision = RandomDecision(random);

            var ours = JsonNode.Parse(DecisionJson.Serialize(decision))!;
            var reference = JsonNode.Parse(JsonSerializer.Serialize(decision, Reference))!;

            AssertSame(reference, ours, "$");
            Assert.Equal(DecisionJson.Serialize(decision), Encoding.UTF8.GetString(DecisionJson.SerializeToThreadBuffer(decision)));
        }
    }

    private static void AssertSame(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.Null(actual);
                break;
            case JsonObject expectedObject:
                var actualObject = Assert.IsType<JsonObject>(actual);
                Assert.Equal(expectedObject.Select(p => p.Key), actualObject.Select(p => p.Key)); // same properties, same order
                foreach (var (name, value) in expectedObject)
                {
                    AssertSame(value, actualObject[name], $"{path}.{name}");
                }

                break;
            case JsonArray expectedArray:
                var actualArray = Assert.IsType<JsonArray>(actual);
                Assert.Equal(expectedArray.Count, actualArray.Count);
                for (var i = 0; i < expectedArray.Count; i++)
                {
                    AssertSame(expectedArray[i], actualArray[i], $"{path}[{i}]");
                }

                break;
            default:
                var expectedValue = expected.AsValue();
                Assert.Equal(expectedValue.GetValueKind(), actual!.GetValueKind());
                if (expectedValue.GetValueKind() == JsonValueKind.Number)
                {
                    var e = expectedValue.GetValue<double>();
                    var a = actual.GetValue<double>();
                    Assert.True(Math.Abs(e - a) <= 5e-10 + Math.Abs(e) * 1e-15, $"{path}: {e:R} written as {a:R}");
                }
                else
                {
                    Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
                }

                break;
        }
    }

    private static Decision RandomDecision(Random random)
    {
        // Ids with quotes, backslashes, control characters, non-ASCII and HTML-sensitive characters, to check escaping.
        string Text() => new([.. Enumerable.Range(0, random.Next(12)).Select(_ => random.Next(6) switch
        {
            0 => "\"\\<>&'\n\t\u0001"[random.Next(9)],
            1 => (char)random.Next(0xa0, 0x3000),
            _ => (char)random.Next('a', 'z' + 1),
        })]);
        double Number() => random.Next(8) switch
        {
            0 => 0,
            1 => random.Next(-5, 20),
            2 => (random.NextDouble() - 0.5) * 1e-7,
            _ => (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-4, 5)),
        };
        ScoreComponents? Score() => random.Next(4) == 0 ? null : new(Number(), Number(), Number(), Number(), Number(), Number(), Number(), Number());
        var offers = Enumerable.Range(0, random.Next(4)).Select(r => new OfferDecision(r + 1, Text(), Text(), Text(), random.Next(3) == 0 ? null : Text(),
            random.Next(3) == 0 ? null : random.Next(1, 100_000) / 100m, [.. Enumerable.Range(0, random.Next(3)).Select(_ => Text())], Score(), random.Next(5) == 0)).ToList();
        var items = Enumerable.Range(0, random.Next(4)).Select(_ => new ScoredItem(Text(), Number())).ToList();
        var variants = Enumerable.Range(0, random.Next(5)).Select(v => ($"{Text()}{v}", Text())).ToDictionary(p => p.Item1, p => p.Item2);
        var rejections = Enumerable.Range(0, random.Next(4)).ToDictionary(r => $"{Text()}{r}", _ => random.Next(100));
        var entries = Enumerable.Range(0, random.Next(4)).Select(_ => new TraceEntry(Text(), random.Next(3) == 0 ? null : Text(), Text(),
            [.. Enumerable.Range(0, random.Next(4)).Select(_ => Text())], Score())).ToList();
        var contributions = Enumerable.Range(0, random.Next(6)).Select(_ => new FeatureContribution(Text(), Number(), Number())).ToList();
        var decidedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(random.Next(-12, 13))).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 365));
        return new Decision(Text(), Text(), Text(), decidedAt, offers, items, variants, random.Next(2) == 0,
            new DecisionTrace(Text(), random.NextInt64(0, long.MaxValue), random.Next(100), random.Next(1000), rejections, entries, contributions));
    }
}
