using PromoPilot.Features.Segments;

namespace PromoPilot.Features.Tests.Segments;

public class ClusterQualityTests
{
    // Reference values from scikit-learn 1.2.1: tests/PromoPilot.Features.Tests/Segments/reference_kmeans.py
    // (run with /usr/bin/python3 after `apt-get install -y python3-sklearn`).
    private const double SklearnSilhouetteA = 0.2728295401669787;
    private const double SklearnSilhouetteB = -0.13897165050963065;
    private const double SklearnCalinskiHarabaszA = 43.0255676603034;
    private const double SklearnCalinskiHarabaszB = 0.39208437734517004;
    private const double SklearnAriAB = -0.07450430602843981;
    private const double SklearnAriAC = 0.5551654038070597;

    [Fact]
    public void Silhouette_ReferenceDataset_MatchesScikitLearn()
    {
        var (points, a, b, _) = ReferenceDataset();

        Assert.Equal(SklearnSilhouetteA, ClusterQuality.Silhouette(points, a), 1e-6);
        Assert.Equal(SklearnSilhouetteB, ClusterQuality.Silhouette(points, b), 1e-6);
    }

    [Fact]
    public void CalinskiHarabasz_ReferenceDataset_MatchesScikitLearn()
    {
        var (points, a, b, _) = ReferenceDataset();

        Assert.Equal(SklearnCalinskiHarabaszA, ClusterQuality.CalinskiHarabasz(points, a), 1e-6);
        Assert.Equal(SklearnCalinskiHarabaszB, ClusterQuality.CalinskiHarabasz(points, b), 1e-6);
    }

    [Fact]
    public void AdjustedRandIndex_ReferenceLabelings_MatchesScikitLearn()
    {
        var (_, a, b, c) = ReferenceDataset();

        Assert.Equal(SklearnAriAB, SegmentTestData.AdjustedRandIndex(a, b), 1e-9);
        Assert.Equal(SklearnAriAC, SegmentTestData.AdjustedRandIndex(a, c), 1e-9);
        Assert.Equal(1.0, SegmentTestData.AdjustedRandIndex(a, [.. a.Select(label => 5 - label)]), 12);
    }

    [Fact]
    public void MeanSilhouettes_ManyRandomLabelings_EqualsBruteForceDefinition()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 40; trial++)
        {
            var n = random.Next(3, 40);
            var d = random.Next(1, 5);
            var data = Enumerable.Range(0, n * d).Select(_ => Math.Round(random.NextDouble() * 4, 1)).ToArray();
            var ks = new[] { 2, Math.Min(n - 1, random.Next(2, 6)) };
            var labelings = ks.Select(k => Enumerable.Range(0, n).Select(i => i < k ? i : random.Next(k)).ToArray()).ToArray();
            var rows = Enumerable.Range(0, n).Where(_ => random.NextDouble() < 0.8).ToArray();
            if (rows.Length < 2)
            {
                rows = [0, 1];
            }

            var fast = ClusterQuality.MeanSilhouettes(data, d, rows, labelings, ks, maxDegreeOfParallelism: 1 + (trial % 3));

            for (var l = 0; l < ks.Length; l++)
            {
                Assert.Equal(BruteForceSilhouette(data, d, rows, labelings[l]), fast[l], 12);
            }
        }
    }

    [Fact]
    public void Silhouette_OneLabel_ThrowsArgumentException()
    {
        var points = new[] { new[] { 0.0 }, [1.0], [2.0] };

        var error = Assert.Throws<ArgumentException>(() => ClusterQuality.Silhouette(points, [1, 1, 1]));
        Assert.Equal("labels", error.ParamName);
    }

    [Fact]
    public void CalinskiHarabasz_PerfectClusters_IsMaxValueNotNaN()
    {
        var points = new[] { new[] { 0.0 }, [0.0], [5.0], [5.0] };

        Assert.Equal(double.MaxValue, ClusterQuality.CalinskiHarabasz(points, [0, 0, 1, 1]));
    }

    /// <summary>Rousseeuw's definition taken literally, over the given sample rows only.</summary>
    private static double BruteForceSilhouette(double[] data, int d, int[] rows, int[] labels)
    {
        double Distance(int i, int j) => Math.Sqrt(Enumerable.Range(0, d).Sum(t => Math.Pow(data[i * d + t] - data[j * d + t], 2)));
        var total = 0.0;
        foreach (var i in rows)
        {
            var own = rows.Where(j => j != i && labels[j] == labels[i]).ToArray();
            if (own.Length == 0)
            {
                continue;
            }

            var a = own.Average(j => Distance(i, j));
            var others = rows.Where(j => labels[j] != labels[i]).GroupBy(j => labels[j]).ToArray();
            if (others.Length == 0)
            {
                continue;
            }

            var b = others.Min(group => group.Average(j => Distance(i, j)));
            total += Math.Max(a, b) == 0 ? 0 : (b - a) / Math.Max(a, b);
        }

        return total / rows.Length;
    }

    private static (double[][] Points, int[] A, int[] B, int[] C) ReferenceDataset()
    {
        const int n = 30;
        const int d = 3;
        var points = Enumerable.Range(0, n)
            .Select(i => Enumerable.Range(0, d).Select(j => (i % 3 * 1.5) + Math.Sin((1.3 * i) + (0.7 * j))).ToArray())
            .ToArray();
        var a = Enumerable.Range(0, n).Select(i => i % 3).ToArray();
        var b = Enumerable.Range(0, n).Select(i => 7 * i % 4).ToArray();
        var c = Enumerable.Range(0, n).Select(i => i < 5 ? (a[i] + 1) % 3 : a[i]).ToArray();
        return (points, a, b, c);
    }
}
