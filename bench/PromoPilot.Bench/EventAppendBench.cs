using System.Diagnostics;
using System.Globalization;
using Npgsql;
using PromoPilot.Core.Serving;
using PromoPilot.Storage.Serving;

/// <summary>
/// Event append throughput of the serving stores (issue 5: at least 50,000 events/s acknowledged in batches of 100):
/// WRITERS concurrent callers each append batches of BATCH new events until TOTAL, every call awaited (acknowledged
/// after its group's commit). One fresh store per run (a DuckDB file in a temp folder, or a fresh PostgreSQL schema);
/// prints one JSON line per run and the median.
/// </summary>
/// <remarks>
/// Usage: <c>event-append duckdb|postgres [TOTAL=200000] [WRITERS=16] [BATCH=100] [RUNS=3]</c>; PostgreSQL's connection
/// string comes from PROMOPILOT_BENCH_POSTGRES (default the test database of ./test).
/// </remarks>
internal static class EventAppendBench
{
    public static async Task RunAsync(string[] args)
    {
        var kind = args.Length > 1 ? args[1] : "duckdb";
        var total = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200_000;
        var writers = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 16;
        var batch = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 100;
        var runs = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 3;
        var postgres = Environment.GetEnvironmentVariable("PROMOPILOT_BENCH_POSTGRES")
            ?? "Host=127.0.0.1;Username=postgres;Password=postgres;Database=promopilot_test";
        var rates = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var folder = Directory.CreateTempSubdirectory("promopilot-bench-events");
            var schema = $"bench_{Guid.NewGuid():N}";
            if (kind == "postgres")
            {
                await AdminAsync(postgres, $"CREATE SCHEMA {schema}");
            }

            try
            {
                await using var store = kind switch
                {
                    "duckdb" => (IServingStore)DuckDbServingStore.Open(Path.Combine(folder.FullName, "serving.duckdb")),
                    "postgres" => await PostgresServingStore.OpenAsync($"{postgres};Search Path={schema}"),
                    _ => throw new ArgumentException($"unknown store '{kind}': duckdb or postgres"),
                };
                var (seconds, latencies) = await AppendAllAsync(store, total, writers, batch);
                var count = await store.CountEventsAsync();
                if (count != total)
                {
                    throw new InvalidOperationException($"stored {count} events, expected {total}");
                }

                latencies.Sort();
                rates.Add(total / seconds);
                Console.WriteLine(
                    $"{{\"store\":\"{kind}\",\"run\":{run + 1},\"events\":{total},\"writers\":{writers},\"batch\":{batch}," +
                    $"\"seconds\":{seconds:F3},\"events_per_s\":{total / seconds:F0}," +
                    $"\"call_ms_p50\":{Percentile(latencies, 0.5):F2},\"call_ms_p99\":{Percentile(latencies, 0.99):F2}," +
                    $"\"load1\":{Load()}}}");
            }
            finally
            {
                folder.Delete(recursive: true);
                if (kind == "postgres")
                {
                    await AdminAsync(postgres, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
                }
            }
        }

        rates.Sort();
        Console.WriteLine($"{{\"store\":\"{kind}\",\"median_events_per_s\":{rates[rates.Count / 2]:F0},\"runs\":{runs}}}");
    }

    private static async Task<(double Seconds, List<double> LatenciesMs)> AppendAllAsync(IServingStore store, int total, int writers, int batch)
    {
        var start = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var batches = total / batch;
        var next = -1;
        var latencies = new List<double>[writers];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = [];
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches)
            {
                var events = new ServedEvent[batch];
                for (var i = 0; i < batch; i++)
                {
                    var n = (b * batch) + i;
                    events[i] = new ServedEvent(
                        $"evt-{n:D9}", $"user-{n % 50_000}", n % 10 == 0 ? "purchase" : "view", start.AddMilliseconds(n), start.AddMilliseconds(n + 5),
                        $"item-{n % 2_000}", n % 10 == 0 ? 1 : null, n % 10 == 0 ? 19.99m : null);
                }

                var call = Stopwatch.GetTimestamp();
                var result = await store.AppendEventsAsync(events);
                mine.Add(Stopwatch.GetElapsedTime(call).TotalMilliseconds);
                if (result.Stored != batch)
                {
                    throw new InvalidOperationException($"batch {b}: stored {result.Stored} of {batch}");
                }
            }
        })));
        return (clock.Elapsed.TotalSeconds, [.. latencies.SelectMany(l => l)]);
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "null";

    private static async Task AdminAsync(string connectionString, string sql)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
