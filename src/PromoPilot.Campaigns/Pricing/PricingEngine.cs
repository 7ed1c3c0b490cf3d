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
/// </remarks>
public sealed class PricingEngine
{
    private readonly CompiledRule[] _rules;
    private readonly Dictionary<string, int[]> _bySku;
    private readonly Dictionary<string, int[]> _byCategory;
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
        _wholeCart = [.. Enumerable.Range(0, ordered.Count).Where(i => ordered[i].WholeCart)];
    }

    /// <summary>Prices one basket.</summary>
    /// <exception cref="ArgumentException">A line has a negative or non-cent price, or a quantity below 1 (the message names the line).</exception>
    public PricingResult Price(IReadOnlyList<BasketLine> basket)
    {
        ArgumentNullException.ThrowIfNull(basket);
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
            }

            var discounts = new List<LineDiscount>();
            var applied = new List<string>();
            long total = 0;
            for (var r = 0; r < _rules.Length; r++)
            {
                var rule = _rules[r];
                var scope = masks.AsSpan(r * words, words);
                if (!scope.ContainsAnyExcept(0UL) || subtotal < rule.MinimumBasket || (rule.Group >= 0 && groupUsed[rule.Group]))
                {
                    continue;
                }

                Array.Clear(share, 0, n);
                var given = rule.Apply(lines, scope, remaining.AsSpan(0, n), unit.AsSpan(0, n), share.AsSpan(0, n));
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

            return new PricingResult(Money(subtotal), Money(total), discounts, applied);
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

        public PromotionRule Source => source;

        public int Group => group;

        public long MinimumBasket { get; } = (long)decimal.Round(source.MinimumBasket * 100);

        /// <summary>Fills each line's share of the rule's discount; returns the total.</summary>
        public long Apply(BasketLine[] lines, ReadOnlySpan<ulong> mask, ReadOnlySpan<long> remaining, ReadOnlySpan<long> unit, Span<long> share)
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
                default:
                    return FreeUnits(lines, mask, remaining, unit, share);
            }

            discount = Math.Min(discount, scope);
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
