using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using PromoPilot.Core.Rules;

/// <summary>
/// `rules [CUSTOMERS] [ROUNDS]`: evaluates "recency_days > 90 and clv > 200 and affinity('Bakery') > 0.3" over
/// synthetic columnar customers (seeded) and prints one JSON line. Three cases per round, alternating:
/// the compiled rule through <see cref="IRuleContext"/>; the same predicate hand-written in C# through the same
/// context (the reference: what the rule engine adds on top of the context's lookups); and the predicate hand-written
/// over the arrays (the floor: no context at all).
/// </summary>
internal static class AudienceRuleBench
{
    public const string Text = "recency_days > 90 and clv > 200 and affinity('Bakery') > 0.3";

    public static long Run(int customers, int rounds)
    {
        var data = new ColumnarCustomers(customers, seed: 42);
        var parse = Stopwatch.StartNew();
        var rule = Rule.Parse(Text);
        var parseMs = parse.Elapsed.TotalMilliseconds;
        parse.Restart();
        for (var i = 0; i < 1000; i++)
        {
            _ = Rule.Parse(Text);
        }

        var warmParseUs = parse.Elapsed.TotalMilliseconds;
        var compiled = rule.Predicate;
        IReadOnlyList<RuleValue> bakery = [RuleValue.Of("Bakery")];
        Func<IRuleContext, bool> handWritten = c =>
            c.TryGetField("recency_days", out var r) && r.Kind == RuleValueKind.Number && r.Number > 90
            && c.TryGetField("clv", out var v) && v.Kind == RuleValueKind.Number && v.Number > 200
            && c.TryCall("affinity", bakery, out var a) && a.Kind == RuleValueKind.Number && a.Number > 0.3;

        var (recency, clv, affinity) = (data.Numbers["recency_days"], data.Numbers["clv"], data.Affinity["Bakery"]);
        int Direct()
        {
            var matched = 0;
            for (var i = 0; i < recency.Length; i++)
            {
                if (recency[i] > 90 && clv[i] > 200 && affinity[i] > 0.3)
                {
                    matched++;
                }
            }

            return matched;
        }

        int Through(Func<IRuleContext, bool> predicate)
        {
            var matched = 0;
            for (var i = 0; i < customers; i++)
            {
                data.Row = i;
                if (predicate(data))
                {
                    matched++;
                }
            }

            return matched;
        }

        var times = new Dictionary<string, List<double>> { ["compiled"] = [], ["hand_written"] = [], ["direct"] = [] };
        var counts = new Dictionary<string, int>();
        long compiledBytes = 0;
        for (var round = -1; round < rounds; round++)
        {
            foreach (var (name, body) in new (string, Func<int>)[] { ("compiled", () => Through(compiled)), ("hand_written", () => Through(handWritten)), ("direct", Direct) })
            {
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                var watch = Stopwatch.StartNew();
                counts[name] = body();
                if (round >= 0)
                {
                    times[name].Add(watch.Elapsed.TotalMilliseconds);
                    compiledBytes += name == "compiled" ? GC.GetAllocatedBytesForCurrentThread() - bytes : 0;
                }
            }
        }

        if (counts.Values.Distinct().Count() != 1)
        {
            throw new InvalidOperationException($"cases disagree: {string.Join(", ", counts)}");
        }

        static double Median(List<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var compiledMs = Median(times["compiled"]);
        var handMs = Median(times["hand_written"]);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            rule = rule.Text,
            customers,
            rounds,
            matched = counts["compiled"],
            first_parse_compile_ms = Math.Round(parseMs, 3),
            warm_parse_compile_us = Math.Round(warmParseUs, 1),
            compiled_ms = Math.Round(compiledMs, 1),
            hand_written_ms = Math.Round(handMs, 1),
            direct_ms = Math.Round(Median(times["direct"]), 1),
            compiled_ns_per_customer = Math.Round(compiledMs * 1e6 / customers, 1),
            compiled_bytes_allocated = compiledBytes,
            ratio_compiled_to_hand_written = Math.Round(Median([.. times["compiled"].Zip(times["hand_written"], (c, h) => c / h)]), 2),
        }, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return (long)customers * (rounds + 1);
    }

    /// <summary>Customers as columns; a field read is a dictionary lookup by name plus an array read (a plausible profile store).</summary>
    private sealed class ColumnarCustomers : IRuleContext
    {
        public ColumnarCustomers(int customers, int seed)
        {
            var random = new Random(seed);
            double[] Column(Func<double> draw) => [.. Enumerable.Range(0, customers).Select(_ => draw())];
            Numbers = new()
            {
                ["recency_days"] = Column(() => random.Next(0, 366)),
                ["clv"] = Column(() => Math.Round(Math.Exp(4.5 + random.NextDouble() * 2), 2)),
                ["frequency"] = Column(() => random.Next(1, 30)),
            };
            Affinity = new()
            {
                ["Bakery"] = Column(random.NextDouble),
                ["Dairy"] = Column(random.NextDouble),
            };
        }

        public Dictionary<string, double[]> Numbers { get; }

        public Dictionary<string, double[]> Affinity { get; }

        public int Row { get; set; }

        public bool TryGetField(string name, out RuleValue value)
        {
            if (Numbers.TryGetValue(name, out var column))
            {
                value = RuleValue.Of(column[Row]);
                return true;
            }

            value = RuleValue.Missing;
            return false;
        }

        public bool TryCall(string name, IReadOnlyList<RuleValue> arguments, out RuleValue value)
        {
            if (name == "affinity" && arguments.Count == 1 && arguments[0].Kind == RuleValueKind.String && Affinity.TryGetValue(arguments[0].String, out var column))
            {
                value = RuleValue.Of(column[Row]);
                return true;
            }

            value = RuleValue.Missing;
            return false;
        }
    }
}
