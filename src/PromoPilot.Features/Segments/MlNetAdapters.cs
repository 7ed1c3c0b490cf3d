using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace PromoPilot.Features.Segments;

/// <summary>A partition of the rows: dense labels 0..k-1 (no empty cluster), centroids, within-cluster sum of squares.</summary>
internal sealed record Partition(int[] Labels, double[][] Centroids, double WithinSumOfSquares)
{
    public int K => Centroids.Length;
}

/// <summary>
/// The two ML.NET algorithms used on the standardized rows: k-means (<see cref="KMeansTrainer"/> with its default
/// <c>KMeansYinyang</c>: k-means|| seeding and Yinyang-accelerated Lloyd iterations, one thread) and randomized PCA
/// (<c>ProjectToPrincipalComponents</c>). Both are fitted on the fit rows (all rows, or a seeded sample of a large
/// table); every row is then assigned to its nearest centroid and projected on the components here, in double precision.
/// A fresh <see cref="MLContext"/> is seeded per run, so a run's result depends on the seed and its own parameters only.
/// </summary>
internal sealed class MlNetAdapters
{
    private readonly VectorRow[] _fitRows;
    private readonly double[] _z;
    private readonly int _rows;
    private readonly int _dimensions;

    /// <param name="z">Row-major standardized values.</param>
    /// <param name="rows">Rows of <paramref name="z"/>.</param>
    /// <param name="dimensions">Values per row.</param>
    /// <param name="fitRows">Rows the ML.NET models are fitted on.</param>
    public MlNetAdapters(double[] z, int rows, int dimensions, int[] fitRows)
    {
        _z = z;
        _rows = rows;
        _dimensions = dimensions;
        _fitRows = new VectorRow[fitRows.Length];
        for (var i = 0; i < fitRows.Length; i++)
        {
            var features = new float[dimensions];
            for (var t = 0; t < dimensions; t++)
            {
                features[t] = (float)z[(fitRows[i] * dimensions) + t];
            }

            _fitRows[i] = new VectorRow { Features = features };
        }
    }

    /// <summary>
    /// For each k, the best of <paramref name="restarts"/> k-means runs (smallest within sum of squares over the fit rows;
    /// the earlier run on ties). All runs are independent (own seeded context, one thread each) and run in parallel; the
    /// choice depends on their results only, so it does not depend on the thread count. Every row is then assigned to the
    /// nearest centroid of the best run (lowest index on ties); clusters left empty are removed.
    /// </summary>
    public IReadOnlyList<Partition> KMeans(IReadOnlyList<int> ks, int restarts, int maxIterations, int seed, int? maxDegreeOfParallelism)
    {
        var jobs = ks.SelectMany(k => Enumerable.Range(0, k == 1 ? 1 : restarts).Select(run => (K: k, Run: run))).ToArray();
        var runs = new (double[][] Centroids, double Within)[jobs.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism ?? -1 };
        Parallel.For(0, jobs.Length, parallel, j =>
        {
            var centroids = jobs[j].K == 1 ? [Mean()] : Train(jobs[j].K, maxIterations, RunSeed(seed, jobs[j].K, jobs[j].Run));
            runs[j] = (centroids, FitWithin(centroids));
        });

        var partitions = new List<Partition>(ks.Count);
        foreach (var k in ks)
        {
            var best = -1;
            for (var j = 0; j < jobs.Length; j++)
            {
                if (jobs[j].K == k && (best < 0 || runs[j].Within < runs[best].Within))
                {
                    best = j;
                }
            }

            partitions.Add(Assign(runs[best].Centroids));
        }

        return partitions;
    }

    /// <summary>
    /// Coordinates of every row on the first two principal components and the share of the total variance (all rows)
    /// on each. The components come from ML.NET's randomized PCA (rank 2; exact when the dimension is at most
    /// rank + oversampling = 22) fitted on the fit rows, read back by projecting the unit vectors; each is oriented so
    /// its largest-magnitude loading is positive.
    /// </summary>
    public (double[] X, double[] Y, double[] Explained) Project(int seed)
    {
        var x = new double[_rows];
        var y = new double[_rows];
        var total = 0.0;
        for (var t = 0; t < _dimensions; t++)
        {
            total += Variance(i => _z[(i * _dimensions) + t]);
        }

        if (_dimensions == 0 || total == 0)
        {
            return (x, y, [0, 0]);
        }

        double[][] components;
        if (_dimensions == 1)
        {
            components = [[1.0], [0.0]];
        }
        else
        {
            var context = new MLContext(seed);
            var transformer = context.Transforms
                .ProjectToPrincipalComponents("Projected", nameof(VectorRow.Features), rank: 2, seed: seed)
                .Fit(Load(context, _fitRows));

            // Row 0 is the origin, row 1 + t the unit vector of feature t: loading(t) = projection(e_t) - projection(0).
            var probes = new VectorRow[_dimensions + 1];
            for (var r = 0; r < probes.Length; r++)
            {
                probes[r] = new VectorRow { Features = new float[_dimensions] };
                if (r > 0)
                {
                    probes[r].Features[r - 1] = 1;
                }
            }

            var projected = transformer.Transform(Load(context, probes)).GetColumn<float[]>("Projected").ToArray();
            components = [new double[_dimensions], new double[_dimensions]];
            for (var t = 0; t < _dimensions; t++)
            {
                components[0][t] = projected[t + 1][0] - projected[0][0];
                components[1][t] = projected[t + 1][1] - projected[0][1];
            }

            components = [Orient(components[0]), Orient(components[1])];
        }

        for (var i = 0; i < _rows; i++)
        {
            var row = _z.AsSpan(i * _dimensions, _dimensions);
            for (var t = 0; t < _dimensions; t++)
            {
                x[i] += row[t] * components[0][t];
                y[i] += row[t] * components[1][t];
            }
        }

        return (x, y, [Variance(i => x[i]) / total, Variance(i => y[i]) / total]);
    }

    private static int RunSeed(int seed, int k, int run) => unchecked((seed * 1_000_003) + (k * 7_919) + run);

    private static double[] Orient(double[] loadings)
    {
        var extreme = 0.0;
        foreach (var value in loadings)
        {
            if (Math.Abs(value) > Math.Abs(extreme))
            {
                extreme = value;
            }
        }

        return extreme < 0 ? [.. loadings.Select(v => -v)] : loadings;
    }

    /// <summary>The rows as a data view of <paramref name="context"/> (the vector length is only known at run time).</summary>
    private IDataView Load(MLContext context, VectorRow[] rows)
    {
        var schema = SchemaDefinition.Create(typeof(VectorRow));
        schema[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, _dimensions);
        return context.Data.LoadFromEnumerable(rows, schema);
    }

    private double[][] Train(int k, int maxIterations, int seed)
    {
        var context = new MLContext(seed);
        var trainer = context.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = nameof(VectorRow.Features),
            NumberOfClusters = k,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansYinyang,
            MaximumNumberOfIterations = maxIterations,
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(Load(context, _fitRows)).Model;
        VBuffer<float>[] buffers = [];
        model.GetClusterCentroids(ref buffers, out var count);
        var centroids = new double[count][];
        for (var c = 0; c < count; c++)
        {
            var dense = new float[_dimensions];
            buffers[c].CopyTo(dense);
            centroids[c] = Array.ConvertAll(dense, v => (double)v);
        }

        return centroids;
    }

    /// <summary>Population variance times the row count (sum of squared deviations) of a per-row value.</summary>
    private double Variance(Func<int, double> value)
    {
        var mean = 0.0;
        for (var i = 0; i < _rows; i++)
        {
            mean += value(i);
        }

        mean /= _rows;
        var sum = 0.0;
        for (var i = 0; i < _rows; i++)
        {
            var diff = value(i) - mean;
            sum += diff * diff;
        }

        return sum;
    }

    private double[] Mean()
    {
        var mean = new double[_dimensions];
        for (var i = 0; i < _rows; i++)
        {
            for (var t = 0; t < _dimensions; t++)
            {
                mean[t] += _z[(i * _dimensions) + t];
            }
        }

        for (var t = 0; t < _dimensions; t++)
        {
            mean[t] /= _rows;
        }

        return mean;
    }

    /// <summary>Sum over the fit rows of the squared distance to the nearest centroid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double FitWithin(double[][] centroids)
    {
        var within = 0.0;
        foreach (var row in _fitRows)
        {
            var point = row.Features;
            var best = double.PositiveInfinity;
            foreach (var centroid in centroids)
            {
                var distance = 0.0;
                for (var t = 0; t < point.Length; t++)
                {
                    var diff = point[t] - centroid[t];
                    distance += diff * diff;
                }

                best = Math.Min(best, distance);
            }

            within += best;
        }

        return within;
    }

    /// <summary>Nearest centroid for every row (lowest index on ties), empty clusters removed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Partition Assign(double[][] centroids)
    {
        var labels = new int[_rows];
        var sizes = new int[centroids.Length];
        var within = 0.0;
        for (var i = 0; i < _rows; i++)
        {
            var point = _z.AsSpan(i * _dimensions, _dimensions);
            var cluster = 0;
            var best = double.PositiveInfinity;
            for (var c = 0; c < centroids.Length; c++)
            {
                var distance = 0.0;
                var centroid = centroids[c];
                for (var t = 0; t < point.Length; t++)
                {
                    var diff = point[t] - centroid[t];
                    distance += diff * diff;
                }

                if (distance < best)
                {
                    best = distance;
                    cluster = c;
                }
            }

            labels[i] = cluster;
            sizes[cluster]++;
            within += best;
        }

        if (sizes.All(size => size > 0))
        {
            return new Partition(labels, centroids, within);
        }

        var remap = new int[centroids.Length];
        var kept = new List<double[]>();
        for (var c = 0; c < centroids.Length; c++)
        {
            remap[c] = sizes[c] > 0 ? kept.Count : -1;
            if (sizes[c] > 0)
            {
                kept.Add(centroids[c]);
            }
        }

        for (var i = 0; i < _rows; i++)
        {
            labels[i] = remap[labels[i]];
        }

        return new Partition(labels, [.. kept], within);
    }

    /// <summary>One row as ML.NET reads it; the vector's length is set on the schema at run time.</summary>
    private sealed class VectorRow
    {
        public float[] Features { get; set; } = [];
    }
}
