using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace PromoPilot.Models.Response;

/// <summary>ML.NET glue: dense vectors in, scores out; batch scoring through Transform (no PredictionEngine, which is not thread-safe).</summary>
internal static class MlNet
{
    public const string Features = "Features";

    public static IDataView Binary(MLContext ml, float[][] x, IReadOnlyList<bool> y, IReadOnlyList<float>? weights = null)
    {
        var rows = new BinaryRow[x.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new BinaryRow { Label = y[i], Weight = weights?[i] ?? 1, Features = x[i] };
        }

        return ml.Data.LoadFromEnumerable(rows, Schema<BinaryRow>(Width(x)));
    }

    public static IDataView Regression(MLContext ml, float[][] x, IReadOnlyList<double>? y, IReadOnlyList<float>? weights = null)
    {
        var rows = new RegressionRow[x.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new RegressionRow { Label = y is null ? 0 : (float)y[i], Weight = weights?[i] ?? 1, Features = x[i] };
        }

        return ml.Data.LoadFromEnumerable(rows, Schema<RegressionRow>(Width(x)));
    }

    public static double[] Column(ITransformer model, IDataView data, string column) =>
        [.. model.Transform(data).GetColumn<float>(column).Select(v => (double)v)];

    public static LightGbmBinaryTrainer.Options LightGbmBinary(GbmOptions o, int seed, bool weighted) => new()
    {
        LabelColumnName = "Label",
        FeatureColumnName = Features,
        ExampleWeightColumnName = weighted ? "Weight" : null,
        NumberOfIterations = o.Iterations,
        LearningRate = o.LearningRate,
        NumberOfLeaves = o.Leaves,
        MinimumExampleCountPerLeaf = o.MinLeafRows,
        EarlyStoppingRound = o.EarlyStoppingRounds,
        Seed = seed,
        NumberOfThreads = o.Threads,
        Silent = true,
        HandleMissingValue = true,
        UseCategoricalSplit = false,
        Booster = new GradientBooster.Options { L2Regularization = o.L2, FeatureFraction = o.FeatureFraction },
    };

    public static LightGbmRegressionTrainer.Options LightGbmRegression(GbmOptions o, int seed, bool weighted) => new()
    {
        LabelColumnName = "Label",
        FeatureColumnName = Features,
        ExampleWeightColumnName = weighted ? "Weight" : null,
        NumberOfIterations = o.Iterations,
        LearningRate = o.LearningRate,
        NumberOfLeaves = o.Leaves,
        MinimumExampleCountPerLeaf = o.MinLeafRows,
        EarlyStoppingRound = o.EarlyStoppingRounds,
        Seed = seed,
        NumberOfThreads = o.Threads,
        Silent = true,
        HandleMissingValue = true,
        UseCategoricalSplit = false,
        Booster = new GradientBooster.Options { L2Regularization = o.L2, FeatureFraction = o.FeatureFraction },
    };

    private static int Width(float[][] x) =>
        x.Length > 0 ? x[0].Length : throw new ArgumentException("no rows.", nameof(x));

    private static SchemaDefinition Schema<T>(int width)
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return schema;
    }

    /// <summary>A single-row engine (not thread-safe) over the binary input layout.</summary>
    public static PredictionEngine<BinaryRow, ScoreRow> Engine(MLContext ml, ITransformer model, int width) =>
        ml.Model.CreatePredictionEngine<BinaryRow, ScoreRow>(model, ignoreMissingColumns: true, inputSchemaDefinition: Schema<BinaryRow>(width));

    internal sealed class ScoreRow
    {
        public float Score { get; set; }

        public float Probability { get; set; }
    }

    internal sealed class BinaryRow
    {
        public bool Label { get; set; }

        public float Weight { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class RegressionRow
    {
        public float Label { get; set; }

        public float Weight { get; set; }

        public float[] Features { get; set; } = [];
    }
}
