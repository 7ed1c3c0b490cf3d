using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
    [ThreadStatic]
    private static PricingBuffer? t_buffer;

    private static int[] s_identity = [.. Enumerable.Range(0, 256)];

    private static long[] s_ones = [.. Enumerable.Repeat(1L, 256)];

    [ThreadStatic]
    private static PricingLine[]? t_lines;

    private readonly CompiledRule[] _rules;
    private readonly Dictionary<string, ulong[]> _bySku;
    private readonly Dictionary<string, ulong[]> _byCategory;
    private readonly Dictionary<string, ulong[]> _byBrand;
    private readonly ulong[] _wholeCart;
    private readonly int _words;
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
        Rules = ordered;
        _groups = groups.Count;
        _words = Math.Max(1, (ordered.Count + 63) >> 6);
        _bySku = Index(ordered, r => r.Skus, _words);
        _byCategory = Index(ordered, r => r.Categories, _words);
        _byBrand = Index(ordered, r => r.Brands, _words);
        _wholeCart = new ulong[_words];
        for (var r = 0; r < ordered.Count; r++)
        {
            if (ordered[r].WholeCart)
            {
                _wholeCart[r >> 6] |= 1UL << (r & 63);
            }
        }
    }

    /// <summary>The rules in the order they apply (priority, then id); <see cref="LineDiscountCents.Rule"/> and
    /// <see cref="PricingBuffer.AppliedRules"/> index into it.</summary>
    public IReadOnlyList<PromotionRule> Rules { get; }

    /// <summary>Resolves a basket line against this engine's trigger index: the rules it can trigger, its price in cents.</summary>
    /// <exception cref="ArgumentException">The line has a negative or non-cent price, or a quantity below 1.</exception>
    public PricingLine Resolve(BasketLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Resolve(line, -1, nameof(line));
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

        var n = basket.Count;
        var lines = t_lines is { } cached && cached.Length >= n ? cached : t_lines = new PricingLine[Math.Max(n, 16)];
        var buffer = t_buffer ??= new PricingBuffer();
        try
        {
            for (var i = 0; i < n; i++)
            {
                lines[i] = Resolve(basket[i], i, nameof(basket));
            }

            Price(lines.AsSpan(0, n), context, buffer);
            var discounts = new List<LineDiscount>(buffer.DiscountCount);
            foreach (var d in buffer.Discounts)
            {
                discounts.Add(new LineDiscount(d.Line, _rules[d.Rule].Source.Id, Money(d.Cents)));
            }

            var applied = new List<string>(buffer.AppliedCount);
            foreach (var r in buffer.AppliedRules)
            {
                applied.Add(_rules[r].Source.Id);
            }

            List<OrderBenefit>? benefits = null;
            foreach (var r in buffer.BenefitRules)
            {
                (benefits ??= []).Add(_rules[r].Benefit(context));
            }

            return new PricingResult(Money(buffer.SubtotalCents), Money(buffer.TotalDiscountCents), discounts, applied) { Benefits = benefits ?? [] };
        }
        finally
        {
            Array.Clear(lines, 0, n);
            buffer.Context = null;
            buffer.ContextEngine = null;
        }
    }

    /// <summary>
    /// Prices resolved lines (<see cref="Resolve"/>) into a caller-owned <paramref name="buffer"/>: the same result as
    /// <see cref="Price(IReadOnlyList{BasketLine}, PricingContext)"/>, in cents and rule indices, with no lookups and no
    /// allocation. Returns the total discount in cents.
    /// </summary>
    /// <exception cref="ArgumentException">A line was not resolved by this engine, or the context's floor or shipping fee is negative.</exception>
    public long Price(ReadOnlySpan<PricingLine> lines, PricingContext context, PricingBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(buffer);
        var n = lines.Length;
        var words = _words;
        buffer.Ensure(n, _rules.Length, _groups);
        buffer.Reset();
        if (!ReferenceEquals(buffer.Context, context) || !ReferenceEquals(buffer.ContextEngine, this))
        {
            Compile(context, buffer);
        }

        var active = buffer.Active.AsSpan(0, words);
        var lineWords = (n + 63) >> 6;
        var ruleLines = buffer.RuleLinesFor(_rules.Length, lineWords);
        if (n > 0)
        {
            for (var w = 0; w < words; w++)
            {
                active[w] = _wholeCart[w]; // whole-cart rules apply to any basket with a line
            }
        }
        else
        {
            active.Clear();
        }

        try
        {
            var subtotal = Gather(lines, buffer, active, ruleLines, lineWords);
            var scopeLines = buffer.ScopeLines;
            var every = Identity(n);
            var groupUsed = buffer.GroupUsed;
            for (var g = 0; g < _groups; g++)
            {
                groupUsed[g] = false; // a few flags: a loop is cheaper than a call to clear them
            }

            long total = 0;
            for (var w = 0; w < words; w++)
            {
                for (var bits = active[w]; bits != 0; bits &= bits - 1)
                {
                    var r = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                    var rule = _rules[r];
                    if (subtotal < rule.MinimumBasket || (rule.Group >= 0 && buffer.GroupUsed[rule.Group]))
                    {
                        continue;
                    }

                    if (rule.IsOrderBenefit)
                    {
                        if (!rule.GivesBenefit(buffer.ShippingFeeWaivable))
                        {
                            continue;
                        }

                        buffer.AddBenefit(r);
                    }
                    else
                    {
                        var limit = subtotal - buffer.FloorCents - total;
                        if (limit <= 0 || (rule.IsMemberPrice && !context.IsMember))
                        {
                            continue;
                        }

                        var scope = rule.WholeCart ? every : Lines(ruleLines.Slice(r * lineWords, lineWords), scopeLines);
                        var given = rule.Apply(lines, scope, buffer, limit, rule.IsPriceRule ? rule.Units(context) : long.MaxValue, r);
                        if (given <= 0)
                        {
                            continue;
                        }

                        total += given;
                    }

                    buffer.AddApplied(r);
                    if (rule.Group >= 0)
                    {
                        buffer.GroupUsed[rule.Group] = true;
                    }

                    if (rule.StopFurtherRules)
                    {
                        goto Done;
                    }
                }
            }

        Done:
            buffer.SubtotalCents = subtotal;
            buffer.TotalDiscountCents = total;
            return total;
        }
        finally
        {
            // The per-rule line sets start empty on every call.
            for (var w = 0; w < words; w++)
            {
                for (var bits = active[w]; bits != 0; bits &= bits - 1)
                {
                    var r = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                    if (lineWords == 1)
                    {
                        ruleLines[r] = 0;
                    }
                    else
                    {
                        ruleLines.Slice(r * lineWords, lineWords).Clear();
                    }
                }
            }
        }
    }

    /// <summary>
    /// One pass over the lines: what each costs (with its quantity, 1 / quantity and unit price, contiguous for the
    /// rules' vector steps), what it triggers (resolved once per line), and each triggered rule's lines as a bitset;
    /// returns the subtotal. A method of its own, so the rule loop's registers are not spent on it.
    /// </summary>
    private long Gather(ReadOnlySpan<PricingLine> lines, PricingBuffer buffer, Span<ulong> active, Span<ulong> ruleLines, int lineWords)
    {
        var words = active.Length;
        var remaining = buffer.Remaining;
        var quantities = buffer.Quantities;
        var inverses = buffer.InverseQuantities;
        var unitCents = buffer.UnitCents;
        long subtotal = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            ref readonly var line = ref lines[i];
            if (!ReferenceEquals(line.Owner, this))
            {
                throw new ArgumentException($"line {i} was not resolved by this engine (use {nameof(Resolve)})", nameof(lines));
            }

            var cost = line.UnitCents * line.Quantity;
            remaining[i] = cost;
            quantities[i] = line.Quantity;
            inverses[i] = line.InverseQuantity;
            unitCents[i] = line.UnitCents;
            subtotal += cost;
            var lineBit = 1UL << (i & 63);
            var lineWord = i >> 6;
            for (var w = 0; w < words; w++)
            {
                var bits = Triggers(in line, w); // whole-cart rules are not in it: they see every line
                active[w] |= bits;
                for (; bits != 0; bits &= bits - 1)
                {
                    ruleLines[((((w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits)) * lineWords) + lineWord)] |= lineBit;
                }
            }
        }

        for (var i = lines.Length; i < lines.Length + 3; i++)
        {
            // The padding read by the last block of a four-line vector step: a line of one unit that costs nothing.
            (remaining[i], quantities[i], inverses[i], unitCents[i]) = (0, 1, 1, 0);
        }

        return subtotal;
    }

    /// <summary>0, 1, ..., n - 1: the scope of a whole-cart rule.</summary>
    private static ReadOnlySpan<int> Identity(int n)
    {
        if (s_identity.Length < n)
        {
            s_identity = [.. Enumerable.Range(0, Math.Max(n, s_identity.Length * 2))];
        }

        return s_identity.AsSpan(0, n);
    }

    /// <summary>The lines of a bitset, in line order, written into <paramref name="into"/>.</summary>
    private static ReadOnlySpan<int> Lines(ReadOnlySpan<ulong> set, int[] into)
    {
        var k = 0;
        for (var w = 0; w < set.Length; w++)
        {
            for (var bits = set[w]; bits != 0; bits &= bits - 1)
            {
                into[k++] = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
            }
        }

        return into.AsSpan(0, k);
    }

    /// <summary>Cents as a decimal amount with two places (no division).</summary>
    private static decimal Money(long cents) => cents >= 0
        ? new decimal((int)(cents & 0xFFFFFFFF), (int)(cents >> 32), 0, false, 2)
        : -new decimal((int)(-cents & 0xFFFFFFFF), (int)(-cents >> 32), 0, false, 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Triggers(in PricingLine line, int word) =>
        word == 0 ? line.FirstTriggers : line.Triggers is { } t ? t[word] : 0;

    private PricingLine Resolve(BasketLine line, int index, string parameter)
    {
        if (line.Quantity < 1 || line.UnitPrice < 0 || (line.UnitPrice.Scale > 2 && decimal.Round(line.UnitPrice, 2) != line.UnitPrice))
        {
            var which = index >= 0 ? $"line {index} ({line.Sku})" : $"line {line.Sku}";
            throw new ArgumentException($"{which}: quantity must be at least 1 and the unit price a non-negative amount in cents, not {line.Quantity} x {line.UnitPrice}", parameter);
        }

        return new PricingLine(
            this,
            line.Sku,
            Union(_bySku.GetValueOrDefault(line.Sku), _byCategory.GetValueOrDefault(line.Category), line.Brand is { } brand ? _byBrand.GetValueOrDefault(brand) : null),
            decimal.ToOACurrency(line.UnitPrice) / 100, // exact: the price has at most two decimals
            line.Quantity);
    }

    /// <summary>The rules any of the three index entries trigger; an entry itself (shared, never written) when it is the only one.</summary>
    private static ulong[]? Union(ulong[]? a, ulong[]? b, ulong[]? c)
    {
        if ((a is null ? 0 : 1) + (b is null ? 0 : 1) + (c is null ? 0 : 1) <= 1)
        {
            return a ?? b ?? c;
        }

        var union = new ulong[(a ?? b ?? c)!.Length];
        for (var w = 0; w < union.Length; w++)
        {
            union[w] = (a is null ? 0 : a[w]) | (b is null ? 0 : b[w]) | (c is null ? 0 : c[w]);
        }

        return union;
    }

    /// <summary>The context's floor and shipping fee in cents, kept in the buffer until another context comes (both are immutable
    /// values; the unit limits, a dictionary the caller may update between calls, are read at each call).</summary>
    private void Compile(PricingContext context, PricingBuffer buffer)
    {
        if (context.Floor < 0 || context.ShippingFee < 0)
        {
            throw new ArgumentException($"the floor ({context.Floor}) and the shipping fee ({context.ShippingFee}) must not be negative", nameof(context));
        }

        buffer.FloorCents = context.Floor == 0 ? 0 : (long)decimal.Ceiling(context.Floor * 100);
        buffer.ShippingFeeWaivable = context.ShippingFee is null || context.ShippingFee > 0;
        buffer.Context = context;
        buffer.ContextEngine = this;
    }

    private static Dictionary<string, ulong[]> Index(List<PromotionRule> ordered, Func<PromotionRule, IReadOnlySet<string>?> keys, int words)
    {
        var index = new Dictionary<string, ulong[]>(StringComparer.Ordinal);
        for (var r = 0; r < ordered.Count; r++)
        {
            foreach (var key in keys(ordered[r]) ?? new HashSet<string>())
            {
                if (!index.TryGetValue(key, out var bits))
                {
                    index[key] = bits = new ulong[words];
                }

                bits[r >> 6] |= 1UL << (r & 63);
            }
        }

        return index;
    }

    /// <summary>A rule with its amounts in cents. Every method reads and writes only the lines in its scope.</summary>
    private sealed class CompiledRule(PromotionRule source, int group)
    {
        private readonly long _cap = source.Cap is { } cap ? (long)decimal.Round(cap * 100) : long.MaxValue;
        private readonly long _amount = (long)decimal.Round(source.Amount * 100);

        // Percent in millionths: whole-cent arithmetic with rounding half up, no decimal per basket.
        private readonly long _percentMillionths = (long)decimal.Round(source.Percent * 1_000_000);
        private readonly (long Threshold, long Save)[] _tiers = [.. (source.Tiers ?? []).Select(t => ((long)decimal.Round(t.Threshold * 100), (long)decimal.Round(t.Save * 100)))];
        private readonly long _price = (long)decimal.Round(source.Price * 100);
        private readonly int _bundleItems = source.Skus?.Count ?? 0;

        // Percent-off, amount-off and spend thresholds: one amount shared over the lines by what they still cost.
        private readonly bool _sharedByCost = source.Kind is PromotionKind.PercentOff or PromotionKind.AmountOff or PromotionKind.SpendThreshold;

        public PromotionRule Source => source;

        /// <summary>Free shipping and gifts: benefits of the order, not discounts of its lines.</summary>
        public bool IsOrderBenefit { get; } = source.Kind is PromotionKind.FreeShipping or PromotionKind.GiftWithPurchase;

        /// <summary>Member price: members only.</summary>
        public bool IsMemberPrice { get; } = source.Kind == PromotionKind.MemberPrice;

        /// <summary>Member and flash-sale prices: limited by the caller's unit counters.</summary>
        public bool IsPriceRule { get; } = source.Kind is PromotionKind.FlashSale or PromotionKind.MemberPrice;

        public int Group => group;

        /// <summary>The source's "stop further rules", kept here (one load less per applied rule).</summary>
        public bool StopFurtherRules { get; } = source.StopFurtherRules;

        /// <summary>Units a price rule may still discount (the caller's counters, read now); unlimited for other rules.</summary>
        public long Units(PricingContext context) =>
            IsPriceRule && context.UnitLimits is { } limits && limits.TryGetValue(source.Id, out var units) ? Math.Max(0, units) : long.MaxValue;

        /// <summary>No item, category or brand scope: every line.</summary>
        public bool WholeCart { get; } = source.WholeCart;

        public long MinimumBasket { get; } = (long)decimal.Round(source.MinimumBasket * 100);

        /// <summary>Whether the benefit is worth anything: a gift always, free shipping when the fee (or, unknown, the rule's amount) is positive.</summary>
        public bool GivesBenefit(bool shippingFeeWaivable) => source.Kind == PromotionKind.GiftWithPurchase || shippingFeeWaivable;

        /// <summary>The order-level benefit this rule gives in <paramref name="context"/>.</summary>
        public OrderBenefit Benefit(PricingContext context) => source.Kind == PromotionKind.GiftWithPurchase
            ? new OrderBenefit(source.Id, BenefitKind.Gift, source.GiftValue, source.GiftItem)
            : new OrderBenefit(source.Id, BenefitKind.FreeShipping, Math.Min(context.ShippingFee ?? source.Amount, source.Amount));

        /// <summary>
        /// Gives the rule's discount, at most <paramref name="limit"/> in total, to its scope lines and records it (takes it off
        /// what they still cost, as discounts of rule <paramref name="index"/>); returns the total.
        /// </summary>
        public long Apply(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, PricingBuffer buffer, long limit, long units, int index)
        {
            if (_sharedByCost && scope.Length == lines.Length)
            {
                return ApplyToEveryLine(lines, scope, buffer, limit, index);
            }

            var given = ApplyToScope(lines, scope, buffer, limit, units);
            if (given > 0)
            {
                buffer.Record(scope, index);
            }

            return given;
        }

        /// <summary>Fills each scope line's share of the rule's discount (buffer.Share), at most <paramref name="limit"/> in total; returns the total.</summary>
        private long ApplyToScope(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, PricingBuffer buffer, long limit, long units)
        {
            var remaining = buffer.Remaining;
            var share = buffer.Share;
            long sum = 0;
            if (scope.Length == lines.Length)
            {
                // Every line (scopes are distinct lines in line order: 0, 1, ..., n - 1): contiguous, summed a vector at a time.
                sum = Sum(remaining.AsSpan(0, scope.Length));
                for (var k = 0; k < scope.Length; k++)
                {
                    share[k] = 0; // a loop: a call to clear a few longs costs more
                }
            }
            else
            {
                foreach (var i in scope)
                {
                    sum += remaining[i];
                    share[i] = 0;
                }
            }

            if (sum <= 0)
            {
                return 0;
            }

            switch (source.Kind)
            {
                case PromotionKind.BuyXGetY:
                    return Limit(lines, scope, buffer, FreeUnits(lines, scope, buffer), limit);
                case PromotionKind.BundlePrice:
                    return Bundle(lines, scope, buffer, limit);
                case PromotionKind.MemberPrice or PromotionKind.FlashSale:
                    return Limit(lines, scope, buffer, PriceUnits(lines, scope, buffer, units), limit);
            }

            var discount = Math.Min(Discount(sum), limit);
            if (discount > 0)
            {
                Allocate(lines, scope, buffer, discount, sum);
            }

            return discount;
        }

        /// <summary>What a percent-off, amount-off or spend-threshold rule gives lines that cost <paramref name="sum"/> (at most that).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private long Discount(long sum)
        {
            long discount;
            switch (source.Kind)
            {
                case PromotionKind.PercentOff:
                    discount = Math.Min(_cap, sum <= int.MaxValue
                        ? ((sum * _percentMillionths) + 500_000) / 1_000_000
                        : (long)((((Int128)sum * _percentMillionths) + 500_000) / 1_000_000));
                    break;
                case PromotionKind.AmountOff:
                    discount = _amount;
                    break;
                default:
                    discount = 0;
                    foreach (var (threshold, save) in _tiers)
                    {
                        if (sum >= threshold)
                        {
                            discount = save;
                        }
                    }

                    break;
            }

            return Math.Min(discount, sum);
        }

        /// <summary>
        /// <see cref="Apply"/> for a percent-off, amount-off or spend-threshold rule over every line (<paramref name="scope"/>
        /// = 0, 1, ..., n - 1, read only on the rare paths): the sum, the shares, the leftover cents and the recording in
        /// passes over contiguous lines, the fractions written straight into the sort keys.
        /// </summary>
        private long ApplyToEveryLine(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, PricingBuffer buffer, long limit, int index)
        {
            var n = lines.Length;
            var remaining = buffer.Remaining;
            var share = buffer.Share;
            var sum = Sum(remaining.AsSpan(0, n));
            if (sum <= 0)
            {
                return 0;
            }

            var discount = Math.Min(Discount(sum), limit);
            if (discount <= 0)
            {
                return 0;
            }

            if (discount > int.MaxValue || sum > int.MaxValue)
            {
                Allocate(lines, scope, buffer, discount, sum); // 128-bit products
                buffer.Record(scope, index);
                return discount;
            }

            // The steps of Allocate (see there), each line's fraction written as its sort key; four lines at a time with
            // AVX-512 DQ (64-bit multiplies and conversions), the last block padded (PricingBuffer.Remaining).
            var keys = buffer.Keys;
            var reciprocal = (double)discount / sum;
            var k = 0;
            long given = 0;
            if (Avx512DQ.VL.IsSupported)
            {
                given = AllocateContiguous(remaining, share, keys, discount, sum, reciprocal, n, ref k);
            }

            for (; k < n; k++)
            {
                var cost = remaining[k];
                var (estimate, rest) = ShareOf(cost, discount, sum, reciprocal);
                share[k] = estimate;
                keys[k] = cost == 0 ? -1 : rest;
                given += estimate;
            }

            var left = discount - given;
            if (left <= 0)
            {
                buffer.Record(scope, index);
                return discount;
            }

            buffer.KeysFor(n); // the padding after the keys, which the last vector block wrote over

            // As in Spread: a waiting line gets a cent when fewer than left lines come before it; equal fractions
            // straddling the cut are ordered one by one.
            if (Rank(keys, Ones(n), n, left, buffer))
            {
                SpreadTied(lines, scope, remaining, share, keys, buffer.Above, buffer.Equal, left);
                buffer.Record(scope, index);
                return discount;
            }

            buffer.RecordEveryLine(n, index, keys, buffer.Above, left);
            return discount;
        }

        /// <summary>The sum of <paramref name="values"/>, four at a time where vectors are accelerated.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static long Sum(ReadOnlySpan<long> values)
        {
            long sum = 0;
            var k = 0;
            if (Vector256.IsHardwareAccelerated && values.Length >= 4)
            {
                var acc = Vector256<long>.Zero;
                for (; k <= values.Length - 4; k += 4)
                {
                    acc += Vector256.Create(values.Slice(k, 4));
                }

                sum = Vector256.Sum(acc);
            }

            for (; k < values.Length; k++)
            {
                sum += values[k];
            }

            return sum;
        }

        /// <summary>Splits <paramref name="discount"/> over the scope lines by what they still cost; cents by largest remainder, ties by item id.</summary>
        private static void Allocate(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, PricingBuffer buffer, long discount, long sum)
        {
            var remaining = buffer.Remaining;
            var share = buffer.Share;
            var fraction = buffer.Fraction;
            long given = 0;
            if (discount > int.MaxValue || sum > int.MaxValue)
            {
                foreach (var i in scope)
                {
                    fraction[i] = -1;
                    if (remaining[i] > 0)
                    {
                        var product = (Int128)discount * remaining[i];
                        (share[i], fraction[i]) = ((long)(product / sum), (long)(product % sum));
                        given += share[i];
                    }
                }
            }
            else
            {
                // share = ⌊discount·remaining / sum⌋ by one multiplication with the reciprocal, corrected to the exact
                // quotient without branches (a division per line and rule was a quarter of the time): every line costs at
                // most sum < 2³¹, so the estimate is off by at most one either way. A line that costs nothing waits for
                // no cent (fraction -1).
                // (Every line, the scope 0, 1, ..., n - 1, takes these steps four lines at a time in ApplyToEveryLine.)
                var reciprocal = (double)discount / sum;
                for (var k = 0; k < scope.Length; k++)
                {
                    var i = scope[k];
                    var cost = remaining[i];
                    var (estimate, rest) = ShareOf(cost, discount, sum, reciprocal);
                    share[i] = estimate;
                    fraction[i] = cost == 0 ? -1 : rest;
                    given += estimate;
                }
            }

            // Fewer cents are left than lines in scope: each goes to the largest remainder still waiting, ties by item id
            // then by cost, so the order of the lines never matters.
            Spread(lines, scope, remaining, share, fraction, discount - given, buffer);
        }

        /// <summary>
        /// ⌊discount·cost / sum⌋ and its remainder, from the reciprocal and one correction each way (costs below 2³¹, so
        /// the estimate is off by at most one); a remainder still out of range takes the division.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (long Share, long Remainder) ShareOf(long cost, long discount, long sum, double reciprocal)
        {
            var estimate = double.ConvertToIntegerNative<long>(cost * reciprocal); // in range: no saturation checks
            var rest = (discount * cost) - (estimate * sum);
            var under = rest >> 63; // -1 when the estimate is one too many
            estimate += under;
            rest += sum & under;
            var over = (sum - 1 - rest) >> 63; // -1 when it is one too few
            estimate -= over;
            rest -= sum & over;
            if ((ulong)rest >= (ulong)sum)
            {
                (estimate, rest) = Math.DivRem(discount * cost, sum);
            }

            return (estimate, rest);
        }

        /// <summary>The steps of <see cref="Allocate"/> over every line from <paramref name="next"/>, four at a time, the last
        /// block padded (<paramref name="next"/> is advanced past each block done: a block whose quotient is not settled by
        /// the two corrections stops here and the lines from it on take the scalar steps); returns the cents given.</summary>
        private static long AllocateContiguous(long[] remaining, long[] share, long[] fraction, long discount, long sum, double reciprocal, int n, ref int next)
        {
            var lines = next;
            var vReciprocal = Vector256.Create(reciprocal);
            var vDiscount = Vector256.Create(discount);
            var vSum = Vector256.Create(sum);
            var vSumLess1 = Vector256.Create(sum - 1);
            var given = Vector256<long>.Zero;
            for (; lines < n; lines += 4)
            {
                var cost = Vector256.Create<long>(remaining.AsSpan(lines, 4)); // the padding costs 0: its shares are 0
                var estimate = Vector256.ConvertToInt64Native(Vector256.ConvertToDouble(cost) * vReciprocal);
                var rest = (vDiscount * cost) - (estimate * vSum);
                var under = Vector256.ShiftRightArithmetic(rest, 63);
                estimate += under;
                rest += vSum & under;
                var over = Vector256.ShiftRightArithmetic(vSumLess1 - rest, 63);
                estimate -= over;
                rest -= vSum & over;
                if (!Vector256.LessThanAll(rest.AsUInt64(), vSum.AsUInt64()))
                {
                    break;
                }

                estimate.CopyTo(share.AsSpan(lines, 4));
                (rest | Vector256.Equals(cost, Vector256<long>.Zero)).CopyTo(fraction.AsSpan(lines, 4)); // a line that costs nothing: -1
                given += estimate;
            }

            next = lines;
            return Vector256.Sum(given);
        }

        /// <summary>
        /// Gives <paramref name="left"/> cents, one each, to the lines with the largest fractions (ties by item id, then
        /// <paramref name="tie"/>, then position): the same lines as serving the largest fraction one cent at a time. A
        /// waiting line gets a cent when fewer than <paramref name="left"/> lines come before it in that order; the lines
        /// with a larger fraction are counted eight (or four) at a time without branches, equal fractions one by one
        /// when they straddle the cut.
        /// </summary>
        private static void Spread(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, long[] tie, long[] share, long[] fraction, long left, PricingBuffer buffer)
        {
            if (left <= 0)
            {
                return;
            }

            var m = scope.Length;
            var keys = buffer.KeysFor(m);
            for (var k = 0; k < m; k++)
            {
                keys[k] = fraction[scope[k]];
            }

            if (Rank(keys, Ones(m), m, left, buffer))
            {
                SpreadTied(lines, scope, tie, share, keys, buffer.Above, buffer.Equal, left);
                return;
            }

            // No equal waiting fractions straddle the cut: a line gets a cent when fewer than left lines have a larger one.
            var above = buffer.Above;
            for (var a = 0; a < m; a++)
            {
                share[scope[a]] += (long)(((ulong)~keys[a] & (ulong)(above[a] - left)) >> 63); // waiting and ahead < left, no branch
            }
        }

        /// <summary><see cref="Spread"/> when waiting lines share a fraction: the equal ones are ordered one by one.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void SpreadTied(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, long[] tie, long[] share, ReadOnlySpan<long> keys, long[] above, long[] equal, long left)
        {
            for (var a = 0; a < scope.Length; a++)
            {
                var fa = keys[a];
                if (fa < 0)
                {
                    continue; // not waiting (nothing left to discount)
                }

                var ahead = above[a];
                if (equal[a] > 1)
                {
                    for (var b = 0; b < scope.Length; b++)
                    {
                        if (b != a && keys[b] == fa)
                        {
                            ahead += AheadOnTie(lines, tie, scope[b], scope[a]) ? 1 : 0;
                        }
                    }
                }

                if (ahead < left)
                {
                    share[scope[a]]++;
                }
            }
        }

        /// <summary>
        /// For each of the first <paramref name="m"/> <paramref name="keys"/> (a multiple of 8 long, padded with
        /// <see cref="long.MinValue"/>): the <paramref name="weights"/> of the keys above it (buffer.Above) and of the keys
        /// equal to it, itself included (buffer.Equal); with every weight 1, its place in descending order and how many
        /// share its key. Every pair is compared without branches, eight keys (four without 512-bit vectors) against one
        /// at a time. Returns whether a key taking part (not negative) has equals (more weight than its own) with which it
        /// straddles <paramref name="cut"/>: less than the cut above it, more with its equals. Equal keys matter only then:
        /// a group entirely before the cut or after it is served the same in any order.
        /// </summary>
        private static bool Rank(ReadOnlySpan<long> keys, long[] weights, int m, long cut, PricingBuffer buffer)
        {
            var above = buffer.Above;
            var equal = buffer.Equal;
            ref var first = ref MemoryMarshal.GetReference(keys);
            if (Vector512.IsHardwareAccelerated)
            {
                var at = Vector512.Create(cut);
                var hit = Vector512<long>.Zero;
                for (var a = 0; a < m; a += 8)
                {
                    var mine = Vector512.LoadUnsafe(ref first, (nuint)a);
                    var over = Vector512<long>.Zero;
                    var same = Vector512<long>.Zero;
                    for (var b = 0; b < m; b++)
                    {
                        var other = Vector512.Create(keys[b]);
                        var weight = Vector512.Create(weights[b]);
                        over = Vector512.ConditionalSelect(Vector512.GreaterThan(other, mine), over + weight, over); // a masked add
                        same = Vector512.ConditionalSelect(Vector512.Equals(other, mine), same + weight, same);
                    }

                    over.CopyTo(above, a);
                    same.CopyTo(equal, a);
                    hit |= ~mine & Vector512.GreaterThan(same, Vector512.Create<long>(weights.AsSpan(a, 8)))
                        & Vector512.LessThan(over, at) & Vector512.GreaterThan(over + same, at);
                }

                return Vector512.LessThanAny(hit, Vector512<long>.Zero); // the sign bit of ~key: a key taking part
            }

            if (Vector256.IsHardwareAccelerated)
            {
                var at = Vector256.Create(cut);
                var hit = Vector256<long>.Zero;
                for (var a = 0; a < m; a += 4)
                {
                    var mine = Vector256.LoadUnsafe(ref first, (nuint)a);
                    var over = Vector256<long>.Zero;
                    var same = Vector256<long>.Zero;
                    for (var b = 0; b < m; b++)
                    {
                        var other = Vector256.Create(keys[b]);
                        var weight = Vector256.Create(weights[b]);
                        over = Vector256.ConditionalSelect(Vector256.GreaterThan(other, mine), over + weight, over);
                        same = Vector256.ConditionalSelect(Vector256.Equals(other, mine), same + weight, same);
                    }

                    over.CopyTo(above, a);
                    same.CopyTo(equal, a);
                    hit |= ~mine & Vector256.GreaterThan(same, Vector256.Create<long>(weights.AsSpan(a, 4)))
                        & Vector256.LessThan(over, at) & Vector256.GreaterThan(over + same, at);
                }

                return Vector256.LessThanAny(hit, Vector256<long>.Zero);
            }

            var tied = false;
            for (var a = 0; a < m; a++)
            {
                long over = 0, same = 0;
                for (var b = 0; b < m; b++)
                {
                    over += keys[b] > keys[a] ? weights[b] : 0;
                    same += keys[b] == keys[a] ? weights[b] : 0;
                }

                (above[a], equal[a]) = (over, same);
                tied |= (keys[a] >= 0) & (same > weights[a]) & (over < cut) & (over + same > cut);
            }

            return tied;
        }

        /// <summary>1 for each of <paramref name="m"/> keys (and the padding after them): weights that make <see cref="Rank"/> count.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static long[] Ones(int m) =>
            s_ones.Length >= m + 8 ? s_ones : s_ones = [.. Enumerable.Repeat(1L, Math.Max(m + 8, s_ones.Length * 2))];

        private static bool AheadOnTie(ReadOnlySpan<PricingLine> lines, long[] tie, int a, int b)
        {
            var bySku = PricingLine.CompareSku(in lines[a], in lines[b]);
            return bySku != 0 ? bySku < 0 : tie[a] != tie[b] ? tie[a] < tie[b] : a < b;
        }

        /// <summary>
        /// Keeps a rule's line shares within <paramref name="limit"/> (what is left above the floor): when they exceed it,
        /// the limit is shared in proportion to them (each line then gets at most its own share).
        /// </summary>
        private static long Limit(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, PricingBuffer buffer, long total, long limit)
        {
            if (total <= limit)
            {
                return total;
            }

            var weight = buffer.Weight;
            foreach (var i in scope)
            {
                weight[i] = buffer.Share[i];
                buffer.Share[i] = 0;
            }

            AllocateWeighted(lines, scope, buffer, limit, total);
            return limit;
        }

        /// <summary>Splits <paramref name="discount"/> ≤ <paramref name="total"/> = Σ weights (buffer.Weight) in proportion to the weights; cents by largest remainder, ties by item id then weight.</summary>
        private static void AllocateWeighted(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, PricingBuffer buffer, long discount, long total)
        {
            var weight = buffer.Weight;
            var share = buffer.Share;
            var fraction = buffer.Fraction;
            long given = 0;
            foreach (var i in scope)
            {
                fraction[i] = -1;
                if (weight[i] > 0)
                {
                    var product = (Int128)discount * weight[i];
                    (share[i], fraction[i]) = ((long)(product / total), (long)(product % total));
                    given += share[i];
                }
            }

            Spread(lines, scope, weight, share, fraction, discount - given, buffer);
        }

        /// <summary>
        /// Bundle price: as many bundles as the scarcest bundle item's units; the bundled units are a share k / q of each
        /// bundle item's lines (k bundles, q units of the item), and the discount is what they still cost minus k prices.
        /// </summary>
        private long Bundle(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, PricingBuffer buffer, long limit)
        {
            // Units of each line's item over the scope (a bundle's scope is its few items: a quadratic pass is cheapest).
            var units = buffer.Units;
            var distinct = 0;
            var bundles = long.MaxValue;
            for (var a = 0; a < scope.Length; a++)
            {
                var i = scope[a];
                long q = 0;
                var first = true;
                for (var b = 0; b < scope.Length; b++)
                {
                    var j = scope[b];
                    if (string.Equals(lines[i].Sku, lines[j].Sku, StringComparison.Ordinal))
                    {
                        q += lines[j].Quantity;
                        first &= b >= a;
                    }
                }

                units[i] = q;
                if (first)
                {
                    distinct++;
                    bundles = Math.Min(bundles, q);
                }
            }

            if (distinct < _bundleItems)
            {
                return 0;
            }

            var weight = buffer.Weight;
            var remaining = buffer.Remaining;
            long bundled = 0;
            foreach (var i in scope)
            {
                weight[i] = (long)((Int128)remaining[i] * bundles / units[i]);
                bundled += weight[i];
            }

            var discount = Math.Min(bundled - (bundles * _price), limit);
            if (discount <= 0)
            {
                return 0;
            }

            AllocateWeighted(lines, scope, buffer, discount, bundled);
            return discount;
        }

        /// <summary>
        /// Member and flash-sale prices: each unit in scope that still costs more than the price saves the difference, for
        /// at most <paramref name="units"/> units, the units saving most first (ties by item id), so line order never matters.
        /// </summary>
        private long PriceUnits(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, PricingBuffer buffer, long units)
        {
            var saving = buffer.Units;
            var remaining = buffer.Remaining;
            var share = buffer.Share;
            long total = 0;
            long wanted = 0;
            foreach (var i in scope)
            {
                saving[i] = (remaining[i] / lines[i].Quantity) - _price;
                if (saving[i] > 0)
                {
                    wanted += lines[i].Quantity;
                }
            }

            if (wanted <= units)
            {
                foreach (var i in scope)
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
                foreach (var i in scope)
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

        /// <summary>
        /// ⌊<paramref name="cost"/> / <paramref name="quantity"/>⌋ for a cost ≥ 0 by one multiplication with the line's
        /// 1 / quantity, corrected without branches (the estimate is off by at most one for costs below 2⁴⁰; the division
        /// otherwise, and as a check).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static long PerUnit(long cost, long quantity, double inverse)
        {
            var estimate = double.ConvertToIntegerNative<long>(cost * inverse); // checked below
            var rest = cost - (estimate * quantity);
            var under = rest >> 63;
            estimate += under;
            rest += quantity & under;
            var over = (quantity - 1 - rest) >> 63;
            estimate -= over;
            rest -= quantity & over;
            return cost < 1L << 40 && (ulong)rest < (ulong)quantity ? estimate : cost / quantity;
        }

        /// <summary>Tie-break between two lines: item id, then <paramref name="tie"/> (what the line still costs, or its weight).</summary>
        private static bool Before(ReadOnlySpan<PricingLine> lines, long[] tie, int a, int b)
        {
            var bySku = PricingLine.CompareSku(in lines[a], in lines[b]);
            return bySku != 0 ? bySku < 0 : tie[a] < tie[b];
        }

        /// <summary>Buy X get Y: of every X + Y units in scope the cheapest Y are free (at what they still cost).</summary>
        private long FreeUnits(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, PricingBuffer buffer)
        {
            var share = buffer.Share;
            var perUnit = buffer.Units;

            // The lines' unit prices and keys, long.MaxValue less the unit price (the cheaper, the larger; never negative):
            // over every line, a line that costs nothing any more keyed -1, below all others; over a scope, only the open
            // lines, listed in index with their quantities.
            ReadOnlySpan<int> index;
            long[] quantities;
            int m;
            long units;
            if (scope.Length == lines.Length)
            {
                m = lines.Length;
                index = scope; // 0, 1, ..., n - 1
                quantities = buffer.Quantities;
                units = UnitPricesOfEveryLine(buffer, m);
            }
            else
            {
                index = buffer.Index;
                quantities = buffer.OpenQuantities;
                (m, units) = UnitPricesOfOpenLines(lines, scope, buffer);
            }

            var free = units / (source.BuyQuantity + source.FreeQuantity) * source.FreeQuantity;
            if (free <= 0)
            {
                return 0;
            }

            // Cheapest first, ties by item id, then position (line order never matters), the free units taken line by
            // line: a line gets what is left of them after the units of the lines ahead of it, at most its own. Those
            // units are counted eight (or four) lines at a time without branches; the order of lines with equal unit
            // prices matters only when their units straddle the last free unit, and only then are they ordered one by one.
            var keys = buffer.KeysFor(m);
            var (ahead, same) = (buffer.Above, buffer.Equal);
            if (Rank(keys, quantities, m, free, buffer))
            {
                return FreeUnitsTied(lines, keys, index, quantities, ahead, same, share, perUnit, free, m);
            }

            long total = 0;
            for (var a = 0; a < m; a++)
            {
                var i = index[a];
                var take = Take(free - ahead[a], quantities[a]);
                share[i] = take * perUnit[i];
                total += share[i];
            }

            return total;
        }

        /// <summary><see cref="FreeUnits"/> when lines with equal unit prices straddle the last free unit: each such line
        /// also counts the units of the equal lines before it (by item id, then position).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long FreeUnitsTied(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<long> keys, ReadOnlySpan<int> index, long[] quantities, long[] ahead, long[] same, long[] share, long[] perUnit, long free, int m)
        {
            long total = 0;
            for (var a = 0; a < m; a++)
            {
                var before = ahead[a];
                if (keys[a] >= 0 && same[a] > quantities[a])
                {
                    for (var b = 0; b < m; b++)
                    {
                        if (b != a && keys[b] == keys[a])
                        {
                            var bySku = PricingLine.CompareSku(in lines[index[b]], in lines[index[a]]);
                            before += bySku < 0 || (bySku == 0 && b < a) ? quantities[b] : 0;
                        }
                    }
                }

                var i = index[a];
                var take = Take(free - before, quantities[a]);
                share[i] = take * perUnit[i];
                total += share[i];
            }

            return total;
        }

        /// <summary>What a line of <paramref name="quantity"/> units takes when <paramref name="left"/> free units are left
        /// for it: between 0 and its quantity, without branches (which lines take some depends on the basket).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static long Take(long left, long quantity)
        {
            left &= ~(left >> 63); // at least 0
            var over = left - quantity;
            return quantity + (over & (over >> 63)); // at most the quantity
        }

        /// <summary>The open scope lines of <see cref="FreeUnits"/> (still costing something), gathered without branches
        /// into the index, keys and quantities, with their unit prices; returns how many and their units.</summary>
        private static (int Open, long Units) UnitPricesOfOpenLines(ReadOnlySpan<PricingLine> lines, ReadOnlySpan<int> scope, PricingBuffer buffer)
        {
            var remaining = buffer.Remaining;
            var perUnit = buffer.Units;
            var keys = buffer.Keys;
            var index = buffer.Index;
            var quantities = buffer.OpenQuantities;
            long units = 0;
            var m = 0;
            foreach (var i in scope)
            {
                var cost = remaining[i];
                var quantity = lines[i].Quantity;
                var unit = Math.Min(lines[i].UnitCents, PerUnit(cost, quantity, lines[i].InverseQuantity));
                perUnit[i] = unit;
                keys[m] = long.MaxValue - unit;
                index[m] = i;
                quantities[m] = quantity;
                var open = cost > 0 ? 1 : 0;
                units += quantity & -open;
                m += open;
            }

            return (m, units);
        }

        /// <summary>
        /// The unit prices and keys of <see cref="FreeUnits"/> over every line (0, 1, ..., n - 1), a line that costs nothing
        /// keyed -1 (after all others, and never reached: fewer units are free than are open); four lines at a time with
        /// AVX-512 DQ by the steps of <see cref="PerUnit"/>, the last block padded (a block not settled by them and the
        /// lines after it one by one). Returns the open lines' units.
        /// </summary>
        private static long UnitPricesOfEveryLine(PricingBuffer buffer, int n)
        {
            var remaining = buffer.Remaining;
            var perUnit = buffer.Units;
            var keys = buffer.Keys;
            var quantities = buffer.Quantities;
            var inverses = buffer.InverseQuantities;
            var prices = buffer.UnitCents;
            long units = 0;
            var k = 0;
            if (Avx512DQ.VL.IsSupported)
            {
                var exact = Vector256.Create(1L << 40);
                var top = Vector256.Create(long.MaxValue);
                var open = Vector256<long>.Zero;
                for (; k < n; k += 4)
                {
                    var cost = Vector256.Create<long>(remaining.AsSpan(k, 4)); // the padding is a closed line of 1 unit
                    var quantity = Vector256.Create<long>(quantities.AsSpan(k, 4));
                    var estimate = Vector256.ConvertToInt64Native(Vector256.ConvertToDouble(cost) * Vector256.Create<double>(inverses.AsSpan(k, 4)));
                    var rest = cost - (estimate * quantity);
                    var under = Vector256.ShiftRightArithmetic(rest, 63);
                    estimate += under;
                    rest += quantity & under;
                    var over = Vector256.ShiftRightArithmetic(quantity - Vector256<long>.One - rest, 63);
                    estimate -= over;
                    rest -= quantity & over;
                    if (!Vector256.LessThanAll(cost, exact) || !Vector256.LessThanAll(rest.AsUInt64(), quantity.AsUInt64()))
                    {
                        break;
                    }

                    var unit = Vector256.Min(Vector256.Create<long>(prices.AsSpan(k, 4)), estimate);
                    var costs = Vector256.GreaterThan(cost, Vector256<long>.Zero);
                    unit.CopyTo(perUnit.AsSpan(k, 4));
                    ((top - unit) | ~costs).CopyTo(keys.AsSpan(k, 4)); // -1 where the line costs nothing
                    open += quantity & costs;
                }

                units = Vector256.Sum(open);
            }

            for (; k < n; k++)
            {
                var cost = remaining[k];
                var unit = Math.Min(prices[k], PerUnit(cost, quantities[k], inverses[k]));
                perUnit[k] = unit;
                keys[k] = cost > 0 ? long.MaxValue - unit : -1;
                units += cost > 0 ? quantities[k] : 0;
            }

            return units;
        }
    }
}
