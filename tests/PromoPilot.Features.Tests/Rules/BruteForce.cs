namespace PromoPilot.Features.Tests.Rules;

/// <summary>
/// The definitions, computed the slow way for small inputs: every subset of the distinct items is counted
/// directly against every basket (bit masks), with no pruning and nothing shared with the miners.
/// </summary>
internal static class BruteForce
{
    public sealed record BruteRule(int Count, double Support, double Confidence, double Lift, double AntecedentSupport, double ConsequentSupport);

    /// <summary>Every itemset with count / baskets &gt;= minSupport (and count &gt;= 1), keyed by its ascending ids ("3,7").</summary>
    public static SortedDictionary<string, int> Itemsets(int[][] baskets, double minSupport, int? maxLength)
    {
        var (items, masks) = Masks(baskets);
        var result = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (set, count) in Counts(items.Length, masks))
        {
            var length = System.Numerics.BitOperations.PopCount((uint)set);
            if (count >= 1 && (double)count / baskets.Length >= minSupport && length <= (maxLength ?? int.MaxValue))
            {
                result[Key(items, set)] = count;
            }
        }

        return result;
    }

    /// <summary>Every rule A -&gt; C over frequent A u C with its definitions computed from direct counts, keyed "A=>C".</summary>
    public static SortedDictionary<string, BruteRule> Rules(
        int[][] baskets, double minSupport, int? maxLength, double minConfidence, double minLift)
    {
        var (items, masks) = Masks(baskets);
        var counts = Counts(items.Length, masks);
        var n = (double)baskets.Length;
        var result = new SortedDictionary<string, BruteRule>(StringComparer.Ordinal);
        foreach (var (set, count) in counts)
        {
            var length = System.Numerics.BitOperations.PopCount((uint)set);
            if (length < 2 || count < 1 || count / n < minSupport || length > (maxLength ?? int.MaxValue))
            {
                continue;
            }

            // Every non-empty proper subset of the set as antecedent.
            for (var a = (set - 1) & set; a > 0; a = (a - 1) & set)
            {
                var c = set & ~a;
                var confidence = count / (double)counts[a];
                var lift = confidence / (counts[c] / n);
                if (confidence >= minConfidence && lift >= minLift)
                {
                    result[Key(items, a) + "=>" + Key(items, c)] = new BruteRule(count, count / n, confidence, lift, counts[a] / n, counts[c] / n);
                }
            }
        }

        return result;
    }

    public static string Key(IEnumerable<int> items) => string.Join(",", items);

    private static string Key(int[] items, int set) =>
        Key(Enumerable.Range(0, items.Length).Where(i => (set & (1 << i)) != 0).Select(i => items[i]));

    /// <summary>The distinct items (ascending, so bit order is id order) and each basket as a bit mask of them.</summary>
    private static (int[] Items, int[] Masks) Masks(int[][] baskets)
    {
        var items = baskets.SelectMany(b => b).Distinct().Order().ToArray();
        if (items.Length > 16)
        {
            throw new ArgumentException("brute force is for at most 16 distinct items", nameof(baskets));
        }

        var bit = items.Select((item, i) => (item, i)).ToDictionary(p => p.item, p => p.i);
        return (items, baskets.Select(b => b.Aggregate(0, (mask, item) => mask | (1 << bit[item]))).ToArray());
    }

    /// <summary>The number of baskets containing each set of items, for every set.</summary>
    private static Dictionary<int, int> Counts(int items, int[] masks)
    {
        var counts = new Dictionary<int, int>();
        for (var set = 1; set < 1 << items; set++)
        {
            counts[set] = masks.Count(m => (m & set) == set);
        }

        return counts;
    }
}
