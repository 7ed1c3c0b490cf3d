using System.Diagnostics;
using System.Text.Json;
using DuckDB.NET.Data;
using PromoPilot.Core.Domain;
using PromoPilot.Core.Storage;
using PromoPilot.Ingestion;
using PromoPilot.Storage;

// Ingestion benchmark driver; bench/ingestion/run.sh runs each mode in its own process so peak RSS is per mode.
//   import KIND INPUT [MAPPING]   full import into a fresh store (what `promopilot import` does)
//   parse KIND INPUT [MAPPING]    the same, writing to a writer that discards (isolates parsing + validation)
//   read-csv FILE                 DuckDB's own read_csv of the file into a fresh store (the reference)
//   scan FILE                     our CSV reader alone: split every record into fields
//   audience-rule [CUSTOMERS] [ROUNDS]  a compiled customer rule over synthetic customers (AudienceRuleBench.cs)
//   rules GROCERIES_LONG_CSV [SUPPORT] [ROUNDS]   Apriori vs FP-Growth in one process (bench/rules, RulesBench.cs)
//   segment-synthetic N [D] [K|auto] [THREADS]
//                                 Segmenter.Fit on N seeded Gaussian-blob customers x D features (default 10), 5 true
//                                 blobs; k chosen over 2..8 by silhouette (auto, default) or fixed to K; THREADS caps
//                                 the parallelism (default every core). Times a first (cold) and a second (warm) fit.
//   synthetic-store PATH CUSTOMERS EVENTS   a deterministic synthetic store written with SQL (SyntheticStore.cs)
//   synthetic-exposures PATH ROWS           a store with one randomized campaign of ROWS exposures (SyntheticExposures.cs)
//   pricing [BASKETS] [ROUNDS] [all]        pricing-function throughput on one thread; all = every offer kind (PricingBench.cs)
//   exposure-readout PATH [RUNS]            times the per-arm exposure sums of that campaign, median of RUNS
//   experiment-calibration [--seed S] [--runs N]   false positives, coverage and CUPED variance by simulation (ExperimentCalibrationBench.cs)
//   experiment-sequential [--seed S] [--runs N] [--bandit-runs M]   A/A calibration of the sequential test, bandit regret (SequentialCalibrationBench.cs)
//   experiment-assign [UNITS] [ROUNDS]   batch experiment assignment of UNITS ids (ExperimentAssignBench.cs)
//   decide-engine CAMPAIGNS.json [DECISIONS] [ROUNDS]   the decision engine alone, one thread (DecideEngineBench.cs)
//   event-append duckdb|postgres [TOTAL] [WRITERS] [BATCH] [RUNS]   serving-store event append throughput (EventAppendBench.cs)
//   response-scoring [ROWS] [THREADS] [RUNS]   single-row latency and batch time of a loaded response model (ResponseScoringBench.cs)
//   recs-als USERS ITEMS INTERACTIONS FACTORS [SCORE_USERS] [SEED]   ALS seconds per iteration and recommend-all throughput on a synthetic matrix (RecsAlsBench.cs)
var mode = args[0];
if (mode == "recs-als")
{
    RecsAlsBench.Run(args);
    return;
}

if (mode == "decide-engine")
{
    DecideEngineBench.Run(args);
    return;
}

if (mode == "event-append")
{
    await EventAppendBench.RunAsync(args);
    return;
}

if (mode == "response-scoring")
{
    ResponseScoringBench.Run(args);
    return;
}

if (mode == "experiment-calibration")
{
    ExperimentCalibrationBench.Run(args);
    return;
}

if (mode == "rules")
{
    RulesBench.Run(args);
    return;
}

if (mode == "synthetic-store")
{
    SyntheticStore.Run(args[1], long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), long.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (mode == "synthetic-exposures")
{
    SyntheticExposures.Run(args[1], long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (mode == "pricing")
{
    PricingBench.Run(args);
    return;
}

if (mode == "exposure-readout")
{
    ExposureReadoutBench.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

if (mode == "experiment-sequential")
{
    SequentialCalibrationBench.Run(args);
    return;
}

if (mode == "segment-synthetic")
{
    SegmentBench.Run(args);
    return;
}

var folder = Directory.CreateTempSubdirectory("promopilot-bench");
var dbPath = Path.Combine(folder.FullName, "bench.duckdb");
var stopwatch = Stopwatch.StartNew();
long rows;
try
{
    switch (mode)
    {
        case "import":
        {
            using var store = DuckDbStore.Open(dbPath);
            var importer = ImporterCatalog.Create(args[1], args.Length > 3 ? args[3] : null);
            var summary = new ImportService(store, new Pseudonymizer(new byte[32]), TimeProvider.System).Run(importer, args[2]);
            rows = summary.RowsRead;
            break;
        }

        case "parse":
        {
            var importer = ImporterCatalog.Create(args[1], args.Length > 3 ? args[3] : null);
            var context = new ImportContext(args[2], new DiscardingWriter(importer.Dataset), new Pseudonymizer(new byte[32]));
            importer.Import(context);
            rows = context.RowsRead;
            break;
        }

        case "read-csv":
        {
            using var connection = new DuckDBConnection($"Data Source={dbPath}");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE TABLE t AS SELECT * FROM read_csv('{args[1]}'); SELECT count(*) FROM t";
            rows = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            break;
        }

        case "scan":
        {
            using var reader = PromoPilot.Ingestion.Reading.CsvReader.Open(args[1]);
            rows = 0;
            while (reader.Read())
            {
                rows++;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    _ = reader.Field(i);
                }
            }

            break;
        }

        case "experiment-assign":
            rows = ExperimentAssignBench.Run(args);
            break;

        case "audience-rule":
            rows = AudienceRuleBench.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 7);
            break;

        default:
            throw new ArgumentException($"unknown mode {mode}");
    }
}
finally
{
    folder.Delete(recursive: true);
}

var seconds = stopwatch.Elapsed.TotalSeconds;
Console.WriteLine(JsonSerializer.Serialize(new
{
    mode,
    rows,
    seconds = Math.Round(seconds, 3),
    rows_per_second = Math.Round(rows / seconds),
    peak_rss_mb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
}));

/// <summary>Hands out keys and drops every row: measures reading, validation and pseudonymization alone.</summary>
internal sealed class DiscardingWriter(string dataset) : IImportWriter
{
    private readonly Dictionary<string, int> _keys = new(PromoPilot.Core.IdentifierComparer.Instance);

    public string Dataset => dataset;

    public int UserKey(string userId) => Key("u" + userId);

    public int ItemKey(string itemId) => Key("i" + itemId);

    public long OrderKey(string orderId) => Key("o" + orderId);

    public int StoreKey(string storeId) => Key("s" + storeId);

    public int CampaignKey(string campaignId) => Key("c" + campaignId);

    public int OfferKey(string offerId) => Key("f" + offerId);

    public void SetUserAttributes(int userKey, string? attributesJson)
    {
    }

    public void Upsert(ItemRecord item)
    {
    }

    public void Upsert(OrderRecord order)
    {
    }

    public void Upsert(StoreRecord store)
    {
    }

    public void Upsert(CampaignRecord campaign)
    {
    }

    public void Upsert(OfferRecord offer)
    {
    }

    public void Write(in EventRecord row)
    {
    }

    public void Write(in StoreWeekSaleRecord row)
    {
    }

    public void Write(in ExposureRecord row)
    {
    }

    public void Write(in ResponseRecord row)
    {
    }

    public void Quarantine(QuarantinedRow row)
    {
    }

    private int Key(string id)
    {
        if (!_keys.TryGetValue(id, out var key))
        {
            key = _keys.Count + 1;
            _keys.Add(id, key);
        }

        return key;
    }
}

/// <summary>Times the segmenter on synthetic customers (generation excluded from the time).</summary>
internal static class SegmentBench
{
    public static void Run(string[] args)
    {
        var n = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        var d = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10;
        int? k = args.Length > 3 && args[3] != "auto" ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : null;
        int? threads = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : null;
        var random = new Random(1);
        var centers = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, d).Select(_ => random.NextDouble() * 8).ToArray()).ToArray();
        var rows = new PromoPilot.Features.Segments.FeatureRow[n];
        for (var i = 0; i < n; i++)
        {
            var center = centers[i % centers.Length];
            var values = new double[d];
            for (var j = 0; j < d; j++)
            {
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                values[j] = center[j] + gaussian;
            }

            rows[i] = new PromoPilot.Features.Segments.FeatureRow(i, values, Revenue: 1 + (i % 7));
        }

        var table = new PromoPilot.Features.Segments.FeatureTable([.. Enumerable.Range(0, d).Select(j => $"f{j}")], rows);
        var options = new PromoPilot.Features.Segments.SegmentationOptions { FixedK = k, MaxDegreeOfParallelism = threads };
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var result = PromoPilot.Features.Segments.Segmenter.Fit(table, options);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;

        // A second fit in the same process: the figure without JIT and ML.NET's first-use costs.
        cpu = process.TotalProcessorTime;
        stopwatch.Restart();
        PromoPilot.Features.Segments.Segmenter.Fit(table, options);
        var warmSeconds = stopwatch.Elapsed.TotalSeconds;
        process.Refresh();
        var warmCpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            mode = "segment-synthetic",
            rows = n,
            features = d,
            fixed_k = k,
            threads,
            k = result.K,
            scores = result.Scores.Select(s => Math.Round(s.Score, 4)).ToArray(),
            explained = result.ExplainedVariance.Sum(),
            seconds = Math.Round(seconds, 3),
            warm_seconds = Math.Round(warmSeconds, 3),
            cpu_seconds = Math.Round(cpuSeconds, 3),
            warm_cpu_seconds = Math.Round(warmCpuSeconds, 3),
            load_average = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null,
            peak_rss_mb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
        }));
    }
}
