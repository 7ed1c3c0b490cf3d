using PromoPilot.Features.Segments;

namespace PromoPilot.Features.Tests.Segments;

/// <summary>Seeded synthetic tables with known labels, and the adjusted Rand index to compare partitions.</summary>
internal static class SegmentTestData
{
    /// <summary>
    /// Gaussian blobs: <paramref name="k"/> centers drawn uniformly in [-<paramref name="spread"/>, <paramref name="spread"/>]^d
    /// (redrawn until every pair is at least <paramref name="minCenterDistance"/> apart), <paramref name="perBlob"/> points
    /// each with unit standard deviation per coordinate. Rows are shuffled; labels give each row's blob.
    /// <paramref name="equidistant"/> puts the centers on a regular simplex instead (center c on axis c, every pair exactly
    /// <paramref name="minCenterDistance"/> apart; needs <paramref name="dimensions"/> &gt;= <paramref name="k"/>), so that no
    /// grouping of blobs is more natural than the blobs themselves.
    /// </summary>
    public static (FeatureTable Table, int[] Labels) Blobs(
        int k, int perBlob, int dimensions, int seed, double spread = 10, double minCenterDistance = 8, bool equidistant = false)
    {
        var random = new Random(seed);
        var centers = new List<double[]>();
        if (equidistant)
        {
            Assert.True(dimensions >= k);
            centers.AddRange(Enumerable.Range(0, k).Select(c =>
                Enumerable.Range(0, dimensions).Select(j => j == c ? minCenterDistance / Math.Sqrt(2) : 0).ToArray()));
        }

        for (var attempt = 0; centers.Count < k; attempt++)
        {
            Assert.True(attempt < 100_000, "cannot place the blob centers that far apart");
            var center = Enumerable.Range(0, dimensions).Select(_ => (random.NextDouble() * 2 - 1) * spread).ToArray();
            if (centers.All(other => Distance(other, center) >= minCenterDistance))
            {
                centers.Add(center);
            }
        }

        var rows = new List<(double[] Values, int Label)>();
        for (var c = 0; c < k; c++)
        {
            for (var p = 0; p < perBlob; p++)
            {
                rows.Add((centers[c].Select(mu => mu + Gaussian(random)).ToArray(), c));
            }
        }

        var order = Enumerable.Range(0, rows.Count).OrderBy(_ => random.Next()).ToArray();
        var names = Enumerable.Range(0, dimensions).Select(j => $"f{j}").ToArray();
        var featureRows = order.Select((r, i) => new FeatureRow(1000 + i, rows[r].Values, Revenue: 1 + rows[r].Label, Clv: 2)).ToArray();
        return (new FeatureTable(names, featureRows), [.. order.Select(r => rows[r].Label)]);
    }

    public static double Gaussian(Random random)
    {
        // Box-Muller.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static int[] Labels(SegmentationResult result) => [.. result.Customers.Select(c => c.SegmentId)];

    /// <summary>
    /// Adjusted Rand index (L. Hubert and P. Arabie, "Comparing partitions", J. Classification 2, 1985) from the
    /// contingency table: (sum_ij C(n_ij, 2) - E) / (0.5 (sum_i C(a_i, 2) + sum_j C(b_j, 2)) - E),
    /// E = sum_i C(a_i, 2) sum_j C(b_j, 2) / C(n, 2). 1 for identical partitions up to relabeling.
    /// </summary>
    public static double AdjustedRandIndex(IReadOnlyList<int> first, IReadOnlyList<int> second)
    {
        Assert.Equal(first.Count, second.Count);
        static double Pairs(long count) => count * (count - 1) / 2.0;
        var cells = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var columns = new Dictionary<int, long>();
        for (var i = 0; i < first.Count; i++)
        {
            cells[(first[i], second[i])] = cells.GetValueOrDefault((first[i], second[i])) + 1;
            rows[first[i]] = rows.GetValueOrDefault(first[i]) + 1;
            columns[second[i]] = columns.GetValueOrDefault(second[i]) + 1;
        }

        var index = cells.Values.Sum(Pairs);
        var rowPairs = rows.Values.Sum(Pairs);
        var columnPairs = columns.Values.Sum(Pairs);
        var expected = rowPairs * columnPairs / Pairs(first.Count);
        var maximum = (rowPairs + columnPairs) / 2;
        return maximum == expected ? 1.0 : (index - expected) / (maximum - expected);
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());
}
