namespace PromoPilot.Features.Rules;

/// <summary>
/// Thresholds for frequent-itemset mining and association-rule generation (Agrawal &amp; Srikant 1994).
/// </summary>
/// <remarks>
/// The support of an itemset X is the fraction of baskets that contain every item of X; X is frequent when
/// support(X) &gt;= <see cref="MinSupport"/>. A rule A -&gt; C is kept when its confidence and lift reach
/// <see cref="MinConfidence"/> and <see cref="MinLift"/>. The default confidence is R arules' (0.5); the default
/// support is 0.01, the customary setting for basket data such as Groceries (arules' own 0.1 finds little there).
/// </remarks>
public sealed record AssociationRuleOptions
{
    /// <summary>Default minimum support: 0.01 (an itemset must be in 1 % of the baskets).</summary>
    public const double DefaultMinSupport = 0.01;

    /// <summary>Default minimum confidence: 0.5, as in arules.</summary>
    public const double DefaultMinConfidence = 0.5;

    /// <summary>Default minimum lift: 0, i.e. no lift filter.</summary>
    public const double DefaultMinLift = 0.0;

    /// <summary>Minimum support as a fraction of the baskets, in (0, 1]. Default <see cref="DefaultMinSupport"/>.</summary>
    public double MinSupport { get; init; } = DefaultMinSupport;

    /// <summary>Largest itemset length mined (and so the largest rule, antecedent plus consequent); null for no limit (the default).</summary>
    public int? MaxLength { get; init; }

    /// <summary>Minimum confidence of a rule, in [0, 1]. Default <see cref="DefaultMinConfidence"/>.</summary>
    public double MinConfidence { get; init; } = DefaultMinConfidence;

    /// <summary>Minimum lift of a rule, finite and &gt;= 0. Default <see cref="DefaultMinLift"/> (no filter); 1 keeps positive associations only.</summary>
    public double MinLift { get; init; } = DefaultMinLift;

    /// <summary>Largest consequent length; null (the default) for any split of an itemset, 1 for arules-style rules with one item on the right.</summary>
    public int? MaxConsequentLength { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(MinSupport > 0 && MinSupport <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinSupport), MinSupport, "minimum support must be a fraction in (0, 1]");
        }

        if (MaxLength is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "maximum itemset length must be at least 1 (or null for no limit)");
        }

        if (!(MinConfidence >= 0 && MinConfidence <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinConfidence), MinConfidence, "minimum confidence must be in [0, 1]");
        }

        if (!(MinLift >= 0 && double.IsFinite(MinLift)))
        {
            throw new ArgumentOutOfRangeException(nameof(MinLift), MinLift, "minimum lift must be finite and >= 0");
        }

        if (MaxConsequentLength is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConsequentLength), MaxConsequentLength, "maximum consequent length must be at least 1 (or null for no limit)");
        }
    }

    /// <summary>
    /// The smallest basket count c with c / <paramref name="baskets"/> &gt;= <see cref="MinSupport"/> (computed in
    /// doubles exactly as that comparison is), and at least 1: itemsets that occur in no basket are never reported.
    /// </summary>
    public int MinCount(int baskets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baskets);
        if (baskets == 0)
        {
            return 1;
        }

        var count = (long)Math.Ceiling(MinSupport * baskets);
        while (count > 1 && (double)(count - 1) / baskets >= MinSupport)
        {
            count--;
        }

        while ((double)count / baskets < MinSupport)
        {
            count++;
        }

        return (int)Math.Max(1, count);
    }
}
