using System.Runtime.InteropServices;

namespace PromoPilot.Features.Rules;

/// <summary>
/// Association rules from frequent itemsets (Agrawal &amp; Srikant 1994, section 3): every split of a frequent
/// itemset I into a non-empty antecedent A and consequent C = I \ A is a candidate rule A -&gt; C with
/// confidence count(I) / count(A) and lift confidence / support(C); leverage and conviction come with it.
/// </summary>
public static class AssociationRules
{
    /// <summary>Mines the baskets with <paramref name="miner"/> (FP-Growth when null) and generates the rules.</summary>
    public static AssociationRuleResult Mine(IReadOnlyList<int[]> baskets, AssociationRuleOptions options, IFrequentItemsetMiner? miner = null)
    {
        var itemsets = (miner ?? new FpGrowth()).Mine(baskets, options);
        return new AssociationRuleResult(itemsets, Generate(itemsets, options));
    }

    /// <summary>
    /// The rules of the itemsets reaching <see cref="AssociationRuleOptions.MinConfidence"/> and
    /// <see cref="AssociationRuleOptions.MinLift"/> (consequents up to <see cref="AssociationRuleOptions.MaxConsequentLength"/>),
    /// ordered by lift, then confidence, then support (all descending), then antecedent and consequent ids.
    /// </summary>
    /// <exception cref="ArgumentException">An itemset's subset is missing from <paramref name="itemsets"/> (not a
    /// downward-closed collection, as every miner's output is).</exception>
    public static IReadOnlyList<AssociationRule> Generate(FrequentItemsets itemsets, AssociationRuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(itemsets);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var n = (double)itemsets.BasketCount;
        var counts = new Dictionary<int[], int>(itemsets.Itemsets.Count, ItemsetOrder.Instance);
        foreach (var itemset in itemsets.Itemsets)
        {
            counts[itemset.Items] = itemset.Count;
        }

        var maxConsequent = options.MaxConsequentLength ?? int.MaxValue;
        var rules = new List<AssociationRule>();
        // Scratch subsets by length, one set for antecedents and one for consequents (they can have the same length).
        var antecedents = new List<int[]>();
        var consequents = new List<int[]>();
        foreach (var itemset in itemsets.Itemsets)
        {
            var items = itemset.Items;
            var k = items.Length;
            if (k < 2)
            {
                continue;
            }

            if (k > 30)
            {
                throw new ArgumentException($"itemset of {k} items: rules are generated for itemsets of at most 30 items", nameof(itemsets));
            }

            while (antecedents.Count <= k)
            {
                antecedents.Add(new int[antecedents.Count]);
                consequents.Add(new int[consequents.Count]);
            }

            // Each mask is an antecedent (its bits are positions in the itemset); the rest is the consequent.
            var full = (1 << k) - 1;
            for (var mask = 1; mask < full; mask++)
            {
                var antecedentLength = System.Numerics.BitOperations.PopCount((uint)mask);
                var consequentLength = k - antecedentLength;
                if (consequentLength > maxConsequent)
                {
                    continue;
                }

                var antecedent = antecedents[antecedentLength];
                var consequent = consequents[consequentLength];
                Split(items, mask, antecedent, consequent);
                var antecedentCount = CountOf(counts, antecedent);
                var consequentCount = CountOf(counts, consequent);
                if (antecedentCount < 0 || consequentCount < 0)
                {
                    var missing = antecedentCount < 0 ? antecedent : consequent;
                    throw new ArgumentException($"itemset [{string.Join(", ", missing)}] is a subset of a frequent itemset but missing from the itemsets", nameof(itemsets));
                }

                var confidence = itemset.Count / (double)antecedentCount;
                if (confidence < options.MinConfidence)
                {
                    continue;
                }

                var consequentSupport = consequentCount / n;
                var lift = confidence / consequentSupport;
                if (lift < options.MinLift)
                {
                    continue;
                }

                rules.Add(new AssociationRule(
                    [.. antecedent],
                    [.. consequent],
                    itemset.Count,
                    itemset.Support,
                    confidence,
                    lift,
                    itemset.Support - antecedentCount / n * consequentSupport,
                    confidence >= 1 ? double.PositiveInfinity : (1 - consequentSupport) / (1 - confidence)));
            }
        }

        rules.Sort(Compare);
        return rules;
    }

    /// <summary>Lift, confidence, support descending; then antecedent and consequent ids ascending (shorter first).</summary>
    public static int Compare(AssociationRule? x, AssociationRule? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var c = y.Lift.CompareTo(x.Lift);
        if (c == 0)
        {
            c = y.Confidence.CompareTo(x.Confidence);
        }

        if (c == 0)
        {
            c = y.Support.CompareTo(x.Support);
        }

        if (c == 0)
        {
            c = ItemsetOrder.Compare(x.Antecedent, y.Antecedent);
        }

        return c != 0 ? c : ItemsetOrder.Compare(x.Consequent, y.Consequent);
    }

    private static void Split(int[] items, int mask, int[] antecedent, int[] consequent)
    {
        int a = 0, c = 0;
        for (var i = 0; i < items.Length; i++)
        {
            if ((mask & (1 << i)) != 0)
            {
                antecedent[a++] = items[i];
            }
            else
            {
                consequent[c++] = items[i];
            }
        }
    }

    /// <summary>The count of a subset, -1 when it is not among the itemsets.</summary>
    private static int CountOf(Dictionary<int[], int> counts, int[] subset)
    {
        ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(counts, subset);
        return System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count) ? -1 : count;
    }
}
