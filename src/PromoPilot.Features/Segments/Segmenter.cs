using System.Globalization;

namespace PromoPilot.Features.Segments;

/// <summary>
/// Customer segmentation: k-means (ML.NET's <c>KMeansTrainer</c>: Lloyd's algorithm seeded by k-means||,
/// B. Bahmani et al., "Scalable k-means++", VLDB 2012, a parallel form of D. Arthur and S. Vassilvitskii's k-means++,
/// SODA 2007, and accelerated as in Y. Ding et al., "Yinyang K-Means", ICML 2015) on standardized
/// profile features, k chosen by the mean silhouette (default) or Calinski-Harabasz, PCA to two dimensions for display,
/// and segments named from their profile (<see cref="SegmentNamer"/>).
/// <para>Steps:</para>
/// <list type="number">
/// <item>Missing values (NaN) are imputed with the column median; a column missing everywhere is dropped.</item>
/// <item>Non-negative columns with skewness above <see cref="SegmentationOptions.SkewnessThreshold"/> are log1p-transformed
/// (<see cref="SegmentationOptions.LogTransform"/>).</item>
/// <item>Columns are z-scored (population standard deviation); constant columns are dropped with a note.</item>
/// <item>k: <see cref="SegmentationOptions.FixedK"/>, or every k in KMin..KMax (capped at the customers less one and the distinct
/// profiles) is fitted and scored by <see cref="SegmentationOptions.Criterion"/>; the best score wins, ties to the smaller k.
/// The silhouette is computed on a seeded sample of <see cref="SegmentationOptions.CriterionSampleSize"/> customers,
/// Calinski-Harabasz on all. When no k of the range is possible (fewer than KMin + 1 customers or KMin distinct profiles)
/// the result is a single segment with a note.</item>
/// <item>Tables larger than <see cref="SegmentationOptions.FitSampleSize"/> fit k-means and PCA on a seeded sample; every
/// customer is then assigned to the nearest centroid and projected on the components.</item>
/// <item>Each k is the best of <see cref="SegmentationOptions.Restarts"/> seeded k-means runs (smallest within-segment sum of squares):
/// one run merges two true clusters (and splits another) in roughly a quarter to a third of runs on six well-separated
/// Gaussian blobs, which restarts make negligible.</item>
/// <item>Segments are numbered 1..k by size, largest first (ties: the segment of the earlier customer first).</item>
/// </list>
/// Deterministic: the same table and options give the same result whatever the thread count (every k-means run is
/// single-threaded with its own seed derived from <see cref="SegmentationOptions.Seed"/>; runs go in parallel but are
/// compared only once all are done).
/// </summary>
public static class Segmenter
{
    /// <summary>Segments the customers of <paramref name="table"/>.</summary>
    /// <param name="table">Features per customer (see <see cref="FeatureTable"/>).</param>
    /// <param name="options">Settings; <see cref="SegmentationOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The table is malformed, an option is out of range, or the fixed k exceeds the
    /// customers or their distinct profiles.</exception>
    public static SegmentationResult Fit(FeatureTable table, SegmentationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= SegmentationOptions.Default;
        options.Validate(nameof(options));
        table.Validate(nameof(table));

        var features = StandardizedFeatures.From(table, options);
        var notes = features.Notes;
        var n = features.Rows;
        var d = features.Dimensions;
        if (d == 0)
        {
            notes.Add("No feature varies across customers: every customer is in one segment.");
        }

        var fitRows = SampleRows(n, options.FitSampleSize, unchecked(options.Seed + 1));
        if (fitRows.Length < n)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"k-means and PCA fitted on a seeded sample of {fitRows.Length} of the {n} customers; every customer is assigned to its nearest centroid."));
        }

        var ml = new MlNetAdapters(features.Z, n, d, fitRows);
        var sample = SampleRows(n, options.CriterionSampleSize, options.Seed);
        var criterionName = options.Criterion == KSelectionCriterion.Silhouette ? "silhouette" : "calinski-harabasz";
        var criterionSample = options.Criterion == KSelectionCriterion.Silhouette ? sample.Length : n;

        Partition chosen;
        var scores = new List<KScore>();
        if (options.FixedK is { } fixedK)
        {
            if (fixedK > n)
            {
                throw new ArgumentException($"FixedK = {fixedK} exceeds the number of customers ({n}).", nameof(options));
            }

            var distinct = CountDistinct(features.Z, n, d, fixedK);
            if (fixedK > distinct)
            {
                throw new ArgumentException(
                    $"FixedK = {fixedK} exceeds the number of distinct customer profiles ({distinct}) after standardizing.", nameof(options));
            }

            chosen = ml.KMeans([fixedK], options.Restarts, options.MaxIterations, options.Seed, options.MaxDegreeOfParallelism)[0];
            if (chosen.K < fixedK)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"k = {fixedK} left {fixedK - chosen.K} segment(s) empty."));
            }

            if (chosen.K >= 2 && chosen.K <= n - 1)
            {
                scores.Add(new KScore(fixedK, Score(options.Criterion, features, sample, [chosen], options.MaxDegreeOfParallelism)[0], chosen.K));
            }
        }
        else
        {
            var kHigh = Math.Min(options.KMax, n - 1);
            kHigh = Math.Min(kHigh, CountDistinct(features.Z, n, d, kHigh));
            if (kHigh < options.KMin)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Too few customers ({n}) or distinct profiles to try k from {options.KMin}: one segment."));
                chosen = ml.KMeans([1], 1, options.MaxIterations, options.Seed, options.MaxDegreeOfParallelism)[0];
            }
            else
            {
                if (kHigh < options.KMax)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"k tried up to {kHigh} instead of {options.KMax}: limited by the customers less one and the distinct profiles."));
                }

                var candidates = ml.KMeans(
                    [.. Enumerable.Range(options.KMin, kHigh - options.KMin + 1)], options.Restarts, options.MaxIterations, options.Seed, options.MaxDegreeOfParallelism);

                var values = Score(options.Criterion, features, sample, candidates, options.MaxDegreeOfParallelism);
                var best = 0;
                for (var c = 0; c < candidates.Count; c++)
                {
                    var k = options.KMin + c;
                    scores.Add(new KScore(k, values[c], candidates[c].K));
                    if (candidates[c].K < k)
                    {
                        notes.Add(string.Create(CultureInfo.InvariantCulture, $"k = {k} left {k - candidates[c].K} segment(s) empty."));
                    }

                    if (values[c] > values[best])
                    {
                        best = c;
                    }
                }

                chosen = candidates[best];
            }
        }

        chosen = NumberBySize(chosen);
        var (x, y, explained) = ml.Project(options.Seed);
        var segments = Describe(table, features, chosen, options.NameThreshold, notes);
        var customers = new SegmentAssignment[n];
        for (var i = 0; i < n; i++)
        {
            customers[i] = new SegmentAssignment(table.Rows[i].UserKey, chosen.Labels[i] + 1, x[i], y[i]);
        }

        return new SegmentationResult(
            chosen.K,
            options.FixedK is not null,
            criterionName,
            criterionSample,
            scores,
            [.. features.Kept.Select(j => table.FeatureNames[j])],
            features.LogTransformed,
            features.Dropped,
            segments,
            customers,
            explained,
            chosen.WithinSumOfSquares,
            notes);
    }

    private static double[] Score(
        KSelectionCriterion criterion, StandardizedFeatures features, int[] sample, IReadOnlyList<Partition> partitions, int? maxDegreeOfParallelism)
    {
        if (criterion == KSelectionCriterion.Silhouette)
        {
            return ClusterQuality.MeanSilhouettes(
                features.Z, features.Dimensions, sample, [.. partitions.Select(p => p.Labels)], [.. partitions.Select(p => p.K)], maxDegreeOfParallelism);
        }

        return [.. partitions.Select(p => p.K >= 2 && p.K < features.Rows
            ? ClusterQuality.CalinskiHarabasz(features.Z, features.Dimensions, p.Labels, p.K)
            : 0)];
    }

    /// <summary>A seeded sample of row indices without replacement (partial Fisher-Yates), sorted; all rows when there are few.</summary>
    private static int[] SampleRows(int n, int size, int seed)
    {
        var all = Enumerable.Range(0, n).ToArray();
        if (n <= size)
        {
            return all;
        }

        var random = new Random(seed);
        for (var i = 0; i < size; i++)
        {
            var j = random.Next(i, n);
            (all[i], all[j]) = (all[j], all[i]);
        }

        var sample = all[..size];
        Array.Sort(sample);
        return sample;
    }

    /// <summary>Distinct rows of the standardized table, counted up to <paramref name="limit"/> (enough to bound k).</summary>
    private static int CountDistinct(double[] z, int n, int d, int limit)
    {
        var seen = new HashSet<RowKey>();
        for (var i = 0; i < n && seen.Count < limit; i++)
        {
            seen.Add(new RowKey(z, i * d, d));
        }

        return Math.Max(1, seen.Count);
    }

    private static Partition NumberBySize(Partition partition)
    {
        var k = partition.K;
        var sizes = new int[k];
        var first = Enumerable.Repeat(int.MaxValue, k).ToArray();
        for (var i = 0; i < partition.Labels.Length; i++)
        {
            var label = partition.Labels[i];
            sizes[label]++;
            first[label] = Math.Min(first[label], i);
        }

        var order = Enumerable.Range(0, k).OrderByDescending(c => sizes[c]).ThenBy(c => first[c]).ToArray();
        var rank = new int[k];
        for (var r = 0; r < k; r++)
        {
            rank[order[r]] = r;
        }

        var labels = Array.ConvertAll(partition.Labels, label => rank[label]);
        return new Partition(labels, [.. order.Select(c => partition.Centroids[c])], partition.WithinSumOfSquares);
    }

    private static List<Segment> Describe(FeatureTable table, StandardizedFeatures features, Partition partition, double threshold, List<string> notes)
    {
        var n = features.Rows;
        var d = features.Dimensions;
        var k = partition.K;
        var sizes = new int[k];
        var sums = new double[k, d];
        var zSums = new double[k, d];
        var revenue = new double[k];
        var clv = new double[k];
        for (var i = 0; i < n; i++)
        {
            var c = partition.Labels[i];
            sizes[c]++;
            revenue[c] += table.Rows[i].Revenue;
            clv[c] += table.Rows[i].Clv;
            for (var t = 0; t < d; t++)
            {
                sums[c, t] += features.Original(table, i, t);
                zSums[c, t] += features.Z[(i * d) + t];
            }
        }

        var totalRevenue = revenue.Sum();
        var totalClv = clv.Sum();
        if (!(totalRevenue > 0))
        {
            notes.Add("Total revenue is not positive: revenue shares are not given.");
        }

        if (!(totalClv > 0))
        {
            notes.Add("Total CLV is not positive: CLV shares are not given.");
        }

        var zMeans = new double[k][];
        var means = new double[k][];
        for (var c = 0; c < k; c++)
        {
            zMeans[c] = new double[d];
            means[c] = new double[d];
            for (var t = 0; t < d; t++)
            {
                means[c][t] = sums[c, t] / sizes[c];
                zMeans[c][t] = zSums[c, t] / sizes[c];
            }
        }

        var featureNames = features.Kept.Select(j => table.FeatureNames[j]).ToArray();
        var names = SegmentNamer.Name(featureNames, zMeans, threshold);
        var segments = new List<Segment>(k);
        for (var c = 0; c < k; c++)
        {
            segments.Add(new Segment(
                c + 1,
                names[c],
                sizes[c],
                (double)sizes[c] / n,
                means[c],
                zMeans[c],
                partition.Centroids[c],
                totalRevenue > 0 ? revenue[c] / totalRevenue : null,
                totalClv > 0 ? clv[c] / totalClv : null));
        }

        return segments;
    }

    /// <summary>A row of the standardized table compared by value.</summary>
    private readonly struct RowKey(double[] data, int offset, int length) : IEquatable<RowKey>
    {
        public bool Equals(RowKey other) => data.AsSpan(offset, length).SequenceEqual(other.Span);

        public override bool Equals(object? obj) => obj is RowKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            foreach (var value in Span)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }

        private ReadOnlySpan<double> Span => data.AsSpan(offset, length);
    }
}
