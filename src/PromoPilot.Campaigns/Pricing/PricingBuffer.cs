using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PromoPilot.Campaigns.Pricing;

/// <summary>
/// A basket line resolved against one <see cref="PricingEngine"/> (<see cref="PricingEngine.Resolve"/>): the rules its
/// item, category and brand trigger, and its unit price in cents. Resolve a line once (when it enters the cart, or when
/// the catalog loads) and price it as often as needed; pricing resolved lines does no lookups and allocates nothing.
/// </summary>
public readonly struct PricingLine
{
    internal PricingLine(PricingEngine owner, string sku, ulong[]? triggers, long unitCents, int quantity)
    {
        Owner = owner;
        Sku = sku;
        SkuHead = Pack(sku, 0);
        SkuNext = Pack(sku, 4);
        Triggers = triggers;
        FirstTriggers = triggers is { Length: > 0 } t ? t[0] : 0;
        UnitCents = unitCents;
        Quantity = quantity;
        InverseQuantity = 1.0 / quantity;
    }

    /// <summary>The item id (the tie-break that makes results independent of line order).</summary>
    public string Sku { get; }

    /// <summary>The unit price in cents.</summary>
    public long UnitCents { get; }

    /// <summary>Units on the line (at least 1).</summary>
    public int Quantity { get; }

    internal PricingEngine? Owner { get; }

    /// <summary>1 / <see cref="Quantity"/>: unit prices by multiplication.</summary>
    internal double InverseQuantity { get; }

    /// <summary>Characters 0-3 of <see cref="Sku"/>, 16 bits each, first in the high bits (missing ones 0).</summary>
    internal ulong SkuHead { get; }

    /// <summary>Characters 4-7 of <see cref="Sku"/>, packed as <see cref="SkuHead"/>.</summary>
    internal ulong SkuNext { get; }

    /// <summary>
    /// The sign of <see cref="string.CompareOrdinal(string, string)"/> of the two item ids: the packed first eight
    /// characters decide when they differ (character by character, a missing one below any present one but equal to
    /// U+0000, so equal packs fall back to the full comparison), the strings otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int CompareSku(in PricingLine a, in PricingLine b) =>
        a.SkuHead != b.SkuHead ? (a.SkuHead < b.SkuHead ? -1 : 1)
        : a.SkuNext != b.SkuNext ? (a.SkuNext < b.SkuNext ? -1 : 1)
        : Math.Sign(string.CompareOrdinal(a.Sku, b.Sku));

    private static ulong Pack(string? sku, int from)
    {
        ulong packed = 0;
        for (var k = from; k < from + 4; k++)
        {
            packed = (packed << 16) | (sku is not null && k < sku.Length ? sku[k] : 0UL);
        }

        return packed;
    }

    /// <summary>The rules the line's item, category and brand trigger (one bit per rule, the three index entries or-ed
    /// together once at resolve time); null when none.</summary>
    internal ulong[]? Triggers { get; }

    /// <summary>The first word of <see cref="Triggers"/> (rules 0-63), read without an array access.</summary>
    internal ulong FirstTriggers { get; }
}

/// <summary>The discount one rule (by its index in <see cref="PricingEngine.Rules"/>) gave one line, in cents.</summary>
public readonly record struct LineDiscountCents(int Line, int Rule, long Cents);

/// <summary>
/// A caller-owned result and work area for <see cref="PricingEngine.Price(ReadOnlySpan{PricingLine}, PricingContext, PricingBuffer)"/>:
/// it grows to the largest basket and rule set it has seen and is reused, so pricing allocates nothing. Not thread-safe:
/// one buffer per thread. The results stay valid until the next call that uses the buffer.
/// </summary>
public sealed class PricingBuffer
{
    private LineDiscountCents[] _discounts = new LineDiscountCents[32];
    private int[] _applied = new int[16];
    private int[] _benefits = new int[4];

    /// <summary>What the lines cost before discounts, in cents.</summary>
    public long SubtotalCents { get; internal set; }

    /// <summary>The sum of <see cref="Discounts"/>, in cents.</summary>
    public long TotalDiscountCents { get; internal set; }

    /// <summary>Per line (index into the priced lines) and rule, in the order the rules applied, then by line.</summary>
    public ReadOnlySpan<LineDiscountCents> Discounts => _discounts.AsSpan(0, DiscountCount);

    /// <summary>Rules (indices into <see cref="PricingEngine.Rules"/>) that gave a discount or a benefit, in the order they applied.</summary>
    public ReadOnlySpan<int> AppliedRules => _applied.AsSpan(0, AppliedCount);

    /// <summary>Rules (indices) that gave an order-level benefit (free shipping, a gift), in the order they applied.</summary>
    public ReadOnlySpan<int> BenefitRules => _benefits.AsSpan(0, BenefitCount);

    internal int DiscountCount { get; set; }

    internal int AppliedCount { get; set; }

    internal int BenefitCount { get; set; }

    // Work area: per line, per rule, per rule-word, per exclusive group. The per-line arrays hold 8 more than the lines:
    // padding for the sort keys and for the last block of a four-line vector step (for which PricingEngine.Gather
    // makes lines n to n + 2 a line of one unit that costs nothing).
    internal long[] Remaining = new long[24];
    internal long[] Share = new long[24];
    internal long[] Fraction = new long[24];
    internal long[] Weight = new long[24];
    internal long[] Units = new long[24];
    internal long[] Keys = new long[24];
    internal long[] Above = new long[24];
    internal long[] Equal = new long[24];
    internal int[] Index = new int[24];
    internal int[] ScopeLines = new int[24];
    internal ulong[] RuleLines = new ulong[32];
    internal ulong[] Active = new ulong[1];
    internal bool[] GroupUsed = new bool[4];

    // Per line of the current basket, its quantity, 1 / quantity and unit price in cents, contiguous for vectors; and
    // the quantities of a buy-X-get-Y scope's open lines, in the order they are listed.
    internal long[] Quantities = new long[24];
    internal double[] InverseQuantities = new double[24];
    internal long[] UnitCents = new long[24];
    internal long[] OpenQuantities = new long[24];

    // The last context seen, compiled (floor in cents, whether a shipping fee can be waived) so a repeated context costs nothing.
    internal PricingContext? Context;
    internal PricingEngine? ContextEngine;
    internal long FloorCents;
    internal bool ShippingFeeWaivable;

    internal void Reset()
    {
        DiscountCount = 0;
        AppliedCount = 0;
        BenefitCount = 0;
    }

    /// <summary>Takes each scope line's positive share (<see cref="Share"/>) off what it still costs and records it as
    /// the rule's discount of the line, in scope order (each entry is written, and kept only when the share is positive).</summary>
    internal void Record(ReadOnlySpan<int> scope, int rule)
    {
        if (_discounts.Length < DiscountCount + scope.Length)
        {
            Array.Resize(ref _discounts, Math.Max(DiscountCount + scope.Length, _discounts.Length * 2));
        }

        // The discounts have room for the whole scope (above) and count grows by at most one per scope line: the check
        // is made once here rather than per line.
        ref var discounts = ref MemoryMarshal.GetArrayDataReference(_discounts);
        var remaining = Remaining;
        var share = Share;
        var count = DiscountCount;
        foreach (var i in scope)
        {
            var cents = share[i];
            remaining[i] -= cents & ~(cents >> 63); // shares are never negative (a zero one changes nothing); no branch
            Unsafe.Add(ref discounts, count) = new LineDiscountCents(i, rule, cents);
            count += cents > 0 ? 1 : 0;
        }

        DiscountCount = count;
    }

    /// <summary>
    /// <see cref="Record"/> for a rule over every line (0, 1, ..., <paramref name="n"/> - 1) whose leftover cents are
    /// not yet in <see cref="Share"/>: a line gets one more when it waits for one (its fraction in <paramref name="keys"/>
    /// is not negative) and fewer than <paramref name="left"/> lines come before it (<paramref name="above"/>).
    /// </summary>
    internal void RecordEveryLine(int n, int rule, long[] keys, long[] above, long left)
    {
        if (_discounts.Length < DiscountCount + n)
        {
            Array.Resize(ref _discounts, Math.Max(DiscountCount + n, _discounts.Length * 2));
        }

        ref var discounts = ref MemoryMarshal.GetArrayDataReference(_discounts);
        var remaining = Remaining.AsSpan(0, n);
        var share = Share.AsSpan(0, n);
        var count = DiscountCount;
        for (var i = 0; i < remaining.Length; i++)
        {
            var cents = share[i] + (long)(((ulong)~keys[i] & (ulong)(above[i] - left)) >> 63); // no branch; never negative
            remaining[i] -= cents;
            Unsafe.Add(ref discounts, count) = new LineDiscountCents(i, rule, cents);
            count += cents > 0 ? 1 : 0;
        }

        DiscountCount = count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AddApplied(int rule)
    {
        if (AppliedCount == _applied.Length)
        {
            Array.Resize(ref _applied, _applied.Length * 2);
        }

        _applied[AppliedCount++] = rule;
    }

    internal void AddBenefit(int rule)
    {
        if (BenefitCount == _benefits.Length)
        {
            Array.Resize(ref _benefits, _benefits.Length * 2);
        }

        _benefits[BenefitCount++] = rule;
    }

    /// <summary>Grows the work area for <paramref name="lines"/> lines, <paramref name="rules"/> rules and <paramref name="groups"/> groups.</summary>
    internal void Ensure(int lines, int rules, int groups)
    {
        if (Remaining.Length < lines + 8)
        {
            // Eight more than the lines: room for the padding of the vector steps (sort keys, a last block of four).
            var size = Math.Max(lines, (Remaining.Length - 8) * 2) + 8;
            Remaining = new long[size];
            Share = new long[size];
            Fraction = new long[size];
            Weight = new long[size];
            Units = new long[size];
            ScopeLines = new int[size];
            Keys = new long[size];
            Above = new long[size];
            Equal = new long[size];
            Index = new int[size];
            Quantities = new long[size];
            InverseQuantities = new double[size];
            UnitCents = new long[size];
            OpenQuantities = new long[size];
        }

        var words = (rules + 63) >> 6;
        if (Active.Length < Math.Max(1, words))
        {
            Active = new ulong[words];
        }


        if (GroupUsed.Length < groups)
        {
            GroupUsed = new bool[Math.Max(groups, GroupUsed.Length * 2)];
        }
    }

    /// <summary>Sort keys for <paramref name="count"/> lines: a span of a multiple of 8 longs whose last up to 7 (after
    /// <paramref name="count"/>) are <see cref="long.MinValue"/>, above no key and equal to none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Span<long> KeysFor(int count)
    {
        var padded = (count + 7) & ~7;
        var keys = Keys.AsSpan(0, padded);
        for (var k = count; k < padded; k++)
        {
            keys[k] = long.MinValue; // at most seven: a loop is cheaper than a call
        }

        return keys;
    }

    /// <summary>Per rule, its lines as a bitset of <paramref name="lineWords"/> words (all zero between calls).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Span<ulong> RuleLinesFor(int rules, int lineWords)
    {
        var size = rules * lineWords;
        if (RuleLines.Length < size)
        {
            RuleLines = new ulong[Math.Max(size, RuleLines.Length * 2)];
        }

        return RuleLines.AsSpan(0, size);
    }
}
