using System.Diagnostics;
using System.Globalization;
using PromoPilot.Campaigns.Pricing;

/// <summary>
/// Pricing throughput on one thread: 20 active rules (percent with caps, amounts, spend thresholds, buy-X-get-Y; item,
/// category and whole-cart scopes; exclusive groups), 10-line baskets drawn from 2,000 items in 20 categories. Prints the
/// median evaluations per second over ROUNDS rounds of BASKETS evaluations each.
/// </summary>
internal static class PricingBench
{
    public static void Run(string[] args)
    {
        var baskets = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
        var random = new Random(42);
        string Category(int i) => "Cat" + (i % 20);
        var rules = new List<PromotionRule>();
        for (var r = 0; r < 20; r++)
        {
            var scope = r % 3 == 0 ? null : new HashSet<string> { Category(random.Next(20)) };
            var skus = r % 3 == 1 ? new HashSet<string> { "sku" + random.Next(2000), "sku" + random.Next(2000) } : null;
            rules.Add((r % 4) switch
            {
                0 => new PromotionRule($"pct{r}", PromotionKind.PercentOff, r, Skus: skus, Categories: skus is null ? scope : null, Percent: 0.1m, Cap: 15, ExclusiveGroup: r % 8 == 0 ? "site" : null),
                1 => new PromotionRule($"amt{r}", PromotionKind.AmountOff, r, Skus: skus, Categories: skus is null ? scope : null, Amount: 3),
                2 => new PromotionRule($"thr{r}", PromotionKind.SpendThreshold, r, Skus: skus, Categories: skus is null ? scope : null, Tiers: [new(50, 5), new(100, 12), new(200, 30)]),
                _ => new PromotionRule($"bxgy{r}", PromotionKind.BuyXGetY, r, Skus: skus, Categories: skus is null ? scope : null, BuyQuantity: 2, FreeQuantity: 1),
            });
        }

        var engine = new PricingEngine(rules);
        var samples = Enumerable.Range(0, 1024).Select(_ => Enumerable.Range(0, 10).Select(_ =>
        {
            var item = random.Next(2000);
            return new BasketLine("sku" + item, Category(item), (item % 500 / 10m) + 0.99m, 1 + random.Next(3));
        }).ToArray()).ToArray();

        var rates = new List<double>();
        decimal checksum = 0;
        for (var round = 0; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            for (var b = 0; b < baskets; b++)
            {
                checksum += engine.Price(samples[b & 1023]).TotalDiscount;
            }

            if (round > 0)
            {
                rates.Add(baskets / clock.Elapsed.TotalSeconds); // round 0 warms up
            }
        }

        rates.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"pricing: {rates[rates.Count / 2]:N0} baskets/s median on one thread (min {rates[0]:N0}, max {rates[^1]:N0}); 10 lines, 20 rules; checksum {checksum}"));
    }
}
