using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.Trainers.FastTree;

namespace PromoPilot.Models.Response;

/// <summary>
/// A direct evaluator of a trained tree ensemble (LightGBM or FastTree through ML.NET), read once from the model's
/// <see cref="TreeEnsemble{T}"/>: every node of every tree in flat arrays, walked with one comparison a node.
/// It reproduces ML.NET's own evaluation (InternalRegressionTree.GetLeaf): a float feature goes left when it is
/// &lt;= the node's float threshold; a missing (NaN) feature is replaced by the node's default value, which encodes
/// LightGBM's learned missing-value direction (ML.NET sets it to the threshold for "missing goes left", the
/// threshold + 1 for "missing goes right", 0 where training saw no missing value); the score is the float of the
/// double sum of the trees' leaf values. Tests check it against ML.NET to 1e-9.
/// </summary>
internal sealed class CompiledTrees
{
    /// <summary>Trees walked side by side (independent chains of loads and compares overlap in the CPU).</summary>
    private const int Lanes = 8;

    private readonly Node[] _nodes;
    private readonly float[] _missing;
    private readonly bool _hasMissing;
    private readonly double[] _value;
    private readonly int[] _roots;
    private readonly int _firstLeaf;

    private CompiledTrees(Node[] nodes, float[] missing, bool hasMissing, double[] value, int[] roots, int firstLeaf, int width)
    {
        _nodes = nodes;
        _missing = missing;
        _hasMissing = hasMissing;
        _value = value;
        _roots = roots;
        _firstLeaf = firstLeaf;
        Width = width;
    }

    /// <summary>Encoded slots the trees read (every split feature is below this).</summary>
    public int Width { get; }

    /// <summary>Number of trees.</summary>
    public int Trees => _roots.Length;

    /// <summary>
    /// Flattens an ensemble; null when it uses something this evaluator does not reproduce (categorical splits, a
    /// bias, or missing-value defaults it cannot read), in which case callers keep ML.NET's own scoring. Internal
    /// nodes of all trees come first, leaves after them; a leaf is a node whose both children are itself, so
    /// <see cref="Lanes"/> trees are walked side by side until all of them stand on a leaf.
    /// </summary>
    public static CompiledTrees? From(TreeEnsemble<RegressionTree> ensemble, int width)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        if (ensemble.Bias != 0)
        {
            return null; // ML.NET's LightGBM and FastTree binary ensembles carry no bias; refuse rather than guess its use
        }

        var trees = ensemble.Trees;
        var defaults = new float[]?[trees.Count];
        int internalTotal = 0, leafTotal = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            if (tree.CategoricalSplitFlags.Any(c => c) || tree.NumericalSplitFeatureIndexes.Any(f => f < 0 || f >= width))
            {
                return null;
            }

            if (Constant(tree))
            {
                leafTotal++;
                continue;
            }

            var d = DefaultsForMissing(tree);
            if (d is false)
            {
                return null;
            }

            defaults[t] = d as float[];
            internalTotal += tree.NumberOfNodes;
            leafTotal += tree.NumberOfLeaves;
        }

        var nodes = new Node[internalTotal + leafTotal];
        var missing = new float[nodes.Length];
        var value = new double[nodes.Length];
        var roots = new int[trees.Count];
        int nextInternal = 0, nextLeaf = internalTotal;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            var weight = ensemble.TreeWeights[t];
            if (Constant(tree))
            {
                // ML.NET scores a one-leaf tree as its only leaf (an empty tree as 0).
                roots[t] = nextLeaf;
                nodes[nextLeaf] = new Node(0, float.NaN, nextLeaf, nextLeaf);
                value[nextLeaf++] = (tree.LeafValues.Count > 0 ? tree.LeafValues[0] : 0) * weight;
                continue;
            }

            int nodeBase = nextInternal, leafBase = nextLeaf;
            roots[t] = nodeBase;
            for (var n = 0; n < tree.NumberOfNodes; n++)
            {
                nodes[nodeBase + n] = new Node(tree.NumericalSplitFeatureIndexes[n], tree.NumericalSplitThresholds[n], Child(tree.LeftChild[n]), Child(tree.RightChild[n]));
                missing[nodeBase + n] = defaults[t] is { } d ? d[n] : float.NaN;
            }

            for (var leaf = 0; leaf < tree.NumberOfLeaves; leaf++)
            {
                var self = leafBase + leaf;
                nodes[self] = new Node(0, float.NaN, self, self); // NaN threshold: the walk stays here
                value[self] = tree.LeafValues[leaf] * weight;
            }

            nextInternal += tree.NumberOfNodes;
            nextLeaf += tree.NumberOfLeaves;

            int Child(int c) => c >= 0 ? nodeBase + c : leafBase + ~c;
        }

        return new CompiledTrees(nodes, missing, defaults.Any(d => d is not null), value, roots, internalTotal, width);

        static bool Constant(RegressionTree tree) => tree.NumberOfNodes == 0 || tree.NumberOfLeaves <= 1;
    }

    /// <summary>The raw score (log-odds margin) of one encoded row, as ML.NET's "Score" column gives it.</summary>
    public float Score(ReadOnlySpan<float> x)
    {
        if (x.Length < Width)
        {
            throw new ArgumentException($"an encoded row has {Width} values, not {x.Length}.", nameof(x));
        }

        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var features = ref MemoryMarshal.GetReference(x);
        var values = _value;
        var roots = _roots;
        var leaves = _firstLeaf;
        var sum = 0.0;
        var t = 0;
        for (; t + Lanes <= roots.Length; t += Lanes)
        {
            int a = roots[t], b = roots[t + 1], c = roots[t + 2], d = roots[t + 3];
            int e = roots[t + 4], f = roots[t + 5], g = roots[t + 6], h = roots[t + 7];
            while (Math.Min(Math.Min(Math.Min(a, b), Math.Min(c, d)), Math.Min(Math.Min(e, f), Math.Min(g, h))) < leaves)
            {
                a = Step(ref nodes, ref features, a);
                b = Step(ref nodes, ref features, b);
                c = Step(ref nodes, ref features, c);
                d = Step(ref nodes, ref features, d);
                e = Step(ref nodes, ref features, e);
                f = Step(ref nodes, ref features, f);
                g = Step(ref nodes, ref features, g);
                h = Step(ref nodes, ref features, h);
            }

            // Added one by one in tree order: the same double sum as ML.NET's.
            sum += values[a];
            sum += values[b];
            sum += values[c];
            sum += values[d];
            sum += values[e];
            sum += values[f];
            sum += values[g];
            sum += values[h];
        }

        for (; t < roots.Length; t++)
        {
            var a = roots[t];
            while (a < leaves)
            {
                a = Step(ref nodes, ref features, a);
            }

            sum += values[a];
        }

        return (float)sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Step(ref Node nodes, ref float features, int at)
    {
        ref var node = ref Unsafe.Add(ref nodes, at);
        var v = Unsafe.Add(ref features, node.Feature);
        if (float.IsNaN(v) && _hasMissing)
        {
            v = _missing[at];
        }

        // Branch-free: a data-dependent branch here is mispredicted about half the time. (NaN <= t) is false: right.
        return Unsafe.Add(ref node.Right, Unsafe.BitCast<bool, byte>(v <= node.Threshold));
    }

    /// <summary>One node; <see cref="Left"/> follows <see cref="Right"/> so that the child is Right[v &lt;= threshold].</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Node(int feature, float threshold, int left, int right)
    {
        public int Feature = feature;
        public float Threshold = threshold;
        public int Right = right;
        public int Left = left;
    }

    /// <summary>
    /// ML.NET keeps each node's missing-value default on its internal tree (not on the public wrapper): read it by
    /// reflection. Returns null when the tree has none (NaN then compares as it is), false when it cannot be read.
    /// </summary>
    private static object? DefaultsForMissing(RegressionTree tree)
    {
        const BindingFlags Any = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var inner = typeof(RegressionTreeBase).GetField("_tree", Any)?.GetValue(tree);
        if (inner is null)
        {
            return false;
        }

        var type = inner.GetType();
        var member = (object?)type.GetProperty("DefaultValueForMissing", Any) ?? type.GetField("DefaultValueForMissing", Any);
        var value = member switch
        {
            PropertyInfo p => p.GetValue(inner),
            FieldInfo f => f.GetValue(inner),
            _ => false,
        };
        return value switch
        {
            null => null,
            float[] d when d.Length >= tree.NumberOfNodes => d,
            _ => false,
        };
    }
}
