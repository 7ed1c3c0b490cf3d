using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using PromoPilot.Features.Rules;

/// <summary>
/// rules GROCERIES_LONG_CSV [SUPPORT=0.001] [ROUNDS=7]: Apriori and FP-Growth on the same baskets in one process,
/// alternating which goes first each round, after untimed warm-up runs of each (JIT). Prints one JSON object
/// with both medians and the ratio Apriori / FP-Growth (above 1: FP-Growth is faster).
/// </summary>
internal static class RulesBench
{
    public static void Run(string[] args)
    {
        var path = args[1];
        var support = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0.001;
        var rounds = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 7;
        var baskets = Read(path);
        var options = new AssociationRuleOptions { MinSupport = support, MinConfidence = 0.5 };
        IFrequentItemsetMiner apriori = new Apriori(), fpGrowth = new FpGrowth();

        // Warm-up, untimed: three runs each so the JIT has compiled the hot code of both at full optimization.
        var expected = fpGrowth.Mine(baskets, options).Itemsets.Count;
        for (var i = 0; i < 3; i++)
        {
            if (apriori.Mine(baskets, options).Itemsets.Count != expected || fpGrowth.Mine(baskets, options).Itemsets.Count != expected)
            {
                throw new InvalidOperationException("Apriori and FP-Growth disagree");
            }
        }

        var aprioriSeconds = new List<double>();
        var fpSeconds = new List<double>();
        var ratios = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            double a, f;
            if (round % 2 == 0)
            {
                a = Time(apriori, baskets, options, expected);
                f = Time(fpGrowth, baskets, options, expected);
            }
            else
            {
                f = Time(fpGrowth, baskets, options, expected);
                a = Time(apriori, baskets, options, expected);
            }

            aprioriSeconds.Add(a);
            fpSeconds.Add(f);
            ratios.Add(a / f);
        }

        var itemsets = fpGrowth.Mine(baskets, options);
        var stopwatch = Stopwatch.StartNew();
        var rules = AssociationRules.Generate(itemsets, options);
        var ruleSeconds = stopwatch.Elapsed.TotalSeconds;

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            mode = "rules",
            baskets = baskets.Length,
            min_support = support,
            frequent_itemsets = expected,
            rounds,
            apriori_median_ms = Math.Round(Median(aprioriSeconds) * 1000, 2),
            fp_growth_median_ms = Math.Round(Median(fpSeconds) * 1000, 2),
            ratio_of_medians = Math.Round(Median(aprioriSeconds) / Median(fpSeconds), 1),
            median_round_ratio = Math.Round(Median(ratios), 1),
            apriori_ms = aprioriSeconds.Select(s => Math.Round(s * 1000, 1)),
            fp_growth_ms = fpSeconds.Select(s => Math.Round(s * 1000, 2)),
            rules_at_confidence_05 = rules.Count,
            rule_generation_ms = Math.Round(ruleSeconds * 1000, 2),
        }));
    }

    private static double Time(IFrequentItemsetMiner miner, int[][] baskets, AssociationRuleOptions options, int expected)
    {
        var stopwatch = Stopwatch.StartNew();
        var count = miner.Mine(baskets, options).Itemsets.Count;
        var seconds = stopwatch.Elapsed.TotalSeconds;
        return count == expected ? seconds : throw new InvalidOperationException($"{miner.GetType().Name}: {count} itemsets, expected {expected}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>basket_id,item rows (gzip CSV) into baskets of item ids, ids in order of first appearance.</summary>
    private static int[][] Read(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        _ = reader.ReadLine();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var baskets = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            var basket = line[..comma];
            var item = line[(comma + 1)..];
            if (!ids.TryGetValue(item, out var id))
            {
                id = ids.Count;
                ids.Add(item, id);
            }

            if (!baskets.TryGetValue(basket, out var items))
            {
                baskets.Add(basket, items = []);
            }

            items.Add(id);
        }

        return [.. baskets.Values.Select(b => b.ToArray())];
    }
}
