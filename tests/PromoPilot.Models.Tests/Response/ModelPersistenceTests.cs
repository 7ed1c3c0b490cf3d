using PromoPilot.Core.Modeling;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Models.Response;
using PromoPilot.Storage.Models;

namespace PromoPilot.Models.Tests.Response;

public class ModelPersistenceTests
{
    private static readonly GbmOptions SmallTrees = new() { Iterations = 30, Leaves = 7, MinLeafRows = 20, EarlyStoppingRounds = 0 };

    [Theory]
    [InlineData(ResponseLearner.LightGbm, CalibrationMethod.Platt)]
    [InlineData(ResponseLearner.FastTree, CalibrationMethod.Isotonic)]
    [InlineData(ResponseLearner.Logistic, CalibrationMethod.None)]
    public void SaveLoad_RoundTrip_IdenticalPredictions(ResponseLearner learner, CalibrationMethod calibration)
    {
        var (features, labels) = Synthetic(1500, seed: 1);
        var model = ResponseTrainer.Fit(features, labels, new ResponseOptions { Learner = learner, Calibration = calibration, Trees = SmallTrees });
        using var stream = new MemoryStream();

        model.Save(stream);
        stream.Position = 0;
        var loaded = ResponseModel.Load(stream, model.Schema);

        var (fresh, _) = Synthetic(300, seed: 2);
        Assert.Equal(model.PredictProbabilities(fresh), loaded.PredictProbabilities(fresh));
        Assert.Equal(model.Schema, loaded.Schema);
        Assert.Equal(model.Reliability, loaded.Reliability);
        Assert.Equal(model.Contributions(fresh).SelectMany(c => c), loaded.Contributions(fresh).SelectMany(c => c));
    }

    [Fact]
    public void CreateScorer_OneRowAtATimeAndParallelBatch_EqualTheBatchPredictions()
    {
        var (features, labels) = Synthetic(1500, seed: 6);
        var model = ResponseTrainer.Fit(features, labels, new ResponseOptions { Trees = SmallTrees });
        var (fresh, _) = Synthetic(400, seed: 7);
        var batch = model.PredictProbabilities(fresh);
        var scorer = model.CreateScorer();

        var single = model.Encoder.Encode(fresh).Select(scorer.Probability).ToArray();

        Assert.Equal(batch, single);
        Assert.Equal(batch, model.PredictProbabilities(fresh, threads: 3));
        Assert.Throws<ArgumentException>(() => scorer.Probability(new float[model.Encoder.Width + 1]));
    }

    [Fact]
    public void Load_OtherSchema_RefusedNamingEachDifference()
    {
        var (features, labels) = Synthetic(800, seed: 3);
        var model = ResponseTrainer.Fit(features, labels, new ResponseOptions { Trees = SmallTrees });
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;

        var error = Assert.Throws<ModelSchemaException>(() => ResponseModel.Load(stream, [new ModelFeature("x", false), new ModelFeature("color", false), new ModelFeature("age", false)]));

        Assert.Contains("'color' is numeric, the model was trained with it categorical", error.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected 'age'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAModelFile_ClearError()
    {
        using var stream = new MemoryStream("recency,visit\n1,0\n"u8.ToArray());

        var error = Assert.Throws<InvalidDataException>(() => ResponseModel.Load(stream));
        Assert.Contains("not a PromoPilot model file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_RegisterTwiceAndOpen_VersionsMetadataAndIdenticalPredictions()
    {
        using var store = new TestStore();
        var clock = new SteppedClock(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        var registry = new ModelRegistry(store.Store, clock);
        var (features, labels) = Synthetic(1000, seed: 4);
        var model = ResponseTrainer.Fit(features, labels, new ResponseOptions { Trees = SmallTrees, Seed = 7 });
        var metadata = new ModelMetadata("coupon-response", "response", "lightgbm", model.Schema, "synthetic seed 4",
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 6, 30, 0, 0, 0, TimeSpan.Zero),
            new Dictionary<string, string> { ["leaves"] = "7" }, new Dictionary<string, double> { ["auc"] = 0.81 }, 7);

        var first = registry.Register(metadata, model.Save);
        clock.Now += TimeSpan.FromHours(1);
        var second = registry.Register(metadata, model.Save);

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.Zero), second.CreatedAt);
        Assert.Equal(2, registry.List("coupon-response").Count);
        var found = registry.Find("coupon-response");
        Assert.Equal(2, found.Version);
        Assert.Equal(0.81, found.Metrics["auc"]);
        Assert.Equal(model.Schema, found.Features);
        Assert.Equal(metadata.DataTo, found.DataTo);
        Assert.True(File.Exists(Path.Combine(store.Folder, "models", "coupon-response", "v2.model")));

        using var stream = registry.Open("coupon-response", 1, model.Schema, out var opened);
        var loaded = ResponseModel.Load(stream, opened.Features);
        Assert.Equal(1, opened.Version);
        Assert.Equal(model.PredictProbabilities(features), loaded.PredictProbabilities(features));
    }

    [Fact]
    public void Registry_OpenWithOtherSchemaOrUnknownName_ClearErrors()
    {
        using var store = new TestStore();
        var registry = new ModelRegistry(store.Store, TimeProvider.System);
        var (features, labels) = Synthetic(600, seed: 5);
        var model = ResponseTrainer.Fit(features, labels, new ResponseOptions { Trees = SmallTrees });
        registry.Register(new ModelMetadata("m", "response", "lightgbm", model.Schema, "synthetic", null, null, new Dictionary<string, string>(), new Dictionary<string, double>(), 42), model.Save);

        var schema = Assert.Throws<ModelSchemaException>(() => registry.Open("m", null, [new ModelFeature("x", false)], out _));
        Assert.Equal("model 'm' v1 was trained on another feature schema: missing 'color'.", schema.Message);
        var unknown = Assert.Throws<KeyNotFoundException>(() => registry.Find("other"));
        Assert.Contains("no model named 'other' in the registry (models: m)", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => registry.Find("m", 9));
    }

    private static (FeatureTable Features, bool[] Labels) Synthetic(int n, int seed)
    {
        var random = new Random(seed);
        var x = new double[n];
        var color = new string?[n];
        var labels = new bool[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = random.NextDouble() < 0.05 ? double.NaN : (random.NextDouble() * 4) - 2;
            color[i] = random.Next(3) switch { 0 => "red", 1 => "blue", _ => null };
            var z = (double.IsNaN(x[i]) ? 0 : 1.5 * x[i]) + (color[i] == "red" ? 1 : 0);
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z));
        }

        return (new FeatureTable([FeatureColumn.Numeric("x", x), FeatureColumn.Categorical("color", color)]), labels);
    }

    private sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
