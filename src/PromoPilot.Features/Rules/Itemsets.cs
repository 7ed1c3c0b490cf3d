namespace PromoPilot.Features.Rules;

/// <summary>A frequent itemset: item ids in ascending order, the number of baskets holding all of them, and that count as a fraction.</summary>
public sealed record FrequentItemset(int[] Items, int Count, double Support);

/// <summary>
/// The frequent itemsets of a basket collection, ordered by length and then lexicographically by item id
/// (the same order whichever miner found them).
/// </summary>
/// <param name="BasketCount">Baskets mined, empty ones included (the denominator of every support).</param>
/// <param name="MinCount">The basket count an itemset needed to be frequent.</param>
/// <param name="Itemsets">The frequent itemsets.</param>
public sealed record FrequentItemsets(int BasketCount, int MinCount, IReadOnlyList<FrequentItemset> Itemsets);

/// <summary>
/// An association rule A -&gt; C: baskets holding every item of <see cref="Antecedent"/> tend to hold <see cref="Consequent"/>.
/// </summary>
/// <param name="Antecedent">Item ids of A, ascending.</param>
/// <param name="Consequent">Item ids of C, ascending, disjoint from A.</param>
/// <param name="Count">Baskets holding A and C.</param>
/// <param name="Support">support(A u C) = Count / baskets.</param>
/// <param name="Confidence">support(A u C) / support(A): the share of A's baskets that also hold C.</param>
/// <param name="Lift">confidence / support(C): how many times likelier C is given A than overall (1 = independent).</param>
/// <param name="Leverage">support(A u C) - support(A) support(C) (Piatetsky-Shapiro 1991).</param>
/// <param name="Conviction">(1 - support(C)) / (1 - confidence) (Brin et al. 1997); positive infinity when confidence is 1.</param>
public sealed record AssociationRule(
    int[] Antecedent,
    int[] Consequent,
    int Count,
    double Support,
    double Confidence,
    double Lift,
    double Leverage,
    double Conviction);

/// <summary>Frequent itemsets and the rules generated from them.</summary>
public sealed record AssociationRuleResult(FrequentItemsets Itemsets, IReadOnlyList<AssociationRule> Rules);

/// <summary>A frequent-itemset miner: baskets of item ids in, every frequent itemset with its support out.</summary>
public interface IFrequentItemsetMiner
{
    /// <summary>
    /// Finds every itemset whose support reaches <see cref="AssociationRuleOptions.MinSupport"/> (up to
    /// <see cref="AssociationRuleOptions.MaxLength"/> items). Item ids may be any ints, dense or sparse; an item
    /// repeated within a basket counts once.
    /// </summary>
    FrequentItemsets Mine(IReadOnlyList<int[]> baskets, AssociationRuleOptions options);
}
