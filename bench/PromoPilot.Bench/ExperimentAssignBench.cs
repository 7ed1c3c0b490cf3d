using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PromoPilot.Measurement.Experiments.Assignment;

/// <summary>
/// `experiment-assign [UNITS] [ROUNDS]`: times <see cref="Assigner"/>'s batch API over UNITS ids (default 1,000,000)
/// and prints one JSON line. Worst case on purpose: no targeting, a layer range and coverage of 1, so every unit
/// takes all three hashes (bucket, layer, holdout) and the table lookup. Two id shapes, alternating each round:
/// short structured ids (<c>customer-123456</c>) and 32-hex-digit pseudonyms (what ingestion stores). One warm-up
/// round is discarded; medians over ROUNDS (default 9). Generating the ids is not timed.
/// </summary>
internal static class ExperimentAssignBench
{
    public static long Run(string[] args)
    {
        var units = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 9;
        var assigner = new Assigner(new ExperimentDefinition(
            "checkout-offer",
            [new("control", 50), new("ten_percent_off", 25), new("free_shipping", 25)],
            Holdout: new("global-holdout-2026", 0.05),
            Layer: new("layer:checkout", 0, 1)));
        var random = new Random(42);
        var shapes = new Dictionary<string, string[]>
        {
            ["short"] = [.. Enumerable.Range(0, units).Select(i => "customer-" + i.ToString(CultureInfo.InvariantCulture))],
            ["hex32"] = [.. Enumerable.Range(0, units).Select(_ => Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())))],
        };
        var results = new UnitAssignment[units];
        var times = shapes.Keys.ToDictionary(k => k, _ => new List<double>());
        long allocated = 0;
        for (var round = -1; round < rounds; round++)
        {
            foreach (var (shape, ids) in shapes)
            {
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                var watch = Stopwatch.StartNew();
                assigner.Assign(ids, results);
                var ms = watch.Elapsed.TotalMilliseconds;
                if (round >= 0)
                {
                    times[shape].Add(ms);
                    allocated += GC.GetAllocatedBytesForCurrentThread() - bytes;
                }
            }
        }

        static double Median(List<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            units,
            rounds,
            assigned_share = Math.Round(results.Count(r => r.Reason == AssignmentReason.Assigned) / (double)units, 4),
            short_ids_median_ms = Math.Round(Median(times["short"]), 1),
            short_ids_range_ms = new[] { Math.Round(times["short"].Min(), 1), Math.Round(times["short"].Max(), 1) },
            hex32_ids_median_ms = Math.Round(Median(times["hex32"]), 1),
            hex32_ids_range_ms = new[] { Math.Round(times["hex32"].Min(), 1), Math.Round(times["hex32"].Max(), 1) },
            ns_per_unit_hex32 = Math.Round(Median(times["hex32"]) * 1e6 / units, 1),
            bytes_allocated_timed_rounds = allocated,
            load_average = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null,
        }));
        return (long)units * (rounds + 1) * shapes.Count;
    }
}
