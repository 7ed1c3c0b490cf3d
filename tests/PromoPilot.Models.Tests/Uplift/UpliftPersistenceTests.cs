using PromoPilot.Core.Modeling;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Models.Response;
using PromoPilot.Models.Uplift;
using PromoPilot.Storage.Models;

namespace PromoPilot.Models.Tests.Uplift;

public class UpliftPersistenceTests
{
    private static readonly GbmOptions SmallTrees = new() { Iterations = 30, Leaves = 4, MinLeafRows = 50, LearningRate = 0.1, EarlyStoppingRounds = 0 };

    [Theory]
    [InlineData(UpliftLearner.S, true)]
    [InlineData(UpliftLearner.T, true)]
    [InlineData(UpliftLearner.X, true)]
    [InlineData(UpliftLearner.DoublyRobust, true)]
    [InlineData(UpliftLearner.ClassTransformation, true)]
    [InlineData(UpliftLearner.T, false)]
    [InlineData(UpliftLearner.ClassTransformation, false)]
    public void SaveLoad_EachLearner_IdenticalUpliftAndArms(UpliftLearner learner, bool binary)
    {
        var (features, t, y) = Synthetic(3000, seed: 31, binary);
        var model = UpliftTrainer.Fit(features, t, y, new UpliftOptions { Learner = learner, Trees = SmallTrees, Seed = 3 });
        using var stream = new MemoryStream();

        model.Save(stream);
        stream.Position = 0;
        var loaded = UpliftModel.Load(stream, model.Schema);

        var (fresh, _, _) = Synthetic(500, seed: 32, binary);
        var uplift = model.PredictUplift(fresh);
        Assert.True(uplift.Distinct().Count() > 2, "the uplift should vary");
        Assert.Equal(uplift, loaded.PredictUplift(fresh));
        var (control, treated) = model.PredictArms(fresh);
        var (loadedControl, loadedTreated) = loaded.PredictArms(fresh);
        Assert.Equal(control, loadedControl);
        Assert.Equal(treated, loadedTreated);
        Assert.Equal(learner, loaded.Learner);
        Assert.Equal(model.Propensity, loaded.Propensity);
        Assert.Equal(binary, loaded.BinaryOutcome);
        Assert.Equal(3, loaded.Options.Seed);
        Assert.Equal(SmallTrees, loaded.Options.Trees);
    }

    [Fact]
    public void SaveLoad_ArmWhoseOutcomeNeverVaries_KeepsTheConstant()
    {
        var (features, t, y) = Synthetic(2000, seed: 33, binary: true);
        double[] controlNever = [.. y.Select((v, i) => t[i] ? v : 0)];
        var model = UpliftTrainer.Fit(features, t, controlNever, new UpliftOptions { Learner = UpliftLearner.T, Trees = SmallTrees });
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;

        var loaded = UpliftModel.Load(stream);

        Assert.All(loaded.PredictArms(features).Control, c => Assert.Equal(0, c));
        Assert.Equal(model.PredictUplift(features), loaded.PredictUplift(features));
    }

    [Fact]
    public void Load_OtherSchema_RefusedNamingEachDifference()
    {
        var (features, t, y) = Synthetic(1500, seed: 34, binary: true);
        var model = UpliftTrainer.Fit(features, t, y, new UpliftOptions { Learner = UpliftLearner.T, Trees = SmallTrees });
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;

        var error = Assert.Throws<ModelSchemaException>(() => UpliftModel.Load(stream, [new ModelFeature("x", false), new ModelFeature("noise", false), new ModelFeature("age", false)]));

        Assert.Equal("uplift model (T-learner) was trained on another feature schema: 'noise' is numeric, the model was trained with it categorical; unexpected 'age'.", error.Message);
    }

    [Fact]
    public void Load_ResponseModelFileOrNotAModel_ClearErrors()
    {
        var (features, t, _) = Synthetic(800, seed: 35, binary: true);
        var response = ResponseTrainer.Fit(features, t, new ResponseOptions { Trees = SmallTrees });
        using var stream = new MemoryStream();
        response.Save(stream);
        stream.Position = 0;

        var wrongKind = Assert.Throws<InvalidDataException>(() => UpliftModel.Load(stream));
        var notZip = Assert.Throws<InvalidDataException>(() => UpliftModel.Load(new MemoryStream("segment,visit\n"u8.ToArray())));

        Assert.Equal("not a PromoPilot uplift model (format 'promopilot-model', kind 'response').", wrongKind.Message);
        Assert.Contains("not a PromoPilot model file", notZip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UpliftFileAsResponseModel_ClearError()
    {
        var (features, t, y) = Synthetic(800, seed: 36, binary: true);
        var model = UpliftTrainer.Fit(features, t, y, new UpliftOptions { Learner = UpliftLearner.S, Trees = SmallTrees });
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;

        var error = Assert.Throws<InvalidDataException>(() => ResponseModel.Load(stream));

        Assert.Contains("kind 'uplift'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_RegisterAndOpen_MetadataKeptAndIdenticalPredictions_OtherSchemaRefused()
    {
        using var store = new TestStore();
        var registry = new ModelRegistry(store.Store, TimeProvider.System);
        var (features, t, y) = Synthetic(2000, seed: 37, binary: true);
        var model = UpliftTrainer.Fit(features, t, y, new UpliftOptions { Learner = UpliftLearner.X, Trees = SmallTrees, Seed = 5 });
        var metadata = new ModelMetadata("email-uplift", "uplift", "x", model.Schema, "synthetic seed 37",
            new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 30, 0, 0, 0, TimeSpan.Zero),
            new Dictionary<string, string> { ["leaves"] = "4" }, new Dictionary<string, double> { ["qini"] = 0.05 }, 5);

        var registered = registry.Register(metadata, model.Save);
        using var file = registry.Open("email-uplift", null, model.Schema, out var opened);
        var loaded = UpliftModel.Load(file, opened.Features);

        Assert.Equal(1, registered.Version);
        Assert.Equal("uplift", opened.Kind);
        Assert.Equal(0.05, opened.Metrics["qini"]);
        Assert.Equal(metadata.DataFrom, opened.DataFrom);
        Assert.Equal(model.PredictUplift(features), loaded.PredictUplift(features));
        var error = Assert.Throws<ModelSchemaException>(() => registry.Open("email-uplift", 1, [new ModelFeature("x", false)], out _));
        Assert.Equal("model 'email-uplift' v1 was trained on another feature schema: missing 'noise'.", error.Message);
    }

    /// <summary>Randomized data: base rate 0.2 (or mean 5), effect +0.3 (or +3) only where x &gt; 0; a noise category.</summary>
    private static (FeatureTable Features, bool[] Treatment, double[] Outcome) Synthetic(int n, int seed, bool binary)
    {
        var random = new Random(seed);
        var x = new double[n];
        var noise = new string?[n];
        var t = new bool[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = random.NextDouble() < 0.05 ? double.NaN : random.NextDouble() * 2 - 1;
            noise[i] = random.NextDouble() < 0.5 ? "a" : "b";
            t[i] = random.NextDouble() < 0.5;
            var effect = x[i] > 0 ? (binary ? 0.3 : 3) : 0;
            y[i] = binary
                ? (random.NextDouble() < 0.2 + (t[i] ? effect : 0) ? 1 : 0)
                : 5 + (t[i] ? effect : 0) + (random.NextDouble() - 0.5) * 4;
        }

        return (new FeatureTable([FeatureColumn.Numeric("x", x), FeatureColumn.Categorical("noise", noise)]), t, y);
    }
}
