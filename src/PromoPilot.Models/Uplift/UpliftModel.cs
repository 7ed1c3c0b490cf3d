using System.IO.Compression;
using Microsoft.ML;
using PromoPilot.Core.Modeling;
using PromoPilot.Models.Response;

namespace PromoPilot.Models.Uplift;

/// <summary>What an uplift base model predicts.</summary>
internal enum UpliftComponentKind
{
    /// <summary>A LightGBM classifier: its probability.</summary>
    Classifier,

    /// <summary>A LightGBM regressor: its score.</summary>
    Regressor,

    /// <summary>A constant (an arm whose outcome never varied).</summary>
    Constant,
}

/// <summary>One fitted base model of an uplift learner (e.g. the T-learner's mu1 and mu0).</summary>
internal sealed class UpliftComponent(MLContext ml, UpliftComponentKind kind, ITransformer? model, double constant, int width)
{
    public UpliftComponentKind Kind => kind;

    public ITransformer? Model => model;

    public double Value => constant;

    /// <summary>Encoded slots the model reads (the S-learner's includes the treatment flag).</summary>
    public int Width => width;

    public static UpliftComponent Constant(MLContext ml, double value, int width) => new(ml, UpliftComponentKind.Constant, null, value, width);

    public double[] Predict(float[][] rows) => kind switch
    {
        UpliftComponentKind.Classifier => MlNet.Column(model!, MlNet.Binary(ml, rows, new bool[rows.Length]), "Probability"),
        UpliftComponentKind.Regressor => MlNet.Column(model!, MlNet.Regression(ml, rows, null), "Score"),
        _ => [.. rows.Select(_ => constant)],
    };

    public void Save(Stream stream)
    {
        var schema = kind == UpliftComponentKind.Classifier
            ? MlNet.Binary(ml, [new float[width]], [false]).Schema
            : MlNet.Regression(ml, [new float[width]], null).Schema;
        ml.Model.Save(model!, schema, stream);
    }
}

/// <summary>
/// A fitted uplift model: the predicted effect of treatment (treated minus control outcome) per row. Saved with
/// <see cref="Save"/> as a zip (settings, encoder and feature schema as JSON, one ML.NET model per base learner) and
/// read back with <see cref="Load"/>, which refuses data of another feature schema.
/// </summary>
public sealed class UpliftModel
{
    private const string Kind = "uplift";
    private readonly IReadOnlyDictionary<string, UpliftComponent> _components;
    private readonly Lazy<UpliftComponent>? _lazyBaseline;

    internal UpliftModel(UpliftLearner learner, FeatureEncoder encoder, IReadOnlyDictionary<string, UpliftComponent> components, Lazy<UpliftComponent>? baseline, double propensity, bool binaryOutcome, UpliftOptions options)
    {
        Learner = learner;
        Encoder = encoder;
        _components = components;
        _lazyBaseline = baseline;
        Propensity = propensity;
        BinaryOutcome = binaryOutcome;
        Options = options;
    }

    /// <summary>Whether the outcome was 0/1 (predictions are probabilities) rather than an amount.</summary>
    public bool BinaryOutcome { get; }

    public UpliftLearner Learner { get; }

    public FeatureEncoder Encoder { get; }

    /// <summary>The settings it was fitted with (a loaded model keeps learner, trees, propensity setting and seed).</summary>
    public UpliftOptions Options { get; }

    /// <summary>The input features (name and kind) the model was trained on.</summary>
    public IReadOnlyList<ModelFeature> Schema => Encoder.Schema;

    /// <summary>The probability of treatment the learners assumed.</summary>
    public double Propensity { get; }

    /// <summary>Predicted uplift for each row.</summary>
    public double[] PredictUplift(FeatureTable features) => Uplift(Encoder.Encode(features));

    /// <summary>
    /// Expected outcome of each row without and with treatment: the control-arm outcome model, and that plus the
    /// predicted uplift (a probability is clipped to [0, 1]). The effect forecast takes these.
    /// </summary>
    public (double[] Control, double[] Treated) PredictArms(FeatureTable features)
    {
        var x = Encoder.Encode(features);
        var control = Baseline(x);
        var uplift = Uplift(x);
        var treated = new double[control.Length];
        for (var i = 0; i < treated.Length; i++)
        {
            treated[i] = control[i] + uplift[i];
            if (BinaryOutcome)
            {
                control[i] = Math.Clamp(control[i], 0, 1);
                treated[i] = Math.Clamp(treated[i], 0, 1);
            }
        }

        return (control, treated);
    }

    private double[] Uplift(float[][] x)
    {
        switch (Learner)
        {
            case UpliftLearner.S:
            {
                var on = _components["f"].Predict([.. x.Select(r => WithFlag(r, 1))]);
                var off = _components["f"].Predict([.. x.Select(r => WithFlag(r, 0))]);
                return [.. on.Select((v, i) => v - off[i])];
            }

            case UpliftLearner.T:
                return Difference(_components["mu1"].Predict(x), _components["mu0"].Predict(x));

            case UpliftLearner.X:
            {
                var a = _components["tau0"].Predict(x);
                var b = _components["tau1"].Predict(x);
                var e = Propensity;
                return [.. a.Select((v, i) => e * v + (1 - e) * b[i])];
            }

            case UpliftLearner.ClassTransformation when _components.TryGetValue("z", out var z):
                return [.. z.Predict(x).Select(p => 2 * p - 1)];

            default:
                return _components["tau"].Predict(x);
        }
    }

    private double[] Baseline(float[][] x) => Learner == UpliftLearner.S
        ? _components["f"].Predict([.. x.Select(r => WithFlag(r, 0))])
        : BaselineComponent.Predict(x);

    private UpliftComponent BaselineComponent => _components.TryGetValue("mu0", out var mu0) ? mu0 : _lazyBaseline!.Value;

    private static float[] WithFlag(float[] row, float value)
    {
        var longer = new float[row.Length + 1];
        row.CopyTo(longer, 0);
        longer[^1] = value;
        return longer;
    }

    private static double[] Difference(double[] a, double[] b) => [.. a.Select((v, i) => v - b[i])];

    /// <summary>
    /// Writes the model: a zip holding the settings, the encoder (hence the feature schema) and one ML.NET model per
    /// base learner, the control-arm model included (fitted now for the DR and class-transformation learners if it
    /// was not yet). Loading it back gives identical predictions.
    /// </summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var components = new Dictionary<string, UpliftComponent>(_components, StringComparer.Ordinal);
        if (Learner != UpliftLearner.S && !components.ContainsKey("mu0"))
        {
            components["mu0"] = BaselineComponent;
        }

        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var header = new UpliftFile(
            ModelArchive.FileFormat,
            1,
            Kind,
            Learner,
            Options.Seed,
            Propensity,
            Options.Propensity,
            BinaryOutcome,
            Options.Trees,
            Options.CrossFitFolds,
            Encoder.ToState(),
            [.. components.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new ComponentFile(c.Key, c.Value.Kind, c.Value.Value, c.Value.Width))]);
        ModelArchive.WriteHeader(zip, header);
        foreach (var (name, component) in components.Where(c => c.Value.Kind != UpliftComponentKind.Constant))
        {
            ModelArchive.WriteEntry(zip, ComponentEntry(name), component.Save);
        }
    }

    /// <summary>Reads a model written by <see cref="Save"/>; with <paramref name="expected"/>, refuses a model trained on other features.</summary>
    /// <exception cref="InvalidDataException">The stream is not a PromoPilot uplift model.</exception>
    /// <exception cref="ModelSchemaException">The model's features differ from <paramref name="expected"/>.</exception>
    public static UpliftModel Load(Stream stream, IReadOnlyList<ModelFeature>? expected = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using (var zip = ModelArchive.OpenRead(stream))
        {
            var header = ModelArchive.ReadHeader<UpliftFile>(zip);
            if (header.Format != ModelArchive.FileFormat || header.Kind != Kind)
            {
                throw new InvalidDataException($"not a PromoPilot uplift model (format '{header.Format}', kind '{header.Kind}').");
            }

            if (header.FormatVersion != 1)
            {
                throw new InvalidDataException($"uplift model format version {header.FormatVersion} is not supported (this build reads version 1).");
            }

            var encoder = FeatureEncoder.FromState(header.Encoder);
            if (expected is not null)
            {
                ModelSchema.Check($"uplift model ({header.Learner}-learner)", encoder.Schema, expected);
            }

            var ml = new MLContext(header.Seed);
            var components = new Dictionary<string, UpliftComponent>(StringComparer.Ordinal);
            foreach (var c in header.Components)
            {
                if (c.Kind == UpliftComponentKind.Constant)
                {
                    components[c.Name] = UpliftComponent.Constant(ml, c.Constant, c.Width);
                    continue;
                }

                using var buffer = ModelArchive.ReadEntry(zip, ComponentEntry(c.Name), $"uplift model file lacks its base model '{c.Name}'.");
                components[c.Name] = new UpliftComponent(ml, c.Kind, ml.Model.Load(buffer, out _), 0, c.Width);
            }

            string[] needed = header.Learner switch
            {
                UpliftLearner.S => ["f"],
                UpliftLearner.T => ["mu1", "mu0"],
                UpliftLearner.X => ["mu0", "tau0", "tau1"],
                UpliftLearner.ClassTransformation when header.BinaryOutcome => ["z", "mu0"],
                _ => ["tau", "mu0"],
            };
            foreach (var name in needed.Where(n => !components.ContainsKey(n)))
            {
                throw new InvalidDataException($"uplift model file ({header.Learner}-learner) lacks its base model '{name}'.");
            }

            var options = new UpliftOptions { Learner = header.Learner, Seed = header.Seed, Propensity = header.PropensitySetting, Trees = header.Trees, CrossFitFolds = header.CrossFitFolds };
            return new UpliftModel(header.Learner, encoder, components, null, header.Propensity, header.BinaryOutcome, options);
        }
    }

    private static string ComponentEntry(string name) => $"mlnet-{name}.zip";

    private sealed record UpliftFile(
        string Format,
        int FormatVersion,
        string Kind,
        UpliftLearner Learner,
        int Seed,
        double Propensity,
        double? PropensitySetting,
        bool BinaryOutcome,
        GbmOptions Trees,
        int CrossFitFolds,
        EncoderState Encoder,
        IReadOnlyList<ComponentFile> Components);

    private sealed record ComponentFile(string Name, UpliftComponentKind Kind, double Constant, int Width);
}
