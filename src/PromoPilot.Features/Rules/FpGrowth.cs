namespace PromoPilot.Features.Rules;

/// <summary>
/// FP-Growth frequent-itemset mining (Han, Pei &amp; Yin 2000, "Mining frequent patterns without candidate
/// generation", SIGMOD): the baskets are compressed into a prefix tree of their frequent items (most frequent
/// first), and the itemsets ending in each item are grown from that item's conditional tree, built from the
/// prefix paths above its nodes, recursively; a tree that is a single path yields all its combinations at once.
/// </summary>
/// <remarks>
/// <para>Trees are flat arrays of nodes (item, count, parent, first child, next sibling, node link), reused per recursion
/// depth, so mining allocates little beyond its output. Conditional trees keep the global item order (descending
/// overall frequency), which keeps every tree a valid FP-tree without re-ranking.</para>
/// <para>Characteristics: exact; single-threaded and deterministic; time grows with the number of frequent
/// itemsets rather than with candidate counts, which makes it much faster than Apriori at low support.</para>
/// </remarks>
public sealed class FpGrowth : IFrequentItemsetMiner
{
    /// <inheritdoc />
    public FrequentItemsets Mine(IReadOnlyList<int[]> baskets, AssociationRuleOptions options)
    {
        var data = BasketEncoding.Create(baskets, options);
        var found = new List<FrequentItemset>();
        var items = data.ItemOfRank.Length;
        if (items == 0)
        {
            return data.Result(found);
        }

        var tree = new FpTree(data.Ranks.Length + 1);
        tree.Reset(items);
        for (var t = 0; t < data.Transactions; t++)
        {
            tree.Insert(data.Transaction(t), 1);
        }

        new Miner(data, options.MaxLength ?? int.MaxValue, found).Run(tree);
        return data.Result(found);
    }

    private sealed class Miner(BasketEncoding data, int maxLength, List<FrequentItemset> found)
    {
        private readonly List<FpTree> _trees = [];
        private readonly int[] _suffix = new int[data.ItemOfRank.Length];
        private readonly int[] _conditionalCounts = new int[data.ItemOfRank.Length];
        private readonly int[] _path = new int[data.ItemOfRank.Length];
        private readonly int _minCount = data.MinCount;
        private int[] _baseItems = new int[1024];
        private int[] _baseEnds = new int[256];
        private int[] _baseCounts = new int[256];

        public void Run(FpTree tree)
        {
            if (tree.SinglePath)
            {
                EmitSinglePath(tree, 0);
            }
            else
            {
                Grow(tree, 0);
            }
        }

        /// <summary>Emits suffix + {r} for every item r of the tree, then mines r's conditional tree.</summary>
        private void Grow(FpTree tree, int depth)
        {
            for (var r = tree.ItemLimit - 1; r >= 0; r--)
            {
                var support = tree.ItemCount[r];
                if (support < _minCount)
                {
                    continue;
                }

                _suffix[depth] = r;
                Emit(_suffix.AsSpan(0, depth + 1), support);
                if (depth + 1 >= maxLength || r == 0)
                {
                    continue;
                }

                var conditional = Conditional(tree, r, depth + 1);
                if (conditional is null)
                {
                    continue;
                }

                if (conditional.SinglePath)
                {
                    EmitSinglePath(conditional, depth + 1);
                }
                else
                {
                    Grow(conditional, depth + 1);
                }
            }
        }

        /// <summary>The FP-tree of the prefix paths above item r's nodes, keeping only items frequent among them; null when none is.</summary>
        private FpTree? Conditional(FpTree tree, int r, int depth)
        {
            // Pass 1: copy the prefix paths (the conditional pattern base) into flat buffers, counting their items.
            var counts = _conditionalCounts;
            Array.Clear(counts, 0, r);
            var paths = 0;
            var length = 0;
            var nodes = tree.Nodes;
            for (var node = tree.Head[r]; node >= 0; node = nodes[node].NextLink)
            {
                var count = nodes[node].Count;
                var from = length;
                for (var p = nodes[node].Parent; p > 0; p = nodes[p].Parent)
                {
                    if (length == _baseItems.Length)
                    {
                        Array.Resize(ref _baseItems, _baseItems.Length * 2);
                    }

                    var item = nodes[p].Item;
                    _baseItems[length++] = item;
                    counts[item] += count;
                }

                if (length > from)
                {
                    if (paths + 1 >= _baseEnds.Length)
                    {
                        Array.Resize(ref _baseEnds, _baseEnds.Length * 2);
                        Array.Resize(ref _baseCounts, _baseCounts.Length * 2);
                    }

                    _baseEnds[paths] = length;
                    _baseCounts[paths++] = count;
                }
            }

            var any = false;
            for (var i = 0; i < r && !any; i++)
            {
                any = counts[i] >= _minCount;
            }

            if (!any)
            {
                return null;
            }

            while (_trees.Count <= depth)
            {
                _trees.Add(new FpTree(64));
            }

            // Pass 2: insert each path's frequent items root-first (the buffer holds them deepest-first).
            var conditional = _trees[depth];
            conditional.Reset(r);
            var path = _path;
            var start = 0;
            for (var b = 0; b < paths; b++)
            {
                var at = path.Length;
                var end = _baseEnds[b];
                for (var i = start; i < end; i++)
                {
                    var item = _baseItems[i];
                    if (counts[item] >= _minCount)
                    {
                        path[--at] = item;
                    }
                }

                if (at < path.Length)
                {
                    conditional.Insert(path.AsSpan(at), _baseCounts[b]);
                }

                start = end;
            }

            return conditional;
        }

        /// <summary>A single-path tree: every combination of its nodes is frequent, with the count of its deepest node.</summary>
        private void EmitSinglePath(FpTree tree, int depth)
        {
            var length = 0;
            for (var node = tree.Nodes[0].FirstChild; node > 0; node = tree.Nodes[node].FirstChild)
            {
                _path[length++] = node;
            }

            Combine(tree, depth, length, 0);
        }

        /// <summary>Extends the suffix with nodes at index &gt;= from on the path, deepest-first choice last.</summary>
        private void Combine(FpTree tree, int depth, int length, int from)
        {
            if (depth >= maxLength)
            {
                return;
            }

            for (var i = from; i < length; i++)
            {
                var node = _path[i];
                _suffix[depth] = tree.Nodes[node].Item;
                Emit(_suffix.AsSpan(0, depth + 1), tree.Nodes[node].Count);
                Combine(tree, depth + 1, length, i + 1);
            }
        }

        private void Emit(ReadOnlySpan<int> ranks, int count) =>
            found.Add(new FrequentItemset(data.Items(ranks), count, (double)count / data.BasketCount));
    }
}

/// <summary>An FP-tree in one flat array of nodes (index links, no objects); node 0 is the root.</summary>
internal sealed class FpTree
{
    public FpTree(int capacity)
    {
        Nodes = new FpNode[Math.Max(capacity, 2)];
    }

    /// <summary>The nodes; the first <see cref="Size"/> are in use.</summary>
    public FpNode[] Nodes { get; private set; }

    public int Size { get; private set; }

    /// <summary>First node of each item's chain (the header table), -1 when the item has no node.</summary>
    public int[] Head { get; private set; } = [];

    /// <summary>The root's child holding each item, -1 when none.</summary>
    public int[] RootChild { get; private set; } = [];

    /// <summary>Total count of each item in the tree (the sum over its chain).</summary>
    public int[] ItemCount { get; private set; } = [];

    /// <summary>Items are ranks 0 .. ItemLimit - 1.</summary>
    public int ItemLimit { get; private set; }

    /// <summary>True while no node has more than one child.</summary>
    public bool SinglePath { get; private set; }

    public void Reset(int itemLimit)
    {
        if (Head.Length < itemLimit)
        {
            Head = new int[itemLimit];
            RootChild = new int[itemLimit];
            ItemCount = new int[itemLimit];
        }

        Array.Fill(Head, -1, 0, itemLimit);
        Array.Fill(RootChild, -1, 0, itemLimit);
        Array.Clear(ItemCount, 0, itemLimit);
        ItemLimit = itemLimit;
        Size = 1;
        Nodes[0] = new FpNode { Item = -1, Parent = -1, FirstChild = -1, NextSibling = -1, NextLink = -1 };
        SinglePath = true;
    }

    /// <summary>Adds a path of ascending ranks with a count, sharing the longest existing prefix.</summary>
    public void Insert(ReadOnlySpan<int> path, int count)
    {
        if (path.IsEmpty)
        {
            return;
        }

        // The root's children are indexed by item; deeper sibling lists are searched and kept most-recent-first.
        var first = path[0];
        var current = RootChild[first];
        if (current < 0)
        {
            if (Nodes[0].FirstChild >= 0)
            {
                SinglePath = false;
            }

            current = RootChild[first] = NewNode(first, 0);
        }

        Nodes[current].Count += count;
        ItemCount[first] += count;
        for (var i = 1; i < path.Length; i++)
        {
            var item = path[i];
            var nodes = Nodes;
            var child = nodes[current].FirstChild;
            var previous = -1;
            while (child >= 0 && nodes[child].Item != item)
            {
                previous = child;
                child = nodes[child].NextSibling;
            }

            if (child < 0)
            {
                if (nodes[current].FirstChild >= 0)
                {
                    SinglePath = false;
                }

                child = NewNode(item, current);
                nodes = Nodes;
            }
            else if (previous >= 0)
            {
                nodes[previous].NextSibling = nodes[child].NextSibling;
                nodes[child].NextSibling = nodes[current].FirstChild;
                nodes[current].FirstChild = child;
            }

            nodes[child].Count += count;
            ItemCount[item] += count;
            current = child;
        }
    }

    private int NewNode(int item, int parent)
    {
        if (Size == Nodes.Length)
        {
            var grown = new FpNode[Nodes.Length * 2];
            Array.Copy(Nodes, grown, Size);
            Nodes = grown;
        }

        var node = Size++;
        ref var parentNode = ref Nodes[parent];
        Nodes[node] = new FpNode { Item = item, Parent = parent, FirstChild = -1, NextSibling = parentNode.FirstChild, NextLink = Head[item] };
        parentNode.FirstChild = node;
        Head[item] = node;
        return node;
    }
}

/// <summary>A node of an <see cref="FpTree"/>: its item, count and links, by index.</summary>
internal struct FpNode
{
    public int Item;
    public int Count;
    public int Parent;
    public int FirstChild;
    public int NextSibling;

    /// <summary>The next node of the same item (the header table's node-link chain).</summary>
    public int NextLink;
}
