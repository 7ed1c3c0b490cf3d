using PromoPilot.Features.Segments;
using Xunit.Abstractions;

namespace PromoPilot.Features.Tests.Segments;

public class SegmenterTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fit_FixedKOnGaussianBlobs_RecoversKnownLabels(int seed)
    {
        var (table, truth) = SegmentTestData.Blobs(k: 4, perBlob: 150, dimensions: 5, seed: seed, minCenterDistance: 6);

        var result = Segmenter.Fit(table, new SegmentationOptions { FixedK = 4, Seed = seed });

        var ari = SegmentTestData.AdjustedRandIndex(truth, SegmentTestData.Labels(result));
        output.WriteLine($"seed {seed}: ARI {ari:F4}");
        Assert.True(ari >= 0.95, $"ARI {ari}");
        Assert.True(result.KWasFixed);
        Assert.Equal(4, result.K);
    }

    [Theory]
    [InlineData(3, KSelectionCriterion.Silhouette)]
    [InlineData(4, KSelectionCriterion.Silhouette)]
    [InlineData(6, KSelectionCriterion.Silhouette)]
    [InlineData(8, KSelectionCriterion.Silhouette)]
    [InlineData(3, KSelectionCriterion.CalinskiHarabasz)]
    [InlineData(4, KSelectionCriterion.CalinskiHarabasz)]
    [InlineData(6, KSelectionCriterion.CalinskiHarabasz)]
    public void Fit_AutoKOnWellSeparatedBlobs_PicksTrueK(int k, KSelectionCriterion criterion)
    {
        var (table, truth) = SegmentTestData.Blobs(k, perBlob: 120, dimensions: k, seed: 10 + k, minCenterDistance: 10, equidistant: true);

        var result = Segmenter.Fit(table, new SegmentationOptions { Criterion = criterion });

        output.WriteLine(string.Join(", ", result.Scores.Select(s => $"k={s.K}: {s.Score:F4}")));
        Assert.Equal(k, result.K);
        Assert.False(result.KWasFixed);
        Assert.Equal(Enumerable.Range(2, 7), result.Scores.Select(s => s.K));
        Assert.Equal(result.Scores.Max(s => s.Score), result.Scores.Single(s => s.K == k).Score);
        Assert.Equal(criterion == KSelectionCriterion.Silhouette ? "silhouette" : "calinski-harabasz", result.Criterion);
        Assert.True(SegmentTestData.AdjustedRandIndex(truth, SegmentTestData.Labels(result)) >= 0.95);
    }

    [Fact]
    public void Fit_SilhouetteScores_EqualTheIndexOfEachCandidatePartition()
    {
        var (table, _) = SegmentTestData.Blobs(k: 3, perBlob: 40, dimensions: 3, seed: 5);
        var options = new SegmentationOptions { KMax = 4, LogTransform = LogTransformMode.None };

        var auto = Segmenter.Fit(table, options);
        var fixedFour = Segmenter.Fit(table, options with { FixedK = 4 });

        // The fixed-k run reproduces the auto run's k = 4 candidate, so its score is the same number.
        Assert.Equal(auto.Scores.Single(s => s.K == 4).Score, fixedFour.Scores.Single().Score, 12);
        var zPoints = StandardizedPoints(table);
        Assert.Equal(ClusterQuality.Silhouette(zPoints, SegmentTestData.Labels(fixedFour)), fixedFour.Scores.Single().Score, 12);
    }

    [Fact]
    public void Fit_SameSeed_IdenticalResult()
    {
        var (table, _) = SegmentTestData.Blobs(k: 5, perBlob: 80, dimensions: 6, seed: 21, minCenterDistance: 3);
        var options = new SegmentationOptions { Seed = 99 };

        var first = Segmenter.Fit(table, options);
        var second = Segmenter.Fit(table, options);

        Assert.Equal(first.Customers, second.Customers);
        Assert.Equal(first.Scores, second.Scores);
        Assert.Equal(first.WithinSumOfSquares, second.WithinSumOfSquares);
    }

    [Fact]
    public void Fit_ThreadCount_DoesNotChangeResult()
    {
        var (table, _) = SegmentTestData.Blobs(k: 5, perBlob: 60, dimensions: 4, seed: 23, minCenterDistance: 4);

        var single = Segmenter.Fit(table, new SegmentationOptions { MaxDegreeOfParallelism = 1 });
        var many = Segmenter.Fit(table, new SegmentationOptions { MaxDegreeOfParallelism = 4 });

        Assert.Equal(single.Customers, many.Customers);
        Assert.Equal(single.Scores, many.Scores);
    }

    [Fact]
    public void Fit_TableLargerThanFitSample_FitsOnSampleAndAssignsEveryone()
    {
        var (table, truth) = SegmentTestData.Blobs(k: 4, perBlob: 150, dimensions: 5, seed: 6);

        var result = Segmenter.Fit(table, new SegmentationOptions { FitSampleSize = 120 });

        var ari = SegmentTestData.AdjustedRandIndex(truth, SegmentTestData.Labels(result));
        output.WriteLine($"ARI {ari:F4}");
        Assert.Equal(4, result.K);
        Assert.True(ari >= 0.95, $"ARI {ari}");
        Assert.Equal(600, result.Customers.Count);
        Assert.Contains(result.Notes, note => note.Contains("seeded sample of 120 of the 600 customers", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_DifferentSeedOnWellSeparatedData_SamePartitionUpToRelabeling()
    {
        var (table, _) = SegmentTestData.Blobs(k: 4, perBlob: 100, dimensions: 5, seed: 8);

        var first = Segmenter.Fit(table, new SegmentationOptions { Seed = 1 });
        var second = Segmenter.Fit(table, new SegmentationOptions { Seed = 2024 });

        Assert.Equal(first.K, second.K);
        Assert.Equal(1.0, SegmentTestData.AdjustedRandIndex(SegmentTestData.Labels(first), SegmentTestData.Labels(second)), 12);
    }

    [Fact]
    public void Fit_PointsOnPlaneIn5D_TwoComponentsExplainAlmostAllVariance()
    {
        var random = new Random(3);
        double[] u = [1, 2, 0, -1, 0.5];
        double[] v = [0, 1, -1, 2, 1];
        var rows = Enumerable.Range(0, 400).Select(i =>
        {
            var a = SegmentTestData.Gaussian(random) * 3;
            var b = SegmentTestData.Gaussian(random);
            var values = u.Zip(v, (ui, vi) => (a * ui) + (b * vi) + (0.01 * SegmentTestData.Gaussian(random))).ToArray();
            return new FeatureRow(i, values);
        }).ToArray();
        var table = new FeatureTable(["a", "b", "c", "d", "e"], rows);

        var result = Segmenter.Fit(table, new SegmentationOptions { FixedK = 3, LogTransform = LogTransformMode.None });

        output.WriteLine($"explained {result.ExplainedVariance[0]:F5} + {result.ExplainedVariance[1]:F5}");
        Assert.True(result.ExplainedVariance.Sum() > 0.99, $"explained {result.ExplainedVariance.Sum()}");
        Assert.True(result.ExplainedVariance[0] >= result.ExplainedVariance[1]);
        Assert.True(result.ExplainedVariance[1] > 0.01);
    }

    [Fact]
    public void Fit_PcaCoordinates_PreservePairwiseDistancesOfPlanarData()
    {
        // Data exactly on a plane: the 2-D projection is an isometry of the standardized points.
        var random = new Random(4);
        var rows = Enumerable.Range(0, 60).Select(i =>
        {
            var a = SegmentTestData.Gaussian(random);
            var b = SegmentTestData.Gaussian(random);
            return new FeatureRow(i, [a, b, a + b, a - (2 * b)]);
        }).ToArray();
        var table = new FeatureTable(["a", "b", "c", "d"], rows);

        var result = Segmenter.Fit(table, new SegmentationOptions { FixedK = 2, LogTransform = LogTransformMode.None });

        var z = StandardizedPoints(table);
        for (var i = 0; i < 20; i++)
        {
            var j = 59 - i;
            var expected = Math.Sqrt(z[i].Zip(z[j], (p, q) => (p - q) * (p - q)).Sum());
            var (ci, cj) = (result.Customers[i], result.Customers[j]);
            var actual = Math.Sqrt(Math.Pow(ci.X - cj.X, 2) + Math.Pow(ci.Y - cj.Y, 2));
            Assert.Equal(expected, actual, 1e-4);
        }
    }

    [Fact]
    public void Fit_SegmentSummaries_AddUpAndUseOriginalUnits()
    {
        var (table, _) = SegmentTestData.Blobs(k: 3, perBlob: 50, dimensions: 3, seed: 12);

        var result = Segmenter.Fit(table, new SegmentationOptions { FixedK = 3 });

        Assert.Equal(table.Rows.Count, result.Segments.Sum(s => s.Size));
        Assert.Equal(1.0, result.Segments.Sum(s => s.CustomerShare), 12);
        Assert.Equal(1.0, result.Segments.Sum(s => s.RevenueShare!.Value), 12);
        Assert.Equal(1.0, result.Segments.Sum(s => s.ClvShare!.Value), 12);
        Assert.Equal([1, 2, 3], result.Segments.Select(s => s.Id));
        Assert.True(result.Segments[0].Size >= result.Segments[1].Size && result.Segments[1].Size >= result.Segments[2].Size);
        Assert.Equal(result.Segments.Count, result.Segments.Select(s => s.Name).Distinct().Count());
        foreach (var segment in result.Segments)
        {
            var members = table.Rows.Where((_, i) => result.Customers[i].SegmentId == segment.Id).ToArray();
            Assert.Equal(members.Length, segment.Size);
            for (var t = 0; t < 3; t++)
            {
                Assert.Equal(members.Average(m => m.Values[t]), segment.FeatureMeans[t], 9);
            }

            Assert.Equal(members.Sum(m => m.Revenue) / table.Rows.Sum(m => m.Revenue), segment.RevenueShare!.Value, 12);
            for (var t = 0; t < 3; t++)
            {
                Assert.Equal(segment.ZMeans[t], segment.Centroid[t], 1e-3);
            }
        }

        Assert.Equal(table.Rows.Select(r => r.UserKey), result.Customers.Select(c => c.UserKey));
    }

    [Fact]
    public void Fit_RfmLikeProfiles_NamesSegmentsFromTheirProfile()
    {
        // Three planted groups: frequent big spenders who bought lately, lapsed one-timers, and new customers.
        var random = new Random(17);
        var rows = new List<FeatureRow>();
        void Add(int count, double recency, double frequency, double monetary, double tenure)
        {
            for (var i = 0; i < count; i++)
            {
                var jitter = 1 + (0.05 * SegmentTestData.Gaussian(random));
                rows.Add(new FeatureRow(rows.Count, [recency * jitter, frequency * jitter, monetary * jitter, tenure * jitter], Revenue: monetary * jitter));
            }
        }

        Add(60, recency: 10, frequency: 20, monetary: 3000, tenure: 700);
        Add(100, recency: 300, frequency: 1, monetary: 40, tenure: 500);
        Add(80, recency: 15, frequency: 1, monetary: 50, tenure: 20);
        var table = new FeatureTable(["recency_days", "frequency", "monetary", "tenure_days"], rows);

        var result = Segmenter.Fit(table);

        Assert.Equal(3, result.K);
        Assert.Equal(["lapsed", "new", "high-value loyal"], result.Segments.Select(s => s.Name));
        Assert.Equal([100, 80, 60], result.Segments.Select(s => s.Size));
        Assert.True(result.Segments[2].RevenueShare > 0.9);
        Assert.Null(result.Segments[0].ClvShare);
    }

    [Fact]
    public void Fit_SkewedMoneyFeature_IsLogTransformedByDefault()
    {
        var random = new Random(2);
        var rows = Enumerable.Range(0, 300)
            .Select(i => new FeatureRow(i, [Math.Exp(2 + (1.5 * SegmentTestData.Gaussian(random))), SegmentTestData.Gaussian(random)]))
            .ToArray();
        var table = new FeatureTable(["monetary", "score"], rows);

        var withLog = Segmenter.Fit(table, new SegmentationOptions { FixedK = 2 });
        var without = Segmenter.Fit(table, new SegmentationOptions { FixedK = 2, LogTransform = LogTransformMode.None });

        Assert.Equal(["monetary"], withLog.LogTransformedFeatures);
        Assert.Empty(without.LogTransformedFeatures);
        Assert.Contains(withLog.Notes, note => note.Contains("log1p", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_MissingValues_ImputedWithMedianAndNoted()
    {
        var (blobs, truth) = SegmentTestData.Blobs(k: 3, perBlob: 60, dimensions: 3, seed: 31);
        var rows = blobs.Rows.Select((r, i) => i % 10 == 0 ? r with { Values = [double.NaN, r.Values[1], r.Values[2]] } : r).ToArray();
        var table = blobs with { Rows = rows };
        var observed = rows.Select(r => r.Values[0]).Where(v => !double.IsNaN(v)).Order().ToArray();
        var median = (observed[(observed.Length / 2) - 1] + observed[observed.Length / 2]) / 2;

        var result = Segmenter.Fit(table, new SegmentationOptions { FixedK = 3 });

        Assert.Contains(result.Notes, note => note.Contains("'f0': 18 missing", StringComparison.Ordinal));
        var imputedMean = rows.Where((_, i) => result.Customers[i].SegmentId == 1).Average(r => double.IsNaN(r.Values[0]) ? median : r.Values[0]);
        Assert.Equal(imputedMean, result.Segments[0].FeatureMeans[0], 9);
        Assert.True(SegmentTestData.AdjustedRandIndex(truth, SegmentTestData.Labels(result)) >= 0.8);
        Assert.All(result.Segments, s => Assert.All(s.ZMeans, z => Assert.True(double.IsFinite(z))));
    }

    [Fact]
    public void Fit_ConstantColumn_DroppedWithNoteAndClusteringUnchanged()
    {
        var (blobs, _) = SegmentTestData.Blobs(k: 3, perBlob: 50, dimensions: 2, seed: 41);
        var widened = blobs with
        {
            FeatureNames = [.. blobs.FeatureNames, "constant", "empty"],
            Rows = [.. blobs.Rows.Select(r => r with { Values = [.. r.Values, 7.0, double.NaN] })],
        };

        var plain = Segmenter.Fit(blobs);
        var result = Segmenter.Fit(widened);

        Assert.Equal(["f0", "f1"], result.FeatureNames);
        Assert.Equal(["constant", "empty"], result.DroppedFeatures.Select(f => f.Name));
        Assert.Contains(result.Notes, note => note.Contains("'constant' left out: constant (7)", StringComparison.Ordinal));
        Assert.Contains(result.Notes, note => note.Contains("'empty' left out: missing for every customer", StringComparison.Ordinal));
        Assert.Equal(SegmentTestData.Labels(plain), SegmentTestData.Labels(result));
    }

    [Fact]
    public void Fit_OneCustomer_OneSegmentAtOrigin()
    {
        var table = new FeatureTable(["recency_days", "frequency"], [new FeatureRow(5, [3, 4], Revenue: 10, Clv: 20)]);

        var result = Segmenter.Fit(table);

        Assert.Equal(1, result.K);
        Assert.Empty(result.Scores);
        var segment = Assert.Single(result.Segments);
        Assert.Equal(1, segment.Size);
        Assert.Equal(1.0, segment.RevenueShare);
        Assert.Equal(new SegmentAssignment(5, 1, 0, 0), Assert.Single(result.Customers));
        Assert.Equal([0.0, 0.0], result.ExplainedVariance);
        Assert.Contains(result.Notes, note => note.Contains("one segment", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_AllIdenticalRows_OneSegmentWithNote()
    {
        var rows = Enumerable.Range(0, 20).Select(i => new FeatureRow(i, [1.5, 2.0, 0.0])).ToArray();
        var table = new FeatureTable(["a", "b", "c"], rows);

        var result = Segmenter.Fit(table);

        Assert.Equal(1, result.K);
        Assert.Equal(20, result.Segments.Single().Size);
        Assert.Empty(result.FeatureNames);
        Assert.Equal(3, result.DroppedFeatures.Count);
        Assert.Equal("average", result.Segments.Single().Name);
        Assert.Equal(0, result.WithinSumOfSquares);
        Assert.Contains(result.Notes, note => note.Contains("No feature varies", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_FewDistinctProfiles_AutoKCappedAtDistinctCount()
    {
        double[][] profiles = [[0, 0], [10, 0], [0, 10]];
        var rows = Enumerable.Range(0, 30).Select(i => new FeatureRow(i, profiles[i % 3])).ToArray();
        var table = new FeatureTable(["a", "b"], rows);

        var result = Segmenter.Fit(table, new SegmentationOptions { LogTransform = LogTransformMode.None });

        Assert.Equal(3, result.K);
        Assert.Equal([2, 3], result.Scores.Select(s => s.K));
        Assert.Equal(1.0, result.Scores.Single(s => s.K == 3).Score, 12);
        Assert.Equal(1.0, SegmentTestData.AdjustedRandIndex([.. rows.Select(r => r.UserKey % 3)], SegmentTestData.Labels(result)), 12);
        Assert.Contains(result.Notes, note => note.Contains("k tried up to 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_FixedKAboveCustomerCount_ThrowsArgumentException()
    {
        var table = new FeatureTable(["a"], [new FeatureRow(1, [1]), new FeatureRow(2, [2]), new FeatureRow(3, [3])]);

        var error = Assert.Throws<ArgumentException>(() => Segmenter.Fit(table, new SegmentationOptions { FixedK = 4 }));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("exceeds the number of customers (3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_FixedKAboveDistinctProfiles_ThrowsArgumentException()
    {
        var table = new FeatureTable(["a"], [.. Enumerable.Range(0, 6).Select(i => new FeatureRow(i, [i % 2]))]);

        var error = Assert.Throws<ArgumentException>(() => Segmenter.Fit(table, new SegmentationOptions { FixedK = 3 }));

        Assert.Contains("distinct customer profiles (2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_TwoCustomers_OneSegmentBecauseNoKIsScorable()
    {
        var table = new FeatureTable(["a"], [new FeatureRow(1, [1]), new FeatureRow(2, [5])]);

        var auto = Segmenter.Fit(table);
        var fixedTwo = Segmenter.Fit(table, new SegmentationOptions { FixedK = 2 });

        Assert.Equal(1, auto.K);
        Assert.Equal(2, fixedTwo.K);
        Assert.Empty(fixedTwo.Scores);
        Assert.Equal([1, 2], fixedTwo.Customers.Select(c => c.SegmentId).Order());
        Assert.Equal([1.0, 0.0], fixedTwo.ExplainedVariance);
    }

    [Theory]
    [MemberData(nameof(MalformedTables))]
    public void Fit_MalformedTable_ThrowsArgumentExceptionNamingTable(FeatureTable table, string messagePart)
    {
        var error = Assert.Throws<ArgumentException>(() => Segmenter.Fit(table));

        Assert.Equal("table", error.ParamName);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<FeatureTable, string> MalformedTables() => new()
    {
        { new FeatureTable(["a"], []), "no customers" },
        { new FeatureTable([], [new FeatureRow(1, [])]), "no features" },
        { new FeatureTable(["a", "a"], [new FeatureRow(1, [1, 2])]), "'a' appears twice" },
        { new FeatureTable(["a", "b"], [new FeatureRow(1, [1])]), "has 1 values; the table has 2" },
        { new FeatureTable(["a"], [new FeatureRow(1, [1]), new FeatureRow(1, [2])]), "User key 1 appears in more than one row" },
        { new FeatureTable(["a"], [new FeatureRow(1, [double.PositiveInfinity])]), "infinite value for 'a'" },
        { new FeatureTable(["a"], [new FeatureRow(1, [1], Revenue: double.NaN)]), "revenue or CLV" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Fit_InvalidOptions_ThrowsArgumentExceptionNamingOptions(SegmentationOptions options, string messagePart)
    {
        var (table, _) = SegmentTestData.Blobs(k: 2, perBlob: 5, dimensions: 2, seed: 1);

        var error = Assert.Throws<ArgumentException>(() => Segmenter.Fit(table, options));

        Assert.Equal("options", error.ParamName);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<SegmentationOptions, string> BadOptions() => new()
    {
        { new SegmentationOptions { KMin = 1 }, "KMin" },
        { new SegmentationOptions { KMin = 5, KMax = 4 }, "KMax (4)" },
        { new SegmentationOptions { FixedK = 0 }, "FixedK" },
        { new SegmentationOptions { CriterionSampleSize = 1 }, "CriterionSampleSize" },
        { new SegmentationOptions { Restarts = 0 }, "Restarts" },
        { new SegmentationOptions { NameThreshold = 0 }, "NameThreshold" },
        { new SegmentationOptions { SkewnessThreshold = double.NaN }, "SkewnessThreshold" },
        { new SegmentationOptions { FitSampleSize = 5 }, "FitSampleSize" },
        { new SegmentationOptions { MaxDegreeOfParallelism = 0 }, "MaxDegreeOfParallelism" },
    };

    /// <summary>The table z-scored as the segmenter does (no missing values, no log transform applies to these tables).</summary>
    private static double[][] StandardizedPoints(FeatureTable table)
    {
        var d = table.FeatureNames.Count;
        var n = table.Rows.Count;
        var means = Enumerable.Range(0, d).Select(t => table.Rows.Average(r => r.Values[t])).ToArray();
        var deviations = Enumerable.Range(0, d)
            .Select(t => Math.Sqrt(table.Rows.Sum(r => Math.Pow(r.Values[t] - means[t], 2)) / n))
            .ToArray();
        return [.. table.Rows.Select(r => Enumerable.Range(0, d).Select(t => (r.Values[t] - means[t]) / deviations[t]).ToArray())];
    }
}
