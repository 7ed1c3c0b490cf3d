using System.Runtime.CompilerServices;

namespace PromoPilot.Campaigns.Pricing;

/// <summary>
/// A basket line resolved against one <see cref="PricingEngine"/> (<see cref="PricingEngine.Resolve"/>): the rules its
/// item, category and brand trigger, and its unit price in cents. Resolve a line once (when it enters the cart, or when
/// the catalog loads) and price it as often as needed; pricing resolved lines does no lookups and allocates nothing.
/// </summary>
public readonly struct PricingLine
{
    internal PricingLine(PricingEngine owner, string sku, ulong[]? bySku, ulong[]? byCategory, ulong[]? byBrand, long unitCents, int quantity)
    {
        Owner = owner;
        Sku = sku;
        BySku = bySku;
        ByCategory = byCategory;
        ByBrand = byBrand;
        UnitCents = unitCents;
        Quantity = quantity;
    }

    /// <summary>The item id (the tie-break that makes results independent of line order).</summary>
    public string Sku { get; }

    /// <summary>The unit price in cents.</summary>
    public long UnitCents { get; }

    /// <summary>Units on the line (at least 1).</summary>
    public int Quantity { get; }

    internal PricingEngine? Owner { get; }

    internal ulong[]? BySku { get; }

    internal ulong[]? ByCategory { get; }

    internal ulong[]? ByBrand { get; }
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

    // Work area: per line, per rule, per rule-word, per exclusive group.
    internal long[] Remaining = new long[16];
    internal long[] Share = new long[16];
    internal long[] Fraction = new long[16];
    internal long[] Weight = new long[16];
    internal long[] Units = new long[16];
    internal bool[] Open = new bool[16];
    internal int[] ScopeLines = new int[64];
    internal int[] RuleStart = new int[32];
    internal int[] RuleCount = new int[32];
    internal ulong[] Active = new ulong[1];
    internal ulong[] LineTriggers = new ulong[16];
    internal bool[] GroupUsed = new bool[4];

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AddDiscount(int line, int rule, long cents)
    {
        if (DiscountCount == _discounts.Length)
        {
            Array.Resize(ref _discounts, _discounts.Length * 2);
        }

        _discounts[DiscountCount++] = new LineDiscountCents(line, rule, cents);
    }

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
        if (Remaining.Length < lines)
        {
            var size = Math.Max(lines, Remaining.Length * 2);
            Remaining = new long[size];
            Share = new long[size];
            Fraction = new long[size];
            Weight = new long[size];
            Units = new long[size];
            Open = new bool[size];
        }

        var words = (rules + 63) >> 6;
        if (Active.Length < Math.Max(1, words))
        {
            Active = new ulong[words];
        }

        if (LineTriggers.Length < Math.Max(1, words))
        {
            LineTriggers = new ulong[words];
        }

        if (RuleStart.Length < rules)
        {
            RuleStart = new int[Math.Max(rules, RuleStart.Length * 2)];
            RuleCount = new int[RuleStart.Length];
        }

        if (GroupUsed.Length < groups)
        {
            GroupUsed = new bool[Math.Max(groups, GroupUsed.Length * 2)];
        }
    }

    /// <summary>Room for <paramref name="size"/> (line, rule) incidences.</summary>
    internal void EnsureScope(int size)
    {
        if (ScopeLines.Length < size)
        {
            ScopeLines = new int[Math.Max(size, ScopeLines.Length * 2)];
        }
    }
}
