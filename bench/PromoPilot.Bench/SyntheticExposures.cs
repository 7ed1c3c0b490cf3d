using System.Globalization;
using PromoPilot.Storage;

/// <summary>
/// Writes a synthetic randomized campaign into a fresh DuckDB store with SQL: one campaign ('synthetic_offer'),
/// ROWS exposure rows of distinct users split 90/10 between arm 'offer' and the control arm 'holdout'; visits 15%,
/// conversions 3% (3.3% under the offer), revenue log-normal for converters. Deterministic (hash-based draws).
/// </summary>
internal static class SyntheticExposures
{
    public const string CampaignId = "synthetic_offer";

    private const string PlannedSplit = """{"weights": {"offer": 0.9, "holdout": 0.1}}""";

    public static void Run(string path, long rows)
    {
        foreach (var file in new[] { path, path + ".wal" })
        {
            File.Delete(file);
        }

        using var store = DuckDbStore.Open(path);
        var n = rows.ToString(CultureInfo.InvariantCulture);
        store.Query($"""
            CREATE OR REPLACE MACRO u(x, salt) AS ((hash(x * 1000003 + salt) >> 12)::DOUBLE + 0.5) / 4503599627370496.0;
            INSERT INTO import_log VALUES (1, 'synthetic', 'synthetic', 'generated', 'exposures-{n}', TIMESTAMPTZ '2025-01-01 00:00:00+00', 0, {n}, {n}, 0, NULL);
            INSERT INTO campaigns VALUES (1, 'synthetic', '{CampaignId}', 'Synthetic offer', 'experiment', NULL, NULL, '{PlannedSplit}', 1);
            INSERT INTO exposures
            SELECT 1, i, CASE WHEN control THEN 'holdout' ELSE 'offer' END, control, TIMESTAMP '2025-01-01' + to_seconds(i % 86400),
                   visited, converted,
                   CASE WHEN converted THEN round(exp(ln(40) + 0.8 * sqrt(-2 * ln(u(i, 4))) * cos(2 * pi() * u(i, 5))), 2) ELSE 0 END::DECIMAL(18,4),
                   NULL, 1, i
            FROM (SELECT i, control, u(i, 2) < 0.15 AS visited,
                         u(i, 2) < 0.15 AND u(i, 3) < CASE WHEN control THEN 0.20 ELSE 0.22 END AS converted
                  FROM (SELECT i, u(i, 1) < 0.1 AS control FROM range(1, {n} + 1) t(i)));
            CHECKPOINT;
            SELECT 1;
            """);
    }
}

/// <summary>Times the per-arm exposure sums of the synthetic campaign (the store side of a readout): median of runs.</summary>
internal static class ExposureReadoutBench
{
    public static void Run(string path, int runs)
    {
        using var store = DuckDbStore.Open(path);
        var key = PromoPilot.Storage.Queries.CampaignExposureQuery.Find(store, SyntheticExposures.CampaignId)!.CampaignKey;
        var seconds = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var arms = PromoPilot.Storage.Queries.CampaignExposureQuery.Load(store, key);
            if (i > 0)
            {
                seconds.Add(clock.Elapsed.TotalSeconds); // the first run warms the cache and is left out
            }

            if (i == runs)
            {
                Console.WriteLine(string.Join("; ", arms.Select(a => $"{a.Arm}: {a.Units} units")));
            }
        }

        seconds.Sort();
        Console.WriteLine(FormattableString.Invariant($"exposure sums: median {seconds[seconds.Count / 2]:F3} s over {runs} runs (min {seconds[0]:F3}, max {seconds[^1]:F3})"));
    }
}
