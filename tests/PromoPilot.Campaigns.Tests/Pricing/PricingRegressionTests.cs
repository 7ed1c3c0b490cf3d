using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PromoPilot.Campaigns.Pricing;

namespace PromoPilot.Campaigns.Tests.Pricing;

/// <summary>
/// The pricing engine rewritten for speed (resolved lines, caller-owned buffers) prices exactly as the engine before it:
/// the digest below is of every result (subtotal, total, each line discount with its rule, applied rules, benefits) over
/// 20,000 seeded random cases, computed with the previous engine (commit d6d43fa) by this same test.
/// </summary>
public class PricingRegressionTests
{
    private const string PreviousEngineDigest = "FC73C71EB637080EFB6B62528675DDCFD74BBE14ED92FCA593B0C001CB36A1EE";

    [Fact]
    public void Price_SeededRandomCases_SameResultsAsThePreviousEngine()
    {
        var random = new Random(99);
        var text = new StringBuilder();
        for (var trial = 0; trial < 20_000; trial++)
        {
            var rules = PricingEngineTests.RandomRules(random);
            var engine = new PricingEngine(rules);
            var basket = PricingEngineTests.RandomBasket(random);
            var context = PricingEngineTests.RandomContext(random, rules);
            var result = engine.Price(basket, context);
            text.Append(CultureInfo.InvariantCulture, $"{trial}:{result.Subtotal}/{result.TotalDiscount}|");
            foreach (var d in result.Discounts)
            {
                text.Append(CultureInfo.InvariantCulture, $"{d.Line},{d.RuleId},{d.Amount};");
            }

            text.Append('|').AppendJoin(',', result.AppliedRules).Append('|');
            foreach (var b in result.Benefits)
            {
                text.Append(CultureInfo.InvariantCulture, $"{b.RuleId},{b.Kind},{b.Value},{b.Item};");
            }

            text.Append('\n');
        }

        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        Assert.Equal(PreviousEngineDigest, digest);
    }
}

public class PricingResolvedLinesTests
{
    [Fact]
    public void Price_ResolvedLinesIntoABuffer_SameAsTheBasketLineApi()
    {
        var random = new Random(5);
        var buffer = new PricingBuffer(); // reused across engines, baskets and contexts: it must not carry anything over
        for (var trial = 0; trial < 3000; trial++)
        {
            var rules = PricingEngineTests.RandomRules(random);
            var engine = new PricingEngine(rules);
            var basket = PricingEngineTests.RandomBasket(random);
            var context = PricingEngineTests.RandomContext(random, rules);
            var expected = engine.Price(basket, context);

            var total = engine.Price([.. basket.Select(engine.Resolve)], context, buffer);

            Assert.Equal(expected.TotalDiscount * 100, total);
            Assert.Equal(expected.Subtotal * 100, buffer.SubtotalCents);
            Assert.Equal(
                expected.Discounts.Select(d => $"{d.Line}/{d.RuleId}/{d.Amount * 100:0}"),
                buffer.Discounts.ToArray().Select(d => $"{d.Line}/{engine.Rules[d.Rule].Id}/{d.Cents}"));
            Assert.Equal(expected.AppliedRules, buffer.AppliedRules.ToArray().Select(r => engine.Rules[r].Id));
            Assert.Equal(expected.Benefits.Select(b => b.RuleId), buffer.BenefitRules.ToArray().Select(r => engine.Rules[r].Id));
        }
    }

    [Fact]
    public void Price_LineResolvedByAnotherEngine_IsRejected()
    {
        var rule = new PromotionRule("ten", PromotionKind.PercentOff, Percent: 0.1m);
        var line = new PricingEngine([rule]).Resolve(new BasketLine("a", "Toys", 10, 1));

        var error = Assert.Throws<ArgumentException>(() => new PricingEngine([rule]).Price([line], PricingContext.Default, new PricingBuffer()));

        Assert.Contains("line 0 was not resolved by this engine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Price_UnitLimitsUpdatedBetweenCallsOnTheSameContext_ReadAfresh()
    {
        var engine = new PricingEngine([new PromotionRule("flash", PromotionKind.FlashSale, Categories: new HashSet<string> { "Toys" }, Price: 5)]);
        var stock = new Dictionary<string, int> { ["flash"] = 3 };
        var context = new PricingContext(UnitLimits: stock);
        var lines = new[] { engine.Resolve(new BasketLine("a", "Toys", 10, 4)) };
        var buffer = new PricingBuffer();

        var first = engine.Price(lines, context, buffer);
        stock["flash"] = 1; // the caller's counter after the first sale
        var second = engine.Price(lines, context, buffer);

        Assert.Equal(1500, first); // 3 units × (10 - 5)
        Assert.Equal(500, second);
    }

    [Fact]
    public void Price_EmptyBasket_GivesNoBenefitFromWholeCartRules()
    {
        var engine = new PricingEngine([new PromotionRule("ship", PromotionKind.FreeShipping, Amount: 5), new PromotionRule("gift", PromotionKind.GiftWithPurchase, GiftItem: "tote")]);

        var result = engine.Price([], new PricingContext(ShippingFee: 4.99m));

        Assert.Empty(result.Benefits);
        Assert.Empty(result.AppliedRules);
    }
}

public class PricingLineSkuOrderTests
{
    [Fact]
    public void CompareSku_RandomIdsSharingLongPrefixes_SameSignAsOrdinalComparison()
    {
        // Ids from a tiny alphabet (U+0000 and a character above U+7FFF included) and lengths 0-11, so the packed first
        // eight characters tie often and the full comparison decides; the sign must always be CompareOrdinal's.
        var engine = new PricingEngine([]);
        var alphabet = new[] { '\0', 'a', 'b', '\uFFFD' };
        var random = new Random(17);
        string RandomId() => new([.. Enumerable.Range(0, random.Next(12)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        var decidedByPack = 0;
        for (var trial = 0; trial < 20_000; trial++)
        {
            var (x, y) = (RandomId(), random.Next(4) == 0 ? null : RandomId());
            y ??= x.Length > 0 ? x[..^1] : x; // prefixes too
            var a = engine.Resolve(new BasketLine(x, "c", 1, 1));
            var b = engine.Resolve(new BasketLine(y, "c", 1, 1));
            Assert.Equal(Math.Sign(string.CompareOrdinal(x, y)), PricingLine.CompareSku(in a, in b));
            Assert.Equal(Math.Sign(string.CompareOrdinal(y, x)), PricingLine.CompareSku(in b, in a));
            decidedByPack += a.SkuHead != b.SkuHead || a.SkuNext != b.SkuNext ? 1 : 0;
        }

        Assert.InRange(decidedByPack, 1_000, 19_000); // both paths taken
    }
}

public class PricingLargeBasketTests
{
    [Fact]
    public void Price_BasketsOfMoreThan64Lines_DiscountOnlyScopeLinesAndIgnoreLineOrder()
    {
        // Rule line sets are bitsets of 64 lines a word: baskets of 65-200 lines cross the word boundary.
        var random = new Random(31);
        for (var trial = 0; trial < 300; trial++)
        {
            var rules = PricingEngineTests.RandomRules(random);
            var engine = new PricingEngine(rules);
            var basket = new List<BasketLine>();
            while (basket.Count < 65 + random.Next(136))
            {
                basket.AddRange(PricingEngineTests.RandomBasket(random));
            }

            var context = PricingEngineTests.RandomContext(random, rules);
            var result = engine.Price(basket, context);

            Assert.True(result.TotalDiscount <= result.Subtotal);
            Assert.Equal(result.TotalDiscount, result.Discounts.Sum(d => d.Amount));
            foreach (var d in result.Discounts)
            {
                var rule = rules.Single(r => r.Id == d.RuleId);
                var line = basket[d.Line];
                Assert.True(rule.WholeCart || rule.Skus?.Contains(line.Sku) == true || rule.Categories?.Contains(line.Category) == true
                    || (line.Brand is { } brand && rule.Brands?.Contains(brand) == true), $"trial {trial}: {d.RuleId} discounted line {d.Line} outside its scope");
            }

            var shuffled = basket.OrderBy(_ => random.Next()).ToList();
            var again = engine.Price(shuffled, context);
            Assert.Equal(result.TotalDiscount, again.TotalDiscount);
            Assert.Equal(result.AppliedRules, again.AppliedRules);
        }
    }

    [Fact]
    public void Price_CategoryPercentOverMoreThan64Lines_IsThePercentOfEveryCategoryLine()
    {
        // Known answer: 10% of what the category's lines cost, rounded half up to the cent, whatever their positions.
        var random = new Random(5);
        var engine = new PricingEngine([new PromotionRule("p", PromotionKind.PercentOff, Categories: new HashSet<string> { "Dairy" }, Percent: 0.1m)]);
        for (var trial = 0; trial < 200; trial++)
        {
            var basket = Enumerable.Range(0, 60 + random.Next(140))
                .Select(i => new BasketLine($"s{random.Next(500)}", random.Next(3) == 0 ? "Dairy" : "Bakery", random.Next(1000, 5000) / 100m, random.Next(1, 4)))
                .ToList();
            var dairy = basket.Where(l => l.Category == "Dairy").Sum(l => l.UnitPrice * l.Quantity);

            var result = engine.Price(basket);

            Assert.Equal(Math.Round(dairy * 0.1m, 2, MidpointRounding.AwayFromZero), result.TotalDiscount);
            Assert.All(result.Discounts, d => Assert.Equal("Dairy", basket[d.Line].Category));
            Assert.Equal(basket.Count(l => l.Category == "Dairy"), result.Discounts.Count); // each costs 10.00 or more: every one gets a share
        }
    }
}
