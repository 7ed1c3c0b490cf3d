using System.Buffers;

namespace PromoPilot.Campaigns.Pricing;

/// <summary>
/// Applies a set of promotion rules to baskets: a pure function from (rules, basket) to every line's discount with the
/// rule that gave it. Money is counted in whole cents.
/// </summary>
/// <remarks>
/// <para>Rules are indexed by what triggers them (item, category, whole cart), so a basket only looks at the rules its
/// lines can trigger. They apply in order of priority (higher first, then id), each on what the lines in its scope still
/// cost after the rules before it: a line never goes below zero and the total discount never exceeds the subtotal.
/// A rule's discount is shared among its lines in proportion to what they still cost, cents by largest remainder with
/// ties broken by item id, so the result does not depend on the order of the lines.</para>
/// <para>Stacking: at most one rule of an exclusive group gives a discount (the first that gives one); a rule with
/// "stop further rules" ends the evaluation once it has given one; a rule with a minimum basket applies only when the
/// basket's subtotal reaches it. Spend thresholds and percentage discounts look at what the scope still costs.</para>
/// <para>The basket never goes below the context's floor: each rule gives at most what is left above it (a rule whose
/// lines are shared, buy-X-get-Y or a price, then shares what it may give in proportion to what it would have given).
/// Free shipping and gifts are order-level benefits (<see cref="PricingResult.Benefits"/>): they take part in stacking
/// but touch no line. Member prices apply only to members; flash-sale and member prices apply to at most the units the
/// caller's counters allow (<see cref="PricingContext.UnitLimits"/>).</para>
/// </remarks>
public sealed class PricingEngine
{
    private readonly CompiledRule[] _rules;
    private readonly Dictionary<string, int[]> _bySku;
    private readonly Dictionary<string, int[]> _byCategory;
    private readonly Dictionary<string, int[]> _byBrand;
    private readonly int[] _wholeCart;
    private readonly int _groups;

    /// <exception cref="ArgumentException">Any rule is invalid or ids repeat; the message lists every problem.</exception>
    public PricingEngine(IEnumerable<PromotionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var list = rules.ToList();
        var problems = list.SelectMany(r => r.Problems()).ToList();
        problems.AddRange(list.GroupBy(r => r.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"{g.Key}: id used by {g.Count()} rules"));
        if (problems.Count > 0)
        {
            throw new ArgumentException($"invalid promotion rules: {string.Join("; ", problems)}", nameof(rules));
        }

        var ordered = list.OrderByDescending(r => r.Priority).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        _rules = [.. ordered.Select(r => new CompiledRule(r, r.ExclusiveGroup is { } g ? groups.TryGetValue(g, out var i) ? i : groups[g] = groups.Count : -1))];
        _groups = groups.Count;
        _bySku = Index(ordered, r => r.Skus);
        _byCategory = Index(ordered, r => r.Categories);
        _byBrand = Index(ordered, r => r.Brands);
        _wholeCart = [.. Enumerable.Range(0, ordered.Count).Where(i => ordered[i].WholeCart)];
    }

    /// <summary>Prices one basket for a non-member with floor 0 (<see cref="PricingContext.Default"/>).</summary>
    /// <exception cref="ArgumentException">A line has a negative or non-cent price, or a quantity below 1 (the message names the line).</exception>
    public PricingResult Price(IReadOnlyList<BasketLine> basket) => Price(basket, PricingContext.Default);

    /// <summary>Prices one basket in a context (member, shipping fee, floor, unit limits).</summary>
    /// <exception cref="ArgumentException">A line has a negative or non-cent price, or a quantity below 1 (the message names the line),
    /// or the context's floor or shipping fee is negative.</exception>
    public PricingResult Price(IReadOnlyList<BasketLine> basket, PricingContext context)
    {
        ArgumentNullException.ThrowIfNull(basket);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Floor < 0 || context.ShippingFee < 0)
        {
            throw new ArgumentException($"the floor ({context.Floor}) and the shipping fee ({context.ShippingFee}) must not be negative", nameof(context));
        }

        var floor = (long)decimal.Ceiling(context.Floor * 100);
        var lines = basket as BasketLine[] ?? [.. basket];
        var n = lines.Length;
        var pool = ArrayPool<long>.Shared;
        var remaining = pool.Rent(n);
        var unit = pool.Rent(n);
        var share = pool.Rent(n);
        var words = (n + 63) / 64;
        var masks = ArrayPool<ulong>.Shared.Rent(Math.Max(1, _rules.Length * words));
        var groupUsed = ArrayPool<bool>.Shared.Rent(Math.Max(1, _groups));
        try
        {
            long subtotal = 0;
            for (var i = 0; i < n; i++)
            {
                var line = lines[i];
                if (line.Quantity < 1 || line.UnitPrice < 0 || (line.UnitPrice.Scale > 2 && decimal.Round(line.UnitPrice, 2) != line.UnitPrice))
                {
                    throw new ArgumentException($"line {i} ({line.Sku}): quantity must be at least 1 and the unit price a non-negative amount in cents, not {line.Quantity} x {line.UnitPrice}", nameof(basket));
                }

                unit[i] = decimal.ToOACurrency(line.UnitPrice) / 100; // exact: the price has at most two decimals
                remaining[i] = unit[i] * line.Quantity;
                subtotal += remaining[i];
            }

            // Which lines each rule can touch, from the trigger index: no rule is scanned against a line it cannot match.
            Array.Clear(masks, 0, Math.Max(1, _rules.Length * words));
            Array.Clear(groupUsed, 0, Math.Max(1, _groups));
            foreach (var r in _wholeCart)
            {
                for (var i = 0; i < n; i++)
                {
                    masks[(r * words) + (i >> 6)] |= 1UL << (i & 63);
                }
            }

            for (var i = 0; i < n; i++)
            {
                Mark(_bySku, lines[i].Sku, masks, words, i);
                Mark(_byCategory, lines[i].Category, masks, words, i);
                if (lines[i].Brand is { } brand)
                {
                    Mark(_byBrand, brand, masks, words, i);
                }
            }

            var discounts = new List<LineDiscount>();
            var applied = new List<string>();
            List<OrderBenefit>? benefits = null;
            long total = 0;
            for (var r = 0; r < _rules.Length; r++)
            {
                var rule = _rules[r];
                var scope = masks.AsSpan(r * words, words);
                if (!scope.ContainsAnyExcept(0UL) || subtotal < rule.MinimumBasket || (rule.Group >= 0 && groupUsed[rule.Group]))
                {
                    continue;
                }

                if (rule.IsOrderBenefit)
                {
                    if (rule.Benefit(context) is not { } benefit)
                    {
                        continue;
                    }

                    (benefits ??= []).Add(benefit);
                }
                else
                {
                    var limit = subtotal - floor - total;
                    if (limit <= 0 || (rule.Source.Kind == PromotionKind.MemberPrice && !context.IsMember))
                    {
                        continue;
                    }

                    Array.Clear(share, 0, n);
                    var given = rule.Apply(lines, scope, remaining.AsSpan(0, n), unit.AsSpan(0, n), share.AsSpan(0, n), limit, rule.Units(context));
                    if (given <= 0)
                    {
                        continue;
                    }

                    for (var i = 0; i < n; i++)
                    {
                        if (share[i] > 0)
                        {
                            remaining[i] -= share[i];
                            discounts.Add(new LineDiscount(i, rule.Source.Id, Money(share[i])));
                        }
                    }

                    total += given;
                }

                applied.Add(rule.Source.Id);
                if (rule.Group >= 0)
                {
                    groupUsed[rule.Group] = true;
                }

                if (rule.Source.StopFurtherRules)
                {
                    break;
                }
            }

            return new PricingResult(Money(subtotal), Money(total), discounts, applied) { Benefits = benefits ?? [] };
        }
        finally
        {
            pool.Return(remaining);
            pool.Return(unit);
            pool.Return(share);
            ArrayPool<ulong>.Shared.Return(masks);
            ArrayPool<bool>.Shared.Return(groupUsed);
        }
    }

    /// <summary>Cents as a decimal amount with two places (no division).</summary>
    private static decimal Money(long cents) => new((int)(cents & 0xFFFFFFFF), (int)(cents >> 32), 0, false, 2);

    private static void Mark(Dictionary<string, int[]> index, string key, ulong[] masks, int words, int line)
    {
        if (index.TryGetValue(key, out var rules))
        {
            foreach (var r in rules)
            {
                masks[(r * words) + (line >> 6)] |= 1UL << (line & 63);
            }
        }
    }

    private static Dictionary<string, int[]> Index(List<PromotionRule> ordered, Func<PromotionRule, IReadOnlySet<string>?> keys) =>
        ordered.SelectMany((rule, rank) => (keys(rule) ?? new HashSet<string>()).Select(key => (key, rank)))
            .GroupBy(p => p.key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.rank).ToArray(), StringComparer.Ordinal);

    /// <summary>A rule with its amounts in cents.</summary>
    private sealed class CompiledRule(PromotionRule source, int group)
    {
        private readonly long _cap = source.Cap is { } cap ? (long)decimal.Round(cap * 100) : long.MaxValue;
        private readonly long _amount = (long)decimal.Round(source.Amount * 100);

        // Percent in millionths: whole-cent arithmetic with rounding half up, no decimal per basket.
        private readonly long _percentMillionths = (long)decimal.Round(source.Percent * 1_000_000);
        private readonly (long Threshold, long Save)[] _tiers = [.. (source.Tiers ?? []).Select(t => ((long)decimal.Round(t.Threshold * 100), (long)decimal.Round(t.Save * 100)))];
        private readonly long _price = (long)decimal.Round(source.Price * 100);
        private readonly int _bundleItems = source.Skus?.Count ?? 0;

        public PromotionRule Source => source;

        /// <summary>Free shipping and gifts: benefits of the order, not discounts of its lines.</summary>
        public bool IsOrderBenefit { get; } = source.Kind is PromotionKind.FreeShipping or PromotionKind.GiftWithPurchase;

        /// <summary>The order-level benefit this rule gives in <paramref name="context"/>, or null when it gives nothing.</summary>
        public OrderBenefit? Benefit(PricingContext context)
        {
            if (source.Kind == PromotionKind.GiftWithPurchase)
            {
                return new OrderBenefit(source.Id, BenefitKind.Gift, source.GiftValue, source.GiftItem);
            }

            var waived = Math.Min(context.ShippingFee ?? source.Amount, source.Amount);
            return waived > 0 ? new OrderBenefit(source.Id, BenefitKind.FreeShipping, waived) : null;
        }

        /// <summary>Units a price rule may still discount (the caller's counters); unlimited for other rules.</summary>
        public long Units(PricingContext context) =>
            source.Kind is PromotionKind.FlashSale or PromotionKind.MemberPrice && context.UnitLimits is { } limits && limits.TryGetValue(source.Id, out var units)
                ? Math.Max(0, units)
                : long.MaxValue;

        public int Group => group;

        public long MinimumBasket { get; } = (long)decimal.Round(source.MinimumBasket * 100);

        /// <summary>Fills each line's share of the rule's discount, at most <paramref name="limit"/> in total; returns the total.</summary>
        public long Apply(BasketLine[] lines, ReadOnlySpan<ulong> mask, ReadOnlySpan<long> remaining, ReadOnlySpan<long> unit, Span<long> share, long limit, long units)
        {
            long scope = 0;
            for (var i = 0; i < lines.Length; i++)
            {
                if (InScope(mask, i))
                {
                    scope += remaining[i];
                }
            }

            if (scope <= 0)
            {
                return 0;
            }

            long discount;
            switch (source.Kind)
            {
                case PromotionKind.PercentOff:
                    discount = Math.Min(_cap, scope <= int.MaxValue
                        ? ((scope * _percentMillionths) + 500_000) / 1_000_000
                        : (long)((((Int128)scope * _percentMillionths) + 500_000) / 1_000_000));
                    break;
                case PromotionKind.AmountOff:
                    discount = _amount;
                    break;
                case PromotionKind.SpendThreshold:
                    discount = 0;
                    foreach (var (threshold, save) in _tiers)
                    {
                        if (scope >= threshold)
                        {
                            discount = save;
                        }
                    }

                    break;
                case PromotionKind.BuyXGetY:
                    return Limit(lines, share, FreeUnits(lines, mask, remaining, unit, share), limit);
                case PromotionKind.BundlePrice:
                    return Bundle(lines, mask, remaining, share, limit);
                default:
                    return Limit(lines, share, PriceUnits(lines, mask, remaining, share, units), limit);
            }

            discount = Math.Min(Math.Min(discount, scope), limit);
            if (discount > 0)
            {
                Allocate(lines, mask, remaining, share, discount, scope);
            }

            return discount;
        }

        private static bool InScope(ReadOnlySpan<ulong> mask, int line) => (mask[line >> 6] & (1UL << (line & 63))) != 0;

        /// <summary>Splits <paramref name="discount"/> over the lines in scope by what they still cost; cents by largest remainder, ties by item id.</summary>
        private static void Allocate(BasketLine[] lines, ReadOnlySpan<ulong> mask, ReadOnlySpan<long> remaining, Span<long> share, long discount, long scope)
        {
            long given = 0;
            var reciprocal = (double)discount / scope;
            Span<long> fraction = lines.Length <= 256 ? stackalloc long[lines.Length] : new long[lines.Length];
            for (var i = 0; i < lines.Length; i++)
            {
                fraction[i] = -1;
                if (!InScope(mask, i) || remaining[i] == 0)
                {
                    continue;
                }

                // share = ⌊discount·remaining / scope⌋ by one multiplication with the reciprocal, corrected to the exact
                // quotient (a division per line and rule was a quarter of the time); 128-bit only for huge amounts.
                if (discount <= int.MaxValue && remaining[i] <= int.MaxValue)
                {
                    var product = discount * remaining[i];
                    var estimate = (long)(remaining[i] * reciprocal);
                    var rest = product - (estimate * scope);
                    for (; rest < 0; rest += scope)
                    {
                        estimate--;
                    }

                    for (; rest >= scope; rest -= scope)
                    {
                        estimate++;
                    }

                    (share[i], fraction[i]) = (estimate, rest);
                }
                else
                {
                    var product = (Int128)discount * remaining[i];
                    (share[i], fraction[i]) = ((long)(product / scope), (long)(product % scope));
                }

                given += share[i];
            }

            // Fewer cents are left than lines in scope: each goes to the largest remainder still waiting, ties by item id
            // then by cost, so the order of the lines never matters.
            for (var left = discount - given; left > 0; left--)
            {
                var best = -1;
                for (var i = 0; i < lines.Length; i++)
                {
                    if (fraction[i] >= 0 && (best < 0 || fraction[i] > fraction[best]
                        || (fraction[i] == fraction[best] && Before(lines, remaining, i, best))))
                    {
                        best = i;
                    }
                }

                share[best]++;
                fraction[best] = -1;
            }
        }

        /// <summary>
        /// Keeps a rule's line shares within <paramref name="limit"/> (what is left above the floor): when they exceed it,
        /// the limit is shared in proportion to them (each line then gets at most its own share).
        /// </summary>
        private static long Limit(BasketLine[] lines, Span<long> share, long total, long limit)
        {
            if (total <= limit)
            {
                return total;
            }

            Span<long> weight = lines.Length <= 256 ? stackalloc long[lines.Length] : new long[lines.Length];
            share.CopyTo(weight);
            share.Clear();
            AllocateWeighted(lines, weight, share, limit, total);
            return limit;
        }

        /// <summary>Splits <paramref name="discount"/> ≤ <paramref name="total"/> = Σ weights in proportion to the weights; cents by largest remainder, ties by item id then weight.</summary>
        private static void AllocateWeighted(BasketLine[] lines, ReadOnlySpan<long> weight, Span<long> share, long discount, long total)
        {
            long given = 0;
            Span<long> fraction = lines.Length <= 256 ? stackalloc long[lines.Length] : new long[lines.Length];
            for (var i = 0; i < lines.Length; i++)
            {
                fraction[i] = -1;
                if (weight[i] > 0)
                {
                    var product = (Int128)discount * weight[i];
                    (share[i], fraction[i]) = ((long)(product / total), (long)(product % total));
                    given += share[i];
                }
            }

            for (var left = discount - given; left > 0; left--)
            {
                var best = -1;
                for (var i = 0; i < lines.Length; i++)
                {
                    if (fraction[i] >= 0 && (best < 0 || fraction[i] > fraction[best]
                        || (fraction[i] == fraction[best] && Before(lines, weight, i, best))))
                    {
                        best = i;
                    }
                }

                share[best]++;
                fraction[best] = -1;
            }
        }

        /// <summary>
        /// Bundle price: as many bundles as the scarcest bundle item's units; the bundled units are a share k / q of each
        /// bundle item's lines (k bundles, q units of the item), and the discount is what they still cost minus k prices.
        /// </summary>
        private long Bundle(BasketLine[] lines, ReadOnlySpan<ulong> mask, ReadOnlySpan<long> remaining, Span<long> share, long limit)
        {
            var units = new Dictionary<string, long>(_bundleItems, StringComparer.Ordinal);
            for (var i = 0; i < lines.Length; i++)
            {
                if (InScope(mask, i))
                {
                    units[lines[i].Sku] = units.GetValueOrDefault(lines[i].Sku) + lines[i].Quantity;
                }
            }

            if (units.Count < _bundleItems)
            {
                return 0;
            }

            var bundles = units.Values.Min();
            Span<long> weight = lines.Length <= 256 ? stackalloc long[lines.Length] : new long[lines.Length];
            long bundled = 0;
            for (var i = 0; i < lines.Length; i++)
            {
                weight[i] = InScope(mask, i) ? (long)((Int128)remaining[i] * bundles / units[lines[i].Sku]) : 0;
                bundled += weight[i];
            }

            var discount = Math.Min(bundled - (bundles * _price), limit);
            if (discount <= 0)
            {
                return 0;
            }

            AllocateWeighted(lines, weight, share, discount, bundled);
            return discount;
        }

        /// <summary>
        /// Member and flash-sale prices: each unit in scope that still costs more than the price saves the difference, for
        /// at most <paramref name="units"/> units, the units saving most first (ties by item id), so line order never matters.
        /// </summary>
        private long PriceUnits(BasketLine[] lines, ReadOnlySpan<ulong> mask, ReadOnlySpan<long> remaining, Span<long> share, long units)
        {
            Span<long> saving = lines.Length <= 256 ? stackalloc long[lines.Length] : new long[lines.Length];
            long total = 0;
            long wanted = 0;
            for (var i = 0; i < lines.Length; i++)
            {
                saving[i] = InScope(mask, i) ? (remaining[i] / lines[i].Quantity) - _price : 0;
                if (saving[i] > 0)
                {
                    wanted += lines[i].Quantity;
                }
            }

            if (wanted <= units)
            {
                for (var i = 0; i < lines.Length; i++)
                {
                    if (saving[i] > 0)
                    {
                        share[i] = remaining[i] - (_price * lines[i].Quantity);
                        total += share[i];
                    }
                }

                return total;
            }

            for (var left = units; left > 0;)
            {
                var best = -1;
                for (var i = 0; i < lines.Length; i++)
                {
                    if (saving[i] > 0 && (best < 0 || saving[i] > saving[best] || (saving[i] == saving[best] && Before(lines, remaining, i, best))))
                    {
                        best = i;
                    }
                }

                if (best < 0)
                {
                    break;
                }

                var take = Math.Min(left, lines[best].Quantity);
                share[best] = take == lines[best].Quantity ? remaining[best] - (_price * take) : saving[best] * take;
                total += share[best];
                saving[best] = 0;
                left -= take;
            }

            return total;
        }

        /// <summary>Tie-break between two lines: item id, then what the line still costs.</summary>
        private static bool Before(BasketLine[] lines, ReadOnlySpan<long> remaining, int a, int b)
        {
            var bySku = string.CompareOrdinal(lines[a].Sku, lines[b].Sku);
            return bySku != 0 ? bySku < 0 : remaining[a] < remaining[b];
        }

        /// <summary>Buy X get Y: of every X + Y units in scope the cheapest Y are free (at what they still cost).</summary>
        private long FreeUnits(BasketLine[] lines, ReadOnlySpan<ulong> mask, ReadOnlySpan<long> remaining, ReadOnlySpan<long> unit, Span<long> share)
        {
            long units = 0;
            Span<long> perUnit = lines.Length <= 256 ? stackalloc long[lines.Length] : new long[lines.Length];
            Span<bool> open = lines.Length <= 256 ? stackalloc bool[lines.Length] : new bool[lines.Length];
            for (var i = 0; i < lines.Length; i++)
            {
                open[i] = InScope(mask, i) && remaining[i] > 0;
                if (open[i])
                {
                    units += lines[i].Quantity;
                    perUnit[i] = Math.Min(unit[i], remaining[i] / lines[i].Quantity);
                }
            }

            var free = units / (source.BuyQuantity + source.FreeQuantity) * source.FreeQuantity;
            long total = 0;
            while (free > 0)
            {
                // The cheapest line still open, ties by item id: line order never matters.
                var cheapest = -1;
                for (var i = 0; i < lines.Length; i++)
                {
                    if (open[i] && (cheapest < 0 || perUnit[i] < perUnit[cheapest]
                        || (perUnit[i] == perUnit[cheapest] && string.CompareOrdinal(lines[i].Sku, lines[cheapest].Sku) < 0)))
                    {
                        cheapest = i;
                    }
                }

                var take = Math.Min(free, lines[cheapest].Quantity);
                share[cheapest] = take * perUnit[cheapest];
                total += share[cheapest];
                open[cheapest] = false;
                free -= take;
            }

            return total;
        }
    }
}
