namespace PromoPilot.Features.Rules;

/// <summary>
/// The first pass shared by the miners: counts each item once per basket, keeps the frequent items, ranks them
/// by descending count (ties by ascending id) and rewrites every basket as the ascending ranks of its frequent
/// items, stored flat (<see cref="Ranks"/> from <see cref="Starts"/>[t] to <see cref="Starts"/>[t + 1]).
/// </summary>
internal sealed class BasketEncoding
{
    private BasketEncoding(int basketCount, int minCount, int[] itemOfRank, int[] countOfRank, int[] ranks, int[] starts)
    {
        BasketCount = basketCount;
        MinCount = minCount;
        ItemOfRank = itemOfRank;
        CountOfRank = countOfRank;
        Ranks = ranks;
        Starts = starts;
    }

    public int BasketCount { get; }

    public int MinCount { get; }

    /// <summary>The original item id of each rank.</summary>
    public int[] ItemOfRank { get; }

    /// <summary>Baskets holding each frequent item, by rank (non-increasing).</summary>
    public int[] CountOfRank { get; }

    public int[] Ranks { get; }

    /// <summary>Start of each non-empty encoded basket in <see cref="Ranks"/>, plus a final end.</summary>
    public int[] Starts { get; }

    public int Transactions => Starts.Length - 1;

    public ReadOnlySpan<int> Transaction(int t) => Ranks.AsSpan(Starts[t], Starts[t + 1] - Starts[t]);

    public static BasketEncoding Create(IReadOnlyList<int[]> baskets, AssociationRuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(baskets);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var n = baskets.Count;
        var minCount = options.MinCount(n);

        // Dense indices for the item ids: the ids themselves when they are small non-negative ints, else a dictionary.
        long entries = 0;
        int min = int.MaxValue, max = int.MinValue;
        for (var b = 0; b < n; b++)
        {
            var basket = baskets[b] ?? throw new ArgumentException($"basket {b} is null", nameof(baskets));
            entries += basket.Length;
            foreach (var item in basket)
            {
                min = Math.Min(min, item);
                max = Math.Max(max, item);
            }
        }

        Dictionary<int, int>? index = null;
        int[] itemOfIndex;
        if (entries == 0)
        {
            itemOfIndex = [];
        }
        else if (min >= 0 && max <= 4 * entries + 1024)
        {
            itemOfIndex = new int[max + 1];
            for (var i = 0; i <= max; i++)
            {
                itemOfIndex[i] = i;
            }
        }
        else
        {
            index = [];
            var ids = new List<int>();
            for (var b = 0; b < n; b++)
            {
                foreach (var item in baskets[b])
                {
                    if (index.TryAdd(item, ids.Count))
                    {
                        ids.Add(item);
                    }
                }
            }

            itemOfIndex = [.. ids];
        }

        // Support counts, one per basket: lastSeen[i] is the last basket that counted item i.
        var m = itemOfIndex.Length;
        var counts = new int[m];
        var lastSeen = new int[m];
        Array.Fill(lastSeen, -1);
        for (var b = 0; b < n; b++)
        {
            foreach (var item in baskets[b])
            {
                var i = index is null ? item : index[item];
                if (lastSeen[i] != b)
                {
                    lastSeen[i] = b;
                    counts[i]++;
                }
            }
        }

        var frequent = new List<int>();
        for (var i = 0; i < m; i++)
        {
            if (counts[i] >= minCount)
            {
                frequent.Add(i);
            }
        }

        var order = frequent.ToArray();
        Array.Sort(order, (x, y) => counts[x] != counts[y] ? counts[y].CompareTo(counts[x]) : itemOfIndex[x].CompareTo(itemOfIndex[y]));
        var rankOfIndex = new int[m];
        Array.Fill(rankOfIndex, -1);
        var itemOfRank = new int[order.Length];
        var countOfRank = new int[order.Length];
        for (var r = 0; r < order.Length; r++)
        {
            rankOfIndex[order[r]] = r;
            itemOfRank[r] = itemOfIndex[order[r]];
            countOfRank[r] = counts[order[r]];
        }

        // Encode: frequent items only, each once, ranks ascending; empty baskets are dropped (they still count in n).
        Array.Fill(lastSeen, -1);
        var ranks = new List<int>((int)Math.Min(entries, int.MaxValue));
        var starts = new List<int> { 0 };
        for (var b = 0; b < n; b++)
        {
            var from = ranks.Count;
            foreach (var item in baskets[b])
            {
                var i = index is null ? item : index[item];
                if (rankOfIndex[i] >= 0 && lastSeen[i] != b)
                {
                    lastSeen[i] = b;
                    ranks.Add(rankOfIndex[i]);
                }
            }

            if (ranks.Count > from)
            {
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ranks)[from..].Sort();
                starts.Add(ranks.Count);
            }
        }

        return new BasketEncoding(n, minCount, itemOfRank, countOfRank, [.. ranks], [.. starts]);
    }

    /// <summary>The original item ids of some ranks, ascending.</summary>
    public int[] Items(ReadOnlySpan<int> ranks)
    {
        var items = new int[ranks.Length];
        for (var i = 0; i < ranks.Length; i++)
        {
            // Insertion sort: itemsets are short.
            var item = ItemOfRank[ranks[i]];
            var j = i;
            while (j > 0 && items[j - 1] > item)
            {
                items[j] = items[j - 1];
                j--;
            }

            items[j] = item;
        }

        return items;
    }

    /// <summary>Wraps found itemsets in the canonical order: by length, then lexicographically by item id.</summary>
    public FrequentItemsets Result(List<FrequentItemset> found)
    {
        ItemsetOrder.Sort(found, ItemOfRank.Length == 0 ? 0 : ItemOfRank.Min(), ItemOfRank.Length == 0 ? 0 : ItemOfRank.Max());
        return new FrequentItemsets(BasketCount, MinCount, found);
    }
}

/// <summary>Orders and compares itemsets given as ascending item ids.</summary>
internal sealed class ItemsetOrder : IEqualityComparer<int[]>
{
    public static readonly ItemsetOrder Instance = new();

    /// <summary>Shorter first, then lexicographic.</summary>
    public static int Compare(FrequentItemset? x, FrequentItemset? y) => Compare(x!.Items, y!.Items);

    /// <summary>
    /// Sorts itemsets (items within [minItem, maxItem]) shorter first, then lexicographically: by length with a
    /// counting pass, then each length by a packed integer key when its items fit in 63 bits, else by comparison.
    /// </summary>
    public static void Sort(List<FrequentItemset> itemsets, int minItem, int maxItem)
    {
        if (itemsets.Count < 2)
        {
            return;
        }

        var maxLength = 0;
        foreach (var itemset in itemsets)
        {
            maxLength = Math.Max(maxLength, itemset.Items.Length);
        }

        var starts = new int[maxLength + 2];
        foreach (var itemset in itemsets)
        {
            starts[itemset.Items.Length + 1]++;
        }

        for (var length = 1; length < starts.Length; length++)
        {
            starts[length] += starts[length - 1];
        }

        var sorted = new FrequentItemset[itemsets.Count];
        var next = (int[])starts.Clone();
        foreach (var itemset in itemsets)
        {
            sorted[next[itemset.Items.Length]++] = itemset;
        }

        var bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)((long)maxItem - minItem));
        var keys = new ulong[sorted.Length];
        for (var length = 0; length <= maxLength; length++)
        {
            var span = sorted.AsSpan(starts[length], starts[length + 1] - starts[length]);
            if (span.Length < 2)
            {
                continue;
            }

            if ((long)bits * length <= 63)
            {
                var keySpan = keys.AsSpan(0, span.Length);
                for (var i = 0; i < span.Length; i++)
                {
                    ulong key = 0;
                    foreach (var item in span[i].Items)
                    {
                        key = (key << bits) | (ulong)((long)item - minItem);
                    }

                    keySpan[i] = key;
                }

                keySpan.Sort(span);
            }
            else
            {
                span.Sort(Compare);
            }
        }

        itemsets.Clear();
        itemsets.AddRange(sorted);
    }

    public static int Compare(int[] x, int[] y)
    {
        if (x.Length != y.Length)
        {
            return x.Length.CompareTo(y.Length);
        }

        return x.AsSpan().SequenceCompareTo(y);
    }

    public bool Equals(int[]? x, int[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(int[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
        return hash.ToHashCode();
    }
}
