using System.Diagnostics;
using System.Globalization;
using PromoPilot.Campaigns.Pricing;

/// <summary>
/// Pricing throughput on one thread: 20 active rules (percent with caps, amounts, spend thresholds, buy-X-get-Y; item,
/// category and whole-cart scopes; exclusive groups), 10-line baskets drawn from 2,000 items in 20 categories. Prints the
/// median evaluations per second over ROUNDS rounds of BASKETS evaluations each, through the BasketLine API and through
/// resolved lines with a caller-owned buffer (the same results: the checksums agree). With a third argument <c>all</c> the 20 rules
/// cycle through every kind (bundles, free shipping, gifts, member and flash-sale prices too; brand scopes; a member
/// shopper with a floor of 0.01 and a flash-sale unit limit).
/// </summary>
internal static class PricingBench
{
    public static void Run(string[] args)
    {
        var baskets = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
        var all = args.Length > 3 && args[3] == "all";
        var random = new Random(42);
        string Brand(int i) => "Brand" + (i % 7);
        string Category(int i) => "Cat" + (i % 20);
        var rules = new List<PromotionRule>();
        for (var r = 0; r < 20; r++)
        {
            var scope = r % 3 == 0 ? null : new HashSet<string> { Category(random.Next(20)) };
            var skus = r % 3 == 1 ? new HashSet<string> { "sku" + random.Next(2000), "sku" + random.Next(2000) } : null;
            var brands = all && r % 5 == 4 ? new HashSet<string> { Brand(random.Next(7)) } : null;
            rules.Add((all ? r % 9 : r % 4) switch
            {
                0 => new PromotionRule($"pct{r}", PromotionKind.PercentOff, r, Skus: skus, Categories: skus is null ? scope : null, Percent: 0.1m, Cap: 15, ExclusiveGroup: r % 8 == 0 ? "site" : null),
                1 => new PromotionRule($"amt{r}", PromotionKind.AmountOff, r, Skus: skus, Categories: skus is null ? scope : null, Amount: 3),
                2 => new PromotionRule($"thr{r}", PromotionKind.SpendThreshold, r, Skus: skus, Categories: skus is null ? scope : null, Tiers: [new(50, 5), new(100, 12), new(200, 30)]),
                3 => new PromotionRule($"bxgy{r}", PromotionKind.BuyXGetY, r, Skus: skus, Categories: skus is null ? scope : null, BuyQuantity: 2, FreeQuantity: 1),
                4 => new PromotionRule($"bundle{r}", PromotionKind.BundlePrice, r, Skus: new HashSet<string> { "sku" + random.Next(2000), "sku" + random.Next(2000) }, Price: 20),
                5 => new PromotionRule($"ship{r}", PromotionKind.FreeShipping, r, Amount: 5, MinimumBasket: 60),
                6 => new PromotionRule($"gift{r}", PromotionKind.GiftWithPurchase, r, Categories: scope ?? new HashSet<string> { Category(r) }, GiftItem: "tote", GiftValue: 2),
                7 => new PromotionRule($"member{r}", PromotionKind.MemberPrice, r, Categories: brands is null ? scope ?? new HashSet<string> { Category(r) } : null, Brands: brands, Price: 9.99m),
                _ => new PromotionRule($"flash{r}", PromotionKind.FlashSale, r, Categories: brands is null ? scope ?? new HashSet<string> { Category(r) } : null, Brands: brands, Price: 4.99m),
            });
        }

        var engine = new PricingEngine(rules);
        var samples = Enumerable.Range(0, 1024).Select(_ => Enumerable.Range(0, 10).Select(_ =>
        {
            var item = random.Next(2000);
            return new BasketLine("sku" + item, Category(item), (item % 500 / 10m) + 0.99m, 1 + random.Next(3), all ? Brand(item) : null);
        }).ToArray()).ToArray();

        var context = all
            ? new PricingContext(IsMember: true, ShippingFee: 4.99m, Floor: 0.01m, UnitLimits: rules.Where(r => r.Kind == PromotionKind.FlashSale).ToDictionary(r => r.Id, _ => 2))
            : PricingContext.Default;
        // The string API (resolves every line, builds result records) and the resolved-line API (lines resolved once,
        // results in a caller-owned buffer: no lookups, no allocation per basket); the checksums must agree.
        var resolvedOnly = args.Contains("resolved");
        var (stringRates, stringCpu, stringChecksum, stringBytes) = Measure(baskets, resolvedOnly ? 1 : rounds, b => (long)(engine.Price(samples[b & 1023], context).TotalDiscount * 100));
        var resolved = samples.Select(s => s.Select(engine.Resolve).ToArray()).ToArray();
        var buffer = new PricingBuffer();
        var (resolvedRates, resolvedCpu, resolvedChecksum, resolvedBytes) = Measure(baskets, rounds, b => engine.Price(resolved[b & 1023], context, buffer));
        Console.WriteLine(FormattableString.Invariant(
            $"pricing: 10 lines, 20 rules{(all ? " of every kind" : "")}, one thread, median of {rounds} rounds of {baskets:N0}"));
        Console.WriteLine(FormattableString.Invariant(
            $"  resolved lines, caller-owned buffer: {resolvedRates[resolvedRates.Count / 2]:N0} baskets/s (min {resolvedRates[0]:N0}, max {resolvedRates[^1]:N0}), {resolvedCpu[resolvedCpu.Count / 2]:N0} per CPU-second; {resolvedBytes:N1} bytes allocated per basket; checksum {resolvedChecksum / 100m}"));
        Console.WriteLine(FormattableString.Invariant(
            $"  BasketLine list, PricingResult:      {stringRates[stringRates.Count / 2]:N0} baskets/s (min {stringRates[0]:N0}, max {stringRates[^1]:N0}), {stringCpu[stringCpu.Count / 2]:N0} per CPU-second; {stringBytes:N1} bytes allocated per basket; checksum {stringChecksum / 100m}"));
    }

    /// <summary>Baskets per wall-clock second and per CPU-second of this process (what a shared machine's load does not take away).</summary>
    private static (List<double> Rates, List<double> CpuRates, long Checksum, double BytesPerBasket) Measure(int baskets, int rounds, Func<int, long> price)
    {
        var rates = new List<double>();
        var cpuRates = new List<double>();
        using var process = Process.GetCurrentProcess();
        long checksum = 0;
        long bytes = 0;
        for (var round = 0; round <= rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (var b = 0; b < baskets; b++)
            {
                checksum += price(b);
            }

            if (round > 0)
            {
                rates.Add(baskets / clock.Elapsed.TotalSeconds); // round 0 warms up
                process.Refresh();
                cpuRates.Add(baskets / (process.TotalProcessorTime - cpu).TotalSeconds);
                bytes += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }

        rates.Sort();
        cpuRates.Sort();
        return (rates, cpuRates, checksum, (double)bytes / ((long)baskets * rounds));
    }
}
