using System.Runtime.InteropServices;

namespace PromoPilot.Features.Rules;

/// <summary>
/// Apriori frequent-itemset mining (Agrawal &amp; Srikant 1994, "Fast algorithms for mining association rules",
/// VLDB), plain: level by level, candidates of length k are joined from frequent (k-1)-itemsets sharing their
/// first k-2 items, pruned unless every (k-1)-subset is frequent, and counted in one pass over the baskets.
/// </summary>
/// <remarks>
/// <para>Candidates are kept in a hash table (in place of the paper's hash tree). A basket is counted by looking
/// up each of its k-item subsets, or, when it has more such subsets than there are candidates, by testing each
/// candidate for containment. Baskets are reduced to their frequent items first (the level-1 pass).</para>
/// <para>It is the baseline FP-Growth is measured against (bench/rules) and a second oracle in the tests; use
/// <see cref="FpGrowth"/> for real work.</para>
/// </remarks>
public sealed class Apriori : IFrequentItemsetMiner
{
    /// <inheritdoc />
    public FrequentItemsets Mine(IReadOnlyList<int[]> baskets, AssociationRuleOptions options)
    {
        var data = BasketEncoding.Create(baskets, options);
        var found = new List<FrequentItemset>();
        var maxLength = options.MaxLength ?? int.MaxValue;

        // Level 1: the frequent items (ranks), from the encoding pass.
        var level = new List<int[]>();
        for (var r = 0; r < data.ItemOfRank.Length; r++)
        {
            level.Add([r]);
            Emit(data, found, [r], data.CountOfRank[r]);
        }

        for (var k = 2; k <= maxLength && level.Count >= 2; k++)
        {
            var candidates = Candidates(level, k);
            if (candidates.Count == 0)
            {
                break;
            }

            Count(data, candidates, k);
            level = [];
            foreach (var (itemset, count) in candidates)
            {
                if (count >= data.MinCount)
                {
                    level.Add(itemset);
                    Emit(data, found, itemset, count);
                }
            }
        }

        return data.Result(found);
    }

    /// <summary>apriori-gen: join (k-1)-itemsets that share their first k-2 items, prune by the (k-1)-subsets.</summary>
    private static Dictionary<int[], int> Candidates(List<int[]> previous, int k)
    {
        previous.Sort(static (x, y) => x.AsSpan().SequenceCompareTo(y));
        var frequent = new HashSet<int[]>(previous, ItemsetOrder.Instance);
        var candidates = new Dictionary<int[], int>(ItemsetOrder.Instance);
        var subset = new int[k - 1];
        for (var i = 0; i < previous.Count; i++)
        {
            var a = previous[i];
            for (var j = i + 1; j < previous.Count; j++)
            {
                var b = previous[j];
                if (!a.AsSpan(0, k - 2).SequenceEqual(b.AsSpan(0, k - 2)))
                {
                    break;
                }

                var candidate = new int[k];
                a.CopyTo(candidate, 0);
                candidate[k - 1] = b[k - 2];
                if (AllSubsetsFrequent(candidate, frequent, subset))
                {
                    candidates.Add(candidate, 0);
                }
            }
        }

        return candidates;
    }

    private static bool AllSubsetsFrequent(int[] candidate, HashSet<int[]> frequent, int[] subset)
    {
        // The subsets dropping either of the last two items are the joined ones; check the others.
        for (var drop = 0; drop < candidate.Length - 2; drop++)
        {
            var at = 0;
            for (var i = 0; i < candidate.Length; i++)
            {
                if (i != drop)
                {
                    subset[at++] = candidate[i];
                }
            }

            if (!frequent.Contains(subset))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One pass over the baskets counting every candidate each contains.</summary>
    private static void Count(BasketEncoding data, Dictionary<int[], int> candidates, int k)
    {
        var subset = new int[k];
        var positions = new int[k];
        var keys = candidates.Keys.ToArray();
        for (var t = 0; t < data.Transactions; t++)
        {
            var basket = data.Transaction(t);
            if (basket.Length < k)
            {
                continue;
            }

            if (Binomial(basket.Length, k) <= keys.Length)
            {
                // Every k-subset of the basket, in lexicographic order of positions.
                for (var i = 0; i < k; i++)
                {
                    positions[i] = i;
                }

                while (true)
                {
                    for (var i = 0; i < k; i++)
                    {
                        subset[i] = basket[positions[i]];
                    }

                    ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(candidates, subset);
                    if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count))
                    {
                        count++;
                    }

                    var p = k - 1;
                    while (p >= 0 && positions[p] == basket.Length - k + p)
                    {
                        p--;
                    }

                    if (p < 0)
                    {
                        break;
                    }

                    positions[p]++;
                    for (var i = p + 1; i < k; i++)
                    {
                        positions[i] = positions[i - 1] + 1;
                    }
                }
            }
            else
            {
                foreach (var candidate in keys)
                {
                    if (Contains(basket, candidate))
                    {
                        CollectionsMarshal.GetValueRefOrNullRef(candidates, candidate)++;
                    }
                }
            }
        }
    }

    /// <summary>Whether a sorted basket holds every item of a sorted candidate (merge scan).</summary>
    private static bool Contains(ReadOnlySpan<int> basket, int[] candidate)
    {
        var j = 0;
        foreach (var item in candidate)
        {
            while (j < basket.Length && basket[j] < item)
            {
                j++;
            }

            if (j == basket.Length || basket[j] != item)
            {
                return false;
            }

            j++;
        }

        return true;
    }

    private static long Binomial(int n, int k)
    {
        long result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
            if (result > int.MaxValue)
            {
                return long.MaxValue;
            }
        }

        return result;
    }

    private static void Emit(BasketEncoding data, List<FrequentItemset> found, int[] ranks, int count) =>
        found.Add(new FrequentItemset(data.Items(ranks), count, (double)count / data.BasketCount));
}
