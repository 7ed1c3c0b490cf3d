using System.Diagnostics;
using System.Text.Json;
using PromoPilot.Core.Campaigns;
using PromoPilot.Decisioning;
using PromoPilot.Decisioning.Scoring;
using PromoPilot.Decisioning.State;

/// <summary>
/// The decision engine alone, no HTTP: decisions per second on one thread over the load benchmark's 20 campaigns x 5
/// offers (bench/decisions/campaigns.py) for 5,000 synthetic shoppers with Hillstrom-like attributes, and the time to
/// serialize each answer. Usage: decide-engine CAMPAIGNS.json [DECISIONS] [ROUNDS]
/// </summary>
internal static class DecideEngineBench
{
    public static void Run(string[] args)
    {
        var campaigns = JsonSerializer.Deserialize<List<CampaignDefinition>>(File.ReadAllText(args[1]), CampaignJson.Options)!;
        var decisions = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        var rounds = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var random = new Random(42);
        var users = Enumerable.Range(1, 5_000).Select(i => new UserSnapshot(i.ToString(System.Globalization.CultureInfo.InvariantCulture), attributes: new Dictionary<string, double>
        {
            ["recency"] = random.Next(1, 13), ["history"] = random.Next(30, 3000), ["mens"] = random.Next(2), ["womens"] = random.Next(2), ["newbie"] = random.Next(2),
        })).ToList();
        var treated = users.Select(_ => random.NextDouble() < 0.5).ToList();
        var converted = users.Select((u, i) => random.NextDouble() < 0.05 + (treated[i] ? 0.02 * u.Features["womens"] : 0)).ToList();
        var model = LinearUpliftModel.Fit(["recency", "history", "mens", "womens", "newbie"], [.. users.Select(u => u.Features)], treated, converted, source: "synthetic");
        var catalog = LiveCatalog.Build(campaigns, DecisionRuleContext.Schema(["recency", "history", "mens", "womens", "newbie"]), 1);
        var engine = new DecisionEngine(catalog, model);
        var state = new InProcessOnlineState(TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        var cart = new[] { new CartLine("85123A", 2, 2.55m), new CartLine("22423", 1, 12.75m) };
        var requests = users.Select(u => new DecisionRequest(u.UserId, "home", "web", cart, Limit: 2)).ToArray();
        using var tokens = new DecisionTokens(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        // The bodies the load benchmark sends (bench/decisions/decide.lua).
        var requestBodies = users.Select(u => System.Text.Encoding.UTF8.GetBytes($$"""{"user_id":"{{u.UserId}}","placement":"home","channel":"web","limit":2,"cart":[{"item_id":"85123A","quantity":2,"unit_price":2.55},{"item_id":"22423","quantity":1,"unit_price":12.75}]}""")).ToArray();
        var rankTimes = new List<double>();
        var parseTimes = new List<double>();
        var recordTimes = new List<double>();
        var allocated = new Dictionary<string, double>();
        var predictTimes = new List<double>();
        var decideTimes = new List<double>();
        var jsonTimes = new List<double>();
        long bytes = 0;
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < decisions; i++)
            {
                // As the server reads a body: the fast reader, the serializer for what it declines.
                var body = requestBodies[i % requestBodies.Length];
                var parsed = DecisionRequestJson.TryRead(body, out var read) ? read! : JsonSerializer.Deserialize<DecisionRequest>(body, CampaignJson.Options)!;
                _ = parsed.Problems();
            }

            parseTimes.Add(clock.Elapsed.TotalSeconds * 1e6 / decisions);
            allocated["parse"] = (GC.GetAllocatedBytesForCurrentThread() - bytesBefore) / (double)decisions;
            bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            clock.Restart();
            for (var i = 0; i < decisions; i++)
            {
                _ = engine.Rank(requests[i % requests.Length], users[i % users.Count], null, null, now);
            }

            rankTimes.Add(clock.Elapsed.TotalSeconds * 1e6 / decisions);
            allocated["rank"] = (GC.GetAllocatedBytesForCurrentThread() - bytesBefore) / (double)decisions;
            clock.Restart();
            for (var i = 0; i < decisions; i++)
            {
                _ = model.Predict(users[i % users.Count].Features);
            }

            predictTimes.Add(clock.Elapsed.TotalSeconds * 1e6 / decisions);
            clock.Restart();
            var last = new List<Decision>(1000);
            bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < decisions; i++)
            {
                var decision = engine.DecideAsync("d", requests[i % requests.Length], users[i % users.Count], state, null, now).AsTask().GetAwaiter().GetResult();
                if (last.Count < 1000)
                {
                    last.Add(decision);
                }
            }

            decideTimes.Add(clock.Elapsed.TotalSeconds * 1e6 / decisions);
            allocated["decide"] = (GC.GetAllocatedBytesForCurrentThread() - bytesBefore) / (double)decisions;
            bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            clock.Restart();
            for (var i = 0; i < decisions; i++)
            {
                bytes = DecisionJson.SerializeToThreadBuffer(last[i % last.Count]).Length;
            }

            jsonTimes.Add(clock.Elapsed.TotalSeconds * 1e6 / decisions);
            allocated["serialize"] = (GC.GetAllocatedBytesForCurrentThread() - bytesBefore) / (double)decisions;
            bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            clock.Restart();
            for (var i = 0; i < decisions; i++)
            {
                _ = tokens.Seal(DecisionRecord.From(last[i % last.Count]));
            }

            recordTimes.Add(clock.Elapsed.TotalSeconds * 1e6 / decisions);
            allocated["seal"] = (GC.GetAllocatedBytesForCurrentThread() - bytesBefore) / (double)decisions;
        }

        decideTimes.Sort();
        rankTimes.Sort();
        predictTimes.Sort();
        jsonTimes.Sort();
        parseTimes.Sort();
        recordTimes.Sort();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            decisions, rounds, campaigns = catalog.Count, offers = campaigns.Sum(c => c.Offers.Count),
            decide_us_median = decideTimes[rounds / 2], rank_us_median = rankTimes[rounds / 2], predict_us_median = predictTimes[rounds / 2], serialize_us_median = jsonTimes[rounds / 2], response_bytes = bytes,
            parse_us_median = parseTimes[rounds / 2], seal_us_median = recordTimes[rounds / 2], allocated_bytes = allocated,
        }));
    }
}
