using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using MlPlatt = Microsoft.ML.Calibrators.PlattCalibrator;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using PromoPilot.Models.Explanations;
using PromoPilot.Core.Modeling;
using Microsoft.ML.Trainers.FastTree;
using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Response;

/// <summary>The learner behind a response model.</summary>
public enum ResponseLearner
{
    /// <summary>LightGBM gradient-boosted trees (Ke et al. 2017).</summary>
    LightGbm,

    /// <summary>ML.NET FastTree, a MART implementation (Friedman 2001).</summary>
    FastTree,

    /// <summary>L2-regularized logistic regression fitted by L-BFGS on standardized, imputed features: the baseline.</summary>
    Logistic,

    /// <summary>
    /// Field-aware factorization machine (Juan, Zhuang, Chin &amp; Lin 2016, "Field-aware Factorization Machines for
    /// CTR Prediction"), ML.NET's trainer: one field per input feature, standardized and imputed features as for the
    /// logistic baseline.
    /// </summary>
    Ffm,
}

/// <summary>Settings of the field-aware factorization machine (ML.NET's defaults except where noted).</summary>
public sealed record FfmOptions
{
    /// <summary>Passes over the training rows. Default 20 (ML.NET's default is 5).</summary>
    public int Iterations { get; init; } = 20;

    /// <summary>Latent factors per feature and field. Default 8 (ML.NET's default is 20).</summary>
    public int LatentDimension { get; init; } = 8;

    /// <summary>Initial AdaGrad learning rate. Default 0.1.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>L2 penalty of the linear weights. Default 1e-4.</summary>
    public double LambdaLinear { get; init; } = 1e-4;

    /// <summary>L2 penalty of the latent factors. Default 1e-4.</summary>
    public double LambdaLatent { get; init; } = 1e-4;

    internal void Validate()
    {
        Evaluation.ModelArgs.Positive(Iterations, nameof(Iterations));
        Evaluation.ModelArgs.Positive(LatentDimension, nameof(LatentDimension));
        Evaluation.ModelArgs.Positive(LearningRate, nameof(LearningRate));
        Evaluation.ModelArgs.NonNegative(LambdaLinear, nameof(LambdaLinear));
        Evaluation.ModelArgs.NonNegative(LambdaLatent, nameof(LambdaLatent));
    }
}

/// <summary>Settings of a response (click / conversion / acceptance) model.</summary>
public sealed record ResponseOptions
{
    public ResponseLearner Learner { get; init; } = ResponseLearner.LightGbm;

    /// <summary>Tree settings (LightGBM, FastTree).</summary>
    public GbmOptions Trees { get; init; } = new();

    /// <summary>Field-aware factorization machine settings.</summary>
    public FfmOptions Ffm { get; init; } = new();

    /// <summary>L2 penalty of the logistic baseline. Default 1.</summary>
    public double LogisticL2 { get; init; } = 1;

    /// <summary>Share of the training rows held out (stratified by label) for early stopping and calibration. Default 0.15.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>Score-to-probability map fitted on the validation split. Default Platt.</summary>
    public CalibrationMethod Calibration { get; init; } = CalibrationMethod.Platt;

    /// <summary>Seed of the validation split and of the learner. Default 42.</summary>
    public int Seed { get; init; } = 42;
}

/// <summary>
/// Trains response models: one-hot categories, missing numbers kept for trees (imputed with an indicator for the
/// logistic baseline), a stratified validation split carved from the training rows for early stopping and
/// calibration.
/// </summary>
public static class ResponseTrainer
{
    /// <exception cref="ArgumentException">Labels never vary, lengths differ, or a feature is missing in every row.</exception>
    public static ResponseModel Fit(FeatureTable features, IReadOnlyList<bool> labels, ResponseOptions? options = null, string labelName = "label")
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new ResponseOptions();
        options.Trees.Validate();
        options.Ffm.Validate();
        ModelArgs.NonNegative(options.LogisticL2, nameof(options.LogisticL2));
        if (!(options.ValidationFraction > 0 && options.ValidationFraction < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ValidationFraction, "ValidationFraction must be in (0, 0.5).");
        }

        if (labels.Count != features.RowCount)
        {
            throw new ArgumentException($"{labels.Count} labels for {features.RowCount} rows.", nameof(labels));
        }

        var positives = labels.Count(l => l);
        if (positives == 0 || positives == labels.Count)
        {
            throw new ArgumentException($"label '{labelName}' never varies (every row is {(positives == 0 ? "0" : "1")}): nothing to learn.", nameof(labels));
        }

        var (fitRows, validRows) = StratifiedSplit.Split([.. labels.Select(l => l ? 1 : 0)], options.ValidationFraction, options.Seed + 1);
        var fitTable = features.Take(fitRows);
        var validTable = features.Take(validRows);
        bool[] fitLabels = [.. fitRows.Select(i => labels[i])];
        bool[] validLabels = [.. validRows.Select(i => labels[i])];

        var encoder = FeatureEncoder.Fit(fitTable, options.Learner is ResponseLearner.Logistic or ResponseLearner.Ffm ? MissingHandling.ImputeWithIndicator : MissingHandling.Native);
        var ml = new MLContext(options.Seed);
        var train = ResponseModel.Data(ml, options.Learner, encoder, encoder.Encode(fitTable), fitLabels);
        var validX = encoder.Encode(validTable);
        var valid = ResponseModel.Data(ml, options.Learner, encoder, validX, validLabels);
        var training = System.Diagnostics.Stopwatch.StartNew();
        ITransformer model = options.Learner switch
        {
            ResponseLearner.LightGbm => ml.BinaryClassification.Trainers.LightGbm(MlNet.LightGbmBinary(options.Trees, options.Seed, weighted: false)).Fit(train, valid),
            ResponseLearner.FastTree => ml.BinaryClassification.Trainers.FastTree(FastTreeOptions(options)).Fit(train, valid),
            ResponseLearner.Logistic => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = (float)options.LogisticL2,
                L1Regularization = 0,
                NumberOfThreads = 1,
            }).Fit(train),
            ResponseLearner.Ffm => ml.BinaryClassification.Trainers.FieldAwareFactorizationMachine(FfmTrainerOptions(options, FieldData.Fields(encoder).Length)).Fit(train),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Learner, "unknown learner."),
        };
        var trainingTime = training.Elapsed;

        // Tree ensembles are read once into the direct evaluator and the validation rows scored by it (ML.NET's
        // Transform gives the same scores, tests to 1e-9, but slowly and twice: docs/BENCHMARKS.md, "Response fit time").
        var compiled = ResponseModel.Compile(model, encoder);
        double[] validScores = compiled is { } c ? [.. validX.Select(x => (double)c.Trees.Score(x))] : MlNet.Column(model, valid, "Score");
        IProbabilityCalibrator? calibrator = options.Calibration switch
        {
            CalibrationMethod.Platt => PlattCalibrator.Fit(validScores, validLabels),
            CalibrationMethod.Isotonic => IsotonicCalibrator.Fit(validScores, validLabels),
            _ => null,
        };
        var result = new ResponseModel(ml, model, encoder, calibrator, options, compiled);
        double[] validProbabilities = compiled is { } d ? [.. validScores.Select(v => result.FromScore((float)v, d.Platt))] : result.Probabilities(valid);
        return result with { Reliability = ReliabilityTable.Build(validLabels, validProbabilities), TrainingTime = trainingTime };
    }

    private static FieldAwareFactorizationMachineTrainer.Options FfmTrainerOptions(ResponseOptions options, int fields) => new()
    {
        LabelColumnName = "Label",
        FeatureColumnName = FieldData.ColumnName(0),
        ExtraFeatureColumns = [.. Enumerable.Range(1, fields - 1).Select(FieldData.ColumnName)],
        NumberOfIterations = options.Ffm.Iterations,
        LatentDimension = options.Ffm.LatentDimension,
        LearningRate = (float)options.Ffm.LearningRate,
        LambdaLinear = (float)options.Ffm.LambdaLinear,
        LambdaLatent = (float)options.Ffm.LambdaLatent,
        Shuffle = true,
        Verbose = false,
    };

    /// <summary>FastTree settings; ML.NET's EarlyStoppingRule setter rejects null, so it is set only when early stopping is on.</summary>
    private static FastTreeBinaryTrainer.Options FastTreeOptions(ResponseOptions options)
    {
        var fastTree = new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = options.Trees.Iterations,
            NumberOfLeaves = options.Trees.Leaves,
            MinimumExampleCountPerLeaf = options.Trees.MinLeafRows,
            LearningRate = options.Trees.LearningRate,
            FeatureFraction = options.Trees.FeatureFraction,
            Seed = options.Seed,
            NumberOfThreads = options.Trees.Threads,
        };
        if (options.Trees.EarlyStoppingRounds > 0)
        {
            fastTree.EarlyStoppingRule = new TolerantEarlyStoppingRule(0.02f);
        }

        return fastTree;
    }
}

/// <summary>A trained response model: probabilities for rows of a <see cref="FeatureTable"/>.</summary>
public sealed record ResponseModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly Lazy<ITransformer> _contributor;
    private readonly Lazy<(CompiledTrees Trees, MlPlatt Platt)?> _compiled;

    internal ResponseModel(MLContext ml, ITransformer model, FeatureEncoder encoder, IProbabilityCalibrator? calibrator, ResponseOptions options)
    {
        _ml = ml;
        _model = model;
        _contributor = new Lazy<ITransformer>(CreateContributor);
        _compiled = new Lazy<(CompiledTrees, MlPlatt)?>(() => Compile(model, encoder));
        Encoder = encoder;
        Calibrator = calibrator;
        Options = options;
    }

    /// <summary>A model whose direct evaluator was already built (<see cref="Compile"/>, null: not a tree ensemble it reads).</summary>
    internal ResponseModel(MLContext ml, ITransformer model, FeatureEncoder encoder, IProbabilityCalibrator? calibrator, ResponseOptions options, (CompiledTrees Trees, MlPlatt Platt)? compiled)
        : this(ml, model, encoder, calibrator, options)
    {
        _compiled = new Lazy<(CompiledTrees, MlPlatt)?>(compiled);
    }

    public FeatureEncoder Encoder { get; }

    public IProbabilityCalibrator? Calibrator { get; }

    public ResponseOptions Options { get; }

    /// <summary>Reliability table of the calibrated probabilities on the validation split.</summary>
    public IReadOnlyList<ReliabilityBin> Reliability { get; init; } = [];

    /// <summary>
    /// Time spent in the learner's own training call when fitted (the data handed to the learner and the boosting,
    /// early stopping included; not the encoding, validation split or calibration): the span a reference library's
    /// <c>fit</c> on an encoded matrix covers. Zero for a loaded model.
    /// </summary>
    public TimeSpan TrainingTime { get; init; }

    /// <summary>
    /// Calibrated probabilities of a positive response, one per row (batch scoring; safe to call from several
    /// threads). Tree models are scored by the direct evaluator (<see cref="CompiledTrees"/>), the others by ML.NET.
    /// </summary>
    public double[] PredictProbabilities(FeatureTable features) =>
        _compiled.Value is not null ? PredictCompiled(features, 1) : PredictProbabilitiesMlNet(features);

    /// <summary>Whether scoring uses the direct tree evaluator (LightGBM and FastTree models) rather than ML.NET's transform.</summary>
    public bool ScoresDirectly => _compiled.Value is not null;

    /// <summary>Probabilities through ML.NET's own Transform (the reference the direct evaluator is tested against).</summary>
    internal double[] PredictProbabilitiesMlNet(FeatureTable features) =>
        Probabilities(Data(_ml, Options.Learner, Encoder, Encoder.Encode(features), new bool[features.RowCount]));

    /// <summary>The data view a learner reads: one Features vector, or one column per field for the FFM.</summary>
    internal static IDataView Data(MLContext ml, ResponseLearner learner, FeatureEncoder encoder, float[][] x, IReadOnlyList<bool> y) =>
        learner == ResponseLearner.Ffm ? FieldData.Create(x, y, FieldData.Fields(encoder)) : MlNet.Binary(ml, x, y);

    /// <summary>The probability of one raw tree-ensemble score, exactly as the ML.NET path computes it.</summary>
    internal double FromScore(float score, MlPlatt platt) =>
        Calibrator is not null ? Calibrator.Probability(score) : (float)(1 / (1 + Math.Exp(platt.Slope * score + platt.Offset)));

    /// <summary>The direct evaluator of a LightGBM or FastTree model and its Platt map; null for other models.</summary>
    internal static (CompiledTrees Trees, MlPlatt Platt)? Compile(ITransformer model, FeatureEncoder encoder)
    {
        (TreeEnsemble<RegressionTree> Ensemble, MlPlatt Platt)? found = model switch
        {
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, MlPlatt>> t => (t.Model.SubModel.TrainedTreeEnsemble, t.Model.Calibrator),
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, MlPlatt>> t => (t.Model.SubModel.TrainedTreeEnsemble, t.Model.Calibrator),
            _ => null,
        };
        return found is { } f && CompiledTrees.From(f.Ensemble, encoder.Width) is { } trees ? (trees, f.Platt) : null;
    }

    /// <summary>Encodes each row into a reused buffer and walks the trees: contiguous chunks, one per thread.</summary>
    private double[] PredictCompiled(FeatureTable features, int threads)
    {
        var (trees, platt) = _compiled.Value!.Value;
        var columns = Encoder.Bind(features);
        var n = features.RowCount;
        var result = new double[n];
        threads = Math.Max(1, Math.Min(threads, n / 1024));
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            var from = (int)((long)n * chunk / threads);
            var to = (int)((long)n * (chunk + 1) / threads);
            var x = new float[Encoder.Width];
            for (var r = from; r < to; r++)
            {
                Encoder.EncodeRow(columns, r, x);
                result[r] = FromScore(trees.Score(x), platt);
            }
        });
        return result;
    }

    /// <summary>The input features (name and kind) the model was trained on.</summary>
    public IReadOnlyList<ModelFeature> Schema => Encoder.Schema;

    /// <summary>A single-row scorer for the decision path (not thread-safe: one per thread).</summary>
    public ResponseScorer CreateScorer() => CreateScorer(direct: true);

    /// <summary>
    /// A single-row scorer; <paramref name="direct"/> false forces ML.NET's PredictionEngine even for tree models (the
    /// slower reference path, kept for comparison: bench/README.md).
    /// </summary>
    public ResponseScorer CreateScorer(bool direct)
    {
        if (direct && _compiled.Value is { } compiled)
        {
            return new ResponseScorer(Encoder, row => FromScore(compiled.Trees.Score(row), compiled.Platt));
        }

        if (Options.Learner == ResponseLearner.Ffm)
        {
            return new ResponseScorer(Encoder, row => Probabilities(Data(_ml, Options.Learner, Encoder, [row], [false]))[0]);
        }

        var engine = MlNet.Engine(_ml, _model, Encoder.Width);
        var input = new MlNet.BinaryRow();
        var output = new MlNet.ScoreRow();
        return new ResponseScorer(Encoder, row =>
        {
            input.Features = row;
            engine.Predict(input, ref output);
            return Calibrator is null ? output.Probability : Calibrator.Probability(output.Score);
        });
    }

    /// <summary>
    /// Calibrated probabilities for many rows, scored in <paramref name="threads"/> contiguous chunks in parallel
    /// (each chunk through ML.NET's batch Transform).
    /// </summary>
    public double[] PredictProbabilities(FeatureTable features, int threads)
    {
        ArgumentNullException.ThrowIfNull(features);
        Evaluation.ModelArgs.Positive(threads, nameof(threads));
        if (_compiled.Value is not null)
        {
            return PredictCompiled(features, threads);
        }

        var n = features.RowCount;
        if (threads == 1 || n < 2 * threads)
        {
            return PredictProbabilities(features);
        }

        var result = new double[n];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            var from = (int)((long)n * chunk / threads);
            var to = (int)((long)n * (chunk + 1) / threads);
            var part = PredictProbabilities(features.Take([.. Enumerable.Range(from, to - from)]));
            part.CopyTo(result, from);
        });
        return result;
    }

    /// <summary>
    /// Per-prediction feature contributions (ML.NET's feature contribution calculation: for trees, the change in score
    /// along each prediction's decision path credited to the split feature, as in Saabas' method; for the logistic
    /// baseline, weight × value), in raw score (log-odds margin) units before calibration, summed over a categorical
    /// feature's one-hot slots; for each row every input feature, largest |contribution| first.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<FeatureContribution>> Contributions(FeatureTable features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var contributor = _contributor.Value;
        var data = MlNet.Binary(_ml, Encoder.Encode(features), new bool[features.RowCount]);
        var slots = Encoder.SlotFeatures;
        var names = Encoder.Schema;
        var result = new List<IReadOnlyList<FeatureContribution>>(features.RowCount);
        foreach (var row in contributor.Transform(_model.Transform(data)).GetColumn<float[]>("FeatureContributions"))
        {
            var sums = new double[names.Count];
            for (var slot = 0; slot < row.Length; slot++)
            {
                sums[slots[slot]] += row[slot];
            }

            result.Add([.. sums.Select((v, f) => new FeatureContribution(names[f].Name, v)).OrderByDescending(c => Math.Abs(c.Contribution)).ThenBy(c => c.Feature, StringComparer.Ordinal)]);
        }

        return result;
    }

    private ITransformer CreateContributor()
    {
        var width = Encoder.Width;
        var empty = MlNet.Binary(_ml, [new float[width]], [false]);
        var scored = _model.Transform(empty);
        ITransformer Fit<TModel>(ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<TModel, MlPlatt>> t)
            where TModel : class, ICalculateFeatureContribution =>
            _ml.Transforms.CalculateFeatureContribution(t, width, width, normalize: false).Fit(scored);
        return _model switch
        {
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, MlPlatt>> t => Fit(t),
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<Microsoft.ML.Trainers.FastTree.FastTreeBinaryModelParameters, MlPlatt>> t => Fit(t),
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, MlPlatt>> t => Fit(t),
            _ => throw new NotSupportedException($"feature contributions are not available for {_model.GetType().Name}."),
        };
    }

    /// <summary>
    /// Writes the model to a stream: a zip holding the encoder, calibrator and settings (JSON) and the ML.NET model.
    /// Loading it back gives identical predictions.
    /// </summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var header = new ResponseFile(
            ModelArchive.FileFormat,
            1,
            "response",
            Options.Learner,
            Options.Seed,
            Options.Calibration,
            Calibrator is PlattCalibrator platt ? [platt.A, platt.B] : null,
            Calibrator is IsotonicCalibrator isotonic ? [.. isotonic.Scores] : null,
            Calibrator is IsotonicCalibrator iso ? [.. iso.Probabilities] : null,
            Encoder.ToState(),
            Reliability);
        ModelArchive.WriteHeader(zip, header);
        ModelArchive.WriteEntry(zip, ModelEntry, buffer => _ml.Model.Save(_model, Data(_ml, Options.Learner, Encoder, [new float[Encoder.Width]], [false]).Schema, buffer));
    }

    /// <summary>Reads a model written by <see cref="Save"/>; with <paramref name="expected"/>, refuses a model trained on other features.</summary>
    /// <exception cref="InvalidDataException">The stream is not a PromoPilot response model.</exception>
    /// <exception cref="ModelSchemaException">The model's features differ from <paramref name="expected"/>.</exception>
    public static ResponseModel Load(Stream stream, IReadOnlyList<ModelFeature>? expected = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using (var zip = ModelArchive.OpenRead(stream))
        {
            var header = ModelArchive.ReadHeader<ResponseFile>(zip);
            if (header.Format != ModelArchive.FileFormat || header.Kind != "response")
            {
                throw new InvalidDataException($"not a PromoPilot response model (format '{header.Format}', kind '{header.Kind}').");
            }

            if (header.FormatVersion != 1)
            {
                throw new InvalidDataException($"response model format version {header.FormatVersion} is not supported (this build reads version 1).");
            }

            var encoder = FeatureEncoder.FromState(header.Encoder);
            if (expected is not null)
            {
                ModelSchema.Check($"response model ({header.Learner})", encoder.Schema, expected);
            }

            var ml = new MLContext(header.Seed);
            using var buffer = ModelArchive.ReadEntry(zip, ModelEntry, $"not a PromoPilot model file (no {ModelEntry}).");
            var transformer = ml.Model.Load(buffer, out _);
            IProbabilityCalibrator? calibrator = header.Calibration switch
            {
                CalibrationMethod.Platt => new PlattCalibrator(header.Platt![0], header.Platt[1]),
                CalibrationMethod.Isotonic => new IsotonicCalibrator(header.IsotonicScores!, header.IsotonicProbabilities!),
                _ => null,
            };
            var options = new ResponseOptions { Learner = header.Learner, Seed = header.Seed, Calibration = header.Calibration };
            return new ResponseModel(ml, transformer, encoder, calibrator, options) { Reliability = header.Reliability };
        }
    }

    private const string ModelEntry = "mlnet-model.zip";

    private sealed record ResponseFile(
        string Format,
        int FormatVersion,
        string Kind,
        ResponseLearner Learner,
        int Seed,
        CalibrationMethod Calibration,
        double[]? Platt,
        double[]? IsotonicScores,
        double[]? IsotonicProbabilities,
        EncoderState Encoder,
        IReadOnlyList<ReliabilityBin> Reliability);

    internal double[] Probabilities(IDataView data)
    {
        if (Calibrator is null)
        {
            return MlNet.Column(_model, data, "Probability");
        }

        return [.. MlNet.Column(_model, data, "Score").Select(Calibrator.Probability)];
    }
}

/// <summary>
/// Scores one row at a time: the fast path of a decision. Tree models walk the trees directly
/// (<see cref="CompiledTrees"/>, no allocation a call); the logistic baseline goes through an ML.NET prediction
/// engine reusing its buffers; the FFM through a one-row transform (slow). See bench/README.md for the measured
/// latency. Not thread-safe; create one per thread with <see cref="ResponseModel.CreateScorer"/>.
/// </summary>
public sealed class ResponseScorer
{
    private readonly Func<float[], double> _score;

    internal ResponseScorer(FeatureEncoder encoder, Func<float[], double> score)
    {
        Encoder = encoder;
        _score = score;
    }

    public FeatureEncoder Encoder { get; }

    /// <summary>The calibrated probability of one encoded row (<see cref="FeatureEncoder.Encode"/>'s layout, <see cref="FeatureEncoder.Width"/> floats).</summary>
    /// <exception cref="ArgumentException">The row is not <see cref="FeatureEncoder.Width"/> long.</exception>
    public double Probability(float[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Length != Encoder.Width)
        {
            throw new ArgumentException($"an encoded row has {Encoder.Width} values, not {encoded.Length}.", nameof(encoded));
        }

        return _score(encoded);
    }
}
