using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PromoPilot.Decisioning.Scoring;
using PromoPilot.Measurement.Experiments.Assignment;

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

    [Fact]
    public async Task Serialize_EngineDecisions_MatchesTheReflectionSerializer()
    {
        // Engine-made decisions take the writer's shortcuts (campaign ids and reasons encoded once per catalog, the
        // variants written from the arms): ids and rule texts that need escaping, holdouts, caps and experiments whose
        // keys collide with campaign ids must come out as the reflection serializer writes the same decision.
        var random = new Random(11);
        string Id(int i) => (i % 4) switch { 0 => $"c<{i}>", 1 => $"camp\u00e9\"{i}\"", 2 => $"c{i}&'", _ => $"c{i}" };
        var campaigns = Enumerable.Range(0, 12).Select(i => new PromoPilot.Core.Campaigns.CampaignDefinition(Id(i), $"n{i}",
            [new(Id(i) + "o1", PromoPilot.Core.Campaigns.OfferType.AmountOff, Amount: 1 + i % 3, Priority: i % 5), new(Id(i) + "o2", PromoPilot.Core.Campaigns.OfferType.PercentOff, Percent: 0.1m)],
            PromoPilot.Core.Campaigns.CampaignStatus.Live, HoldoutFraction: i % 3 == 0 ? 0.5 : 0,
            Audience: i % 2 == 0 ? "history > 100 and history < 5000" : null,
            FrequencyCap: i % 5 == 0 ? new PromoPilot.Core.Campaigns.FrequencyCap(1, 24) : null)).ToList();
        var experiments = new[]
        {
            new PromoPilot.Measurement.Experiments.Assignment.ExperimentDefinition("exp<1>", [new("a", 1), new("b\"", 1)]),
            new PromoPilot.Measurement.Experiments.Assignment.ExperimentDefinition(Id(1), [new("x", 1)]),
            new PromoPilot.Measurement.Experiments.Assignment.ExperimentDefinition(Id(3), [new("y", 1)]),
        };
        var engine = new DecisionEngine(LiveCatalog.Build(campaigns, DecisionRuleContext.Schema(["history"]), 1), null, experiments);
        var state = new PromoPilot.Decisioning.State.InProcessOnlineState(TimeProvider.System);
        for (var i = 0; i < 300; i++)
        {
            var user = new UserSnapshot($"u{i}", attributes: new Dictionary<string, double> { ["history"] = random.Next(0, 6000) });
            var request = new DecisionRequest(user.UserId, "home", Limit: random.Next(1, 4), Explain: random.Next(3) == 0);
            var decision = await engine.DecideAsync($"d{i}", request, random.Next(5) == 0 ? null : user, state, null, DateTimeOffset.UnixEpoch.AddDays(20_000));

            var ours = JsonNode.Parse(DecisionJson.Serialize(decision))!;
            var reference = JsonNode.Parse(JsonSerializer.Serialize(decision, Reference))!;

            AssertSame(reference, ours, "$");
        }
    }

    [Fact]
    public async Task Variants_AfterExperiments_BehaveAsAMapInInsertionOrder()
    {
        // The variants view against a Dictionary filled the way a decision used to fill one: campaign arms in catalog
        // order, then experiment variants set by key (a key equal to a campaign id replaces its arm in place).
        var campaigns = Enumerable.Range(0, 6).Select(i => new PromoPilot.Core.Campaigns.CampaignDefinition($"c{i}", $"c{i}",
            [new($"o{i}", PromoPilot.Core.Campaigns.OfferType.AmountOff, Amount: 1)], PromoPilot.Core.Campaigns.CampaignStatus.Live, HoldoutFraction: 0.5,
            Audience: i == 2 ? "history > 100" : null)).ToList();
        var experiments = new[] { "c1", "e1", "c2", "e1b", "c5" }.Select(k => new PromoPilot.Measurement.Experiments.Assignment.ExperimentDefinition(k, [new("v" + k, 1)])).ToArray();
        var engine = new DecisionEngine(LiveCatalog.Build(campaigns, DecisionRuleContext.Schema(["history"]), 1), null, experiments);
        var state = new PromoPilot.Decisioning.State.InProcessOnlineState(TimeProvider.System);
        for (var i = 0; i < 50; i++)
        {
            var user = new UserSnapshot($"u{i}", attributes: new Dictionary<string, double> { ["history"] = i * 10 });
            var decision = await engine.DecideAsync("d", new DecisionRequest(user.UserId, "home"), user, state, null, DateTimeOffset.UnixEpoch.AddDays(20_000));

            var expected = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var campaign in campaigns.Where(c => c.Id != "c2" || i * 10 > 100))
            {
                var held = CampaignHoldout.Test(campaign).HoldsOut(Encoding.UTF8.GetBytes(user.UserId));
                expected[campaign.Id] = held ? CampaignHoldout.Holdout : CampaignHoldout.Treatment;
            }

            foreach (var key in new[] { "c1", "e1", "c2", "e1b", "c5" })
            {
                expected[key] = "v" + key;
            }

            Assert.Equal(expected.ToList(), decision.Variants.ToList());
            Assert.Equal(expected.Count, decision.Variants.Count);
            Assert.All(expected, p => Assert.Equal(p.Value, decision.Variants[p.Key]));
            Assert.False(decision.Variants.ContainsKey("nope"));
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
