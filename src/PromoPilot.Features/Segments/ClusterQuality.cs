using System.Numerics;
using System.Runtime.CompilerServices;

namespace PromoPilot.Features.Segments;

/// <summary>
/// Internal validity indices of a partition, used to choose the number of segments.
/// <list type="bullet">
/// <item>Silhouette (P. J. Rousseeuw, "Silhouettes: a graphical aid to the interpretation and validation of
/// cluster analysis", J. Comput. Appl. Math. 20, 1987): for each point, a = mean Euclidean distance to the other
/// members of its cluster, b = the smallest mean distance to the members of another cluster,
/// s = (b - a) / max(a, b); s = 0 for a point alone in its cluster. The index is the mean of s.</item>
/// <item>Calinski-Harabasz (T. Calinski, J. Harabasz, "A dendrite method for cluster analysis", Commun. Stat. 3,
/// 1974): [B / (k - 1)] / [W / (n - k)] with B the between-cluster and W the within-cluster sum of squares.</item>
/// </list>
/// Both follow scikit-learn's conventions (checked against it in the tests).
/// </summary>
public static class ClusterQuality
{
    /// <summary>Mean silhouette coefficient of a labelled point set (Euclidean distance).</summary>
    /// <param name="points">Points, all of one dimension.</param>
    /// <param name="labels">One label per point, any integers; at least 2 and at most n - 1 distinct labels.</param>
    /// <exception cref="ArgumentException">Shapes disagree, values are not finite, or the label count is out of range.</exception>
    public static double Silhouette(IReadOnlyList<double[]> points, IReadOnlyList<int> labels)
    {
        var (data, dimensions, dense, k) = Prepare(points, labels);
        var rows = Enumerable.Range(0, points.Count).ToArray();
        return MeanSilhouettes(data, dimensions, rows, [dense], [k], maxDegreeOfParallelism: null)[0];
    }

    /// <summary>Calinski-Harabasz variance ratio of a labelled point set; <see cref="double.MaxValue"/> when the within-cluster spread is zero.</summary>
    /// <param name="points">Points, all of one dimension.</param>
    /// <param name="labels">One label per point, any integers; at least 2 and at most n - 1 distinct labels.</param>
    /// <exception cref="ArgumentException">Shapes disagree, values are not finite, or the label count is out of range.</exception>
    public static double CalinskiHarabasz(IReadOnlyList<double[]> points, IReadOnlyList<int> labels)
    {
        var (data, dimensions, dense, k) = Prepare(points, labels);
        return CalinskiHarabasz(data, dimensions, dense, k);
    }

    /// <summary>
    /// Mean silhouette of several labellings at once over the same sample rows: each distance is computed once
    /// and added to every labelling's per-cluster sums. Rows run in parallel; each row's value depends on that
    /// row alone and the mean is summed in row order, so the result does not depend on the thread count.
    /// </summary>
    /// <param name="data">Row-major points, <paramref name="dimensions"/> values per row.</param>
    /// <param name="dimensions">Values per row (0 allowed: every distance is 0).</param>
    /// <param name="rows">Indices of the rows to use (the sample); distances are only taken within it.</param>
    /// <param name="labelings">Per labelling, a dense label 0..k-1 for every row of <paramref name="data"/>.</param>
    /// <param name="clusterCounts">Per labelling, its k.</param>
    /// <param name="maxDegreeOfParallelism">Threads; null for every core.</param>
    internal static double[] MeanSilhouettes(
        double[] data, int dimensions, int[] rows, IReadOnlyList<int[]> labelings, IReadOnlyList<int> clusterCounts, int? maxDegreeOfParallelism)
    {
        var m = rows.Length;
        var c = labelings.Count;
        var offsets = new int[c + 1];
        for (var l = 0; l < c; l++)
        {
            offsets[l + 1] = offsets[l] + clusterCounts[l];
        }

        var width = offsets[c];
        var members = new int[width];
        for (var l = 0; l < c; l++)
        {
            foreach (var row in rows)
            {
                members[offsets[l] + labelings[l][row]]++;
            }
        }

        // Sample-local copies, one column after another, so distances to all rows build up a column at a time in SIMD.
        var columns = new double[m * dimensions];
        var sampleLabels = new int[m * c];
        for (var ii = 0; ii < m; ii++)
        {
            for (var t = 0; t < dimensions; t++)
            {
                columns[(t * m) + ii] = data[(rows[ii] * dimensions) + t];
            }

            for (var l = 0; l < c; l++)
            {
                sampleLabels[ii * c + l] = offsets[l] + labelings[l][rows[ii]];
            }
        }

        var scores = new double[c * m];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism ?? -1 };
        Parallel.For(0, m, parallel, () => (Sums: new double[width], Distances: new double[m]), (ii, _, scratch) =>
        {
            var (sums, distances) = scratch;
            Array.Clear(sums);
            Array.Clear(distances);
            for (var t = 0; t < dimensions; t++)
            {
                var column = columns.AsSpan(t * m, m);
                AddSquaredDifferences(column, column[ii], distances);
            }

            SquareRoots(distances);
            AddToClusterSums(distances, sampleLabels, c, sums);

            for (var l = 0; l < c; l++)
            {
                var own = sampleLabels[ii * c + l];
                var ownCount = members[own];
                if (ownCount <= 1)
                {
                    continue; // alone in its cluster: s = 0
                }

                var a = sums[own] / (ownCount - 1);
                var b = double.PositiveInfinity;
                for (var cluster = offsets[l]; cluster < offsets[l + 1]; cluster++)
                {
                    if (cluster != own && members[cluster] > 0)
                    {
                        b = Math.Min(b, sums[cluster] / members[cluster]);
                    }
                }

                var scale = Math.Max(a, b);
                if (double.IsFinite(b) && scale > 0)
                {
                    scores[l * m + ii] = (b - a) / scale;
                }
            }

            return scratch;
        }, _ => { });

        var means = new double[c];
        for (var l = 0; l < c; l++)
        {
            var total = 0.0;
            for (var ii = 0; ii < m; ii++)
            {
                total += scores[l * m + ii];
            }

            means[l] = m == 0 ? 0 : total / m;
        }

        return means;
    }

    /// <summary>distances[j] += (column[j] - value)^2, in SIMD lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddSquaredDifferences(ReadOnlySpan<double> column, double value, Span<double> distances)
    {
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var broadcast = new Vector<double>(value);
            for (; j <= column.Length - Vector<double>.Count; j += Vector<double>.Count)
            {
                var diff = new Vector<double>(column[j..]) - broadcast;
                (new Vector<double>(distances[j..]) + (diff * diff)).CopyTo(distances[j..]);
            }
        }

        for (; j < column.Length; j++)
        {
            var diff = column[j] - value;
            distances[j] += diff * diff;
        }
    }

    /// <summary>For every row j and labelling l: sums[label of j under l] += distances[j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddToClusterSums(ReadOnlySpan<double> distances, ReadOnlySpan<int> labels, int labelings, Span<double> sums)
    {
        for (var j = 0; j < distances.Length; j++)
        {
            var distance = distances[j];
            foreach (var label in labels.Slice(j * labelings, labelings))
            {
                sums[label] += distance;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SquareRoots(Span<double> values)
    {
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= values.Length - Vector<double>.Count; j += Vector<double>.Count)
            {
                Vector.SquareRoot(new Vector<double>(values[j..])).CopyTo(values[j..]);
            }
        }

        for (; j < values.Length; j++)
        {
            values[j] = Math.Sqrt(values[j]);
        }
    }

    /// <summary>Calinski-Harabasz over row-major points with dense labels 0..k-1 (k at least 2, below the row count).</summary>
    internal static double CalinskiHarabasz(double[] data, int dimensions, int[] labels, int k)
    {
        var n = labels.Length;
        var mean = new double[dimensions];
        var centroids = new double[k * dimensions];
        var sizes = new int[k];
        for (var i = 0; i < n; i++)
        {
            sizes[labels[i]]++;
            for (var t = 0; t < dimensions; t++)
            {
                var value = data[(long)i * dimensions + t];
                mean[t] += value;
                centroids[labels[i] * dimensions + t] += value;
            }
        }

        for (var t = 0; t < dimensions; t++)
        {
            mean[t] /= n;
        }

        for (var cluster = 0; cluster < k; cluster++)
        {
            for (var t = 0; t < dimensions; t++)
            {
                centroids[cluster * dimensions + t] /= Math.Max(1, sizes[cluster]);
            }
        }

        var between = 0.0;
        for (var cluster = 0; cluster < k; cluster++)
        {
            for (var t = 0; t < dimensions; t++)
            {
                var diff = centroids[cluster * dimensions + t] - mean[t];
                between += sizes[cluster] * diff * diff;
            }
        }

        var within = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var t = 0; t < dimensions; t++)
            {
                var diff = data[(long)i * dimensions + t] - centroids[labels[i] * dimensions + t];
                within += diff * diff;
            }
        }

        return within == 0 ? double.MaxValue : between * (n - k) / (within * (k - 1));
    }

    private static (double[] Data, int Dimensions, int[] Dense, int K) Prepare(IReadOnlyList<double[]> points, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(labels);
        if (points.Count != labels.Count)
        {
            throw new ArgumentException($"{points.Count} points but {labels.Count} labels.", nameof(labels));
        }

        if (points.Count == 0)
        {
            throw new ArgumentException("No points.", nameof(points));
        }

        var dimensions = points[0]?.Length ?? 0;
        var data = new double[points.Count * dimensions];
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (point is null || point.Length != dimensions)
            {
                throw new ArgumentException($"Point {i} does not have {dimensions} values like the first.", nameof(points));
            }

            foreach (var value in point)
            {
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException($"Point {i} has a value that is not a finite number.", nameof(points));
                }
            }

            point.CopyTo(data, i * dimensions);
        }

        var map = new Dictionary<int, int>();
        var dense = new int[labels.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            if (!map.TryGetValue(labels[i], out var id))
            {
                id = map.Count;
                map.Add(labels[i], id);
            }

            dense[i] = id;
        }

        if (map.Count < 2 || map.Count > points.Count - 1)
        {
            throw new ArgumentException(
                $"The index needs between 2 and n - 1 = {points.Count - 1} distinct labels; there are {map.Count}.", nameof(labels));
        }

        return (data, dimensions, dense, map.Count);
    }
}
