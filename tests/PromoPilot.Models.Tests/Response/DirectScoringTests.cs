using System.Globalization;
using PromoPilot.Ingestion.Reading;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Response;

namespace PromoPilot.Models.Tests.Response;

/// <summary>The direct tree evaluator against ML.NET's own scoring, and the field-aware factorization machine.</summary>
public class DirectScoringTests
{
    [Theory]
    [InlineData(ResponseLearner.LightGbm, CalibrationMethod.Platt, 1)]
    [InlineData(ResponseLearner.LightGbm, CalibrationMethod.None, 2)]
    [InlineData(ResponseLearner.LightGbm, CalibrationMethod.Isotonic, 3)]
    [InlineData(ResponseLearner.FastTree, CalibrationMethod.Platt, 4)]
    [InlineData(ResponseLearner.FastTree, CalibrationMethod.None, 5)]
    public void PredictProbabilities_TreeModelsWithMissingValues_EqualMlNetToE9(ResponseLearner learner, CalibrationMethod calibration, int seed)
    {
        var (train, labels) = Synthetic(3000, seed);
        var model = ResponseTrainer.Fit(train, labels, new ResponseOptions
        {
            Learner = learner,
            Calibration = calibration,
            Trees = new GbmOptions { Iterations = 120, Leaves = 15, MinLeafRows = 10, EarlyStoppingRounds = 0 },
        });
        var (test, _) = Synthetic(2000, seed + 100);

        var direct = model.PredictProbabilities(test);
        var reference = model.PredictProbabilitiesMlNet(test);

        Assert.True(model.ScoresDirectly);
        Assert.Equal(reference.Length, direct.Length);
        Assert.True(direct.Distinct().Count() > 50, "the probabilities should vary");
        for (var i = 0; i < direct.Length; i++)
        {
            Assert.True(Math.Abs(direct[i] - reference[i]) <= 1e-9, $"row {i}: direct {direct[i]:R}, ML.NET {reference[i]:R}");
        }

        Assert.Equal(direct, model.PredictProbabilities(test, threads: 2));
        var scorer = model.CreateScorer();
        Assert.Equal(direct, model.Encoder.Encode(test).Select(scorer.Probability));
    }

    /// <summary>
    /// Fit scores the validation rows (early stopping's and calibration's split: 15 %, stratified, seed + 1) with the
    /// direct evaluator; the reliability table it reports equals the one built from ML.NET's own scoring of the same rows.
    /// </summary>
    [Theory]
    [InlineData(ResponseLearner.LightGbm, CalibrationMethod.Platt, 11)]
    [InlineData(ResponseLearner.LightGbm, CalibrationMethod.None, 12)]
    [InlineData(ResponseLearner.FastTree, CalibrationMethod.Isotonic, 13)]
    public void Fit_TreeModels_ReliabilityFromDirectScoresEqualsMlNet(ResponseLearner learner, CalibrationMethod calibration, int seed)
    {
        var (train, labels) = Synthetic(3000, seed);
        var options = new ResponseOptions
        {
            Learner = learner,
            Calibration = calibration,
            Seed = seed,
            Trees = new GbmOptions { Iterations = 80, Leaves = 15, MinLeafRows = 10 },
        };
        var model = ResponseTrainer.Fit(train, labels, options);
        var (_, validRows) = StratifiedSplit.Split([.. labels.Select(l => l ? 1 : 0)], options.ValidationFraction, seed + 1);

        var reference = ReliabilityTable.Build([.. validRows.Select(i => labels[i])], model.PredictProbabilitiesMlNet(train.Take(validRows)));

        Assert.True(model.ScoresDirectly);
        Assert.True(reference.Count >= 3, "the validation probabilities should spread over several bins");
        Assert.Equal(reference.Select(b => (b.Lower, b.Count)), model.Reliability.Select(b => (b.Lower, b.Count)));
        Assert.All(reference.Zip(model.Reliability), p => Assert.True(Math.Abs(p.First.MeanPredicted - p.Second.MeanPredicted) <= 1e-9, $"bin {p.First.Lower}: {p.First.MeanPredicted:R} vs {p.Second.MeanPredicted:R}"));
    }

    [Fact]
    public void PredictProbabilities_LogisticAndFfm_KeepMlNetScoring()
    {
        var (train, labels) = Synthetic(1500, 7);
        var logistic = ResponseTrainer.Fit(train, labels, new ResponseOptions { Learner = ResponseLearner.Logistic });
        var ffm = ResponseTrainer.Fit(train, labels, new ResponseOptions { Learner = ResponseLearner.Ffm, Ffm = new FfmOptions { Iterations = 5 } });

        Assert.False(logistic.ScoresDirectly);
        Assert.False(ffm.ScoresDirectly);
        Assert.Equal(logistic.PredictProbabilitiesMlNet(train), logistic.PredictProbabilities(train));
    }

    /// <summary>
    /// in_vehicle_coupon with the benchmark's settings (80/20 split stratified, seed 42; LightGBM 127 leaves, early
    /// stopping): on the 2,537 test rows the direct evaluator equals ML.NET to 1e-9.
    /// </summary>
    [DatasetFact("in_vehicle_coupon")]
    public void PredictProbabilities_InVehicleCouponTestSplit_EqualMlNetToE9()
    {
        var (features, labels) = InVehicleCoupon();
        var split = StratifiedSplit.Split([.. labels.Select(l => l ? 1 : 0)], 0.2, 42);
        var model = ResponseTrainer.Fit(features.Take(split.Train), [.. split.Train.Select(i => labels[i])], new ResponseOptions
        {
            Trees = new GbmOptions { Leaves = 127, MinLeafRows = 10 },
        });
        var test = features.Take(split.Test);

        var direct = model.PredictProbabilities(test);
        var reference = model.PredictProbabilitiesMlNet(test);

        Assert.Equal(2537, direct.Length);
        Assert.True(direct.Zip(reference).Max(p => Math.Abs(p.First - p.Second)) <= 1e-9);
        Assert.True(ClassificationMetrics.Auc([.. split.Test.Select(i => labels[i])], direct) > 0.8);
    }

    /// <summary>
    /// A pure interaction (the label depends on a × sign chosen by the category) that a linear model cannot see and a
    /// factorization machine can: the FFM ranks held-out rows well above the logistic baseline.
    /// </summary>
    [Fact]
    public void Fit_Ffm_LearnsAnInteractionTheLogisticBaselineMisses()
    {
        var (train, labels) = Interaction(4000, 21);
        var (test, testLabels) = Interaction(2000, 22);
        var ffm = ResponseTrainer.Fit(train, labels, new ResponseOptions { Learner = ResponseLearner.Ffm });
        var logistic = ResponseTrainer.Fit(train, labels, new ResponseOptions { Learner = ResponseLearner.Logistic });

        var ffmAuc = ClassificationMetrics.Auc(testLabels, ffm.PredictProbabilities(test));
        var logisticAuc = ClassificationMetrics.Auc(testLabels, logistic.PredictProbabilities(test));

        Assert.True(ffmAuc > 0.75, $"FFM AUC {ffmAuc:F3}");
        Assert.True(ffmAuc > logisticAuc + 0.15, $"FFM AUC {ffmAuc:F3} vs logistic {logisticAuc:F3}");
        Assert.All(ffm.PredictProbabilities(test), p => Assert.InRange(p, 0, 1));
    }

    [Fact]
    public void SaveLoad_Ffm_IdenticalPredictionsAndSchemaChecked()
    {
        var (train, labels) = Synthetic(1500, 8);
        var model = ResponseTrainer.Fit(train, labels, new ResponseOptions { Learner = ResponseLearner.Ffm, Ffm = new FfmOptions { Iterations = 5 } });
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;

        var loaded = ResponseModel.Load(stream, model.Schema);
        var (fresh, _) = Synthetic(300, 9);

        Assert.Equal(model.PredictProbabilities(fresh), loaded.PredictProbabilities(fresh));
        var scorer = loaded.CreateScorer();
        Assert.Equal(loaded.PredictProbabilities(fresh).Take(20), loaded.Encoder.Encode(fresh).Take(20).Select(scorer.Probability));
        stream.Position = 0;
        Assert.Throws<PromoPilot.Core.Modeling.ModelSchemaException>(() => ResponseModel.Load(stream, [new("a", false)]));
    }

    [Fact]
    public void Fit_FfmBadSettings_NamesTheParameter()
    {
        var (train, labels) = Synthetic(300, 10);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ResponseTrainer.Fit(train, labels, new ResponseOptions { Learner = ResponseLearner.Ffm, Ffm = new FfmOptions { LatentDimension = 0 } }));
        Assert.Equal("LatentDimension", error.ParamName);
    }

    private static (FeatureTable Features, bool[] Labels) Synthetic(int n, int seed)
    {
        var random = new Random(seed);
        var a = new double[n];
        var b = new double[n];
        var c = new string?[n];
        var labels = new bool[n];
        string[] levels = ["red", "green", "blue", "grey"];
        for (var i = 0; i < n; i++)
        {
            a[i] = random.NextDouble() < 0.08 ? double.NaN : random.NextDouble() * 4 - 2;
            b[i] = random.NextDouble() < 0.15 ? double.NaN : Math.Round(random.NextDouble() * 10) / 2;
            c[i] = random.NextDouble() < 0.05 ? null : levels[random.Next(levels.Length)];
            var z = (double.IsNaN(a[i]) ? 0.8 : 1.2 * a[i]) + (c[i] == "red" ? 1 : -0.3) * (double.IsNaN(b[i]) ? -1 : b[i] - 2.5) * 0.5;
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z));
        }

        return (new FeatureTable([FeatureColumn.Numeric("a", a), FeatureColumn.Numeric("b", b), FeatureColumn.Categorical("c", c)]), labels);
    }

    private static (FeatureTable Features, bool[] Labels) Interaction(int n, int seed)
    {
        var random = new Random(seed);
        var a = new string?[n];
        var c = new string?[n];
        var labels = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var x = random.Next(6);
            var k = random.Next(2);
            a[i] = $"a{x}";
            c[i] = k == 0 ? "left" : "right";
            var z = (x < 3 ? 2.0 : -2.0) * (k == 0 ? 1 : -1);
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z));
        }

        return (new FeatureTable([FeatureColumn.Categorical("a", a), FeatureColumn.Categorical("c", c)]), labels);
    }

    /// <summary>Every column but the label Y: numeric where every present value parses, else categorical.</summary>
    private static (FeatureTable Features, bool[] Labels) InVehicleCoupon()
    {
        using var reader = CsvReader.Open(SharedData.Path("in_vehicle_coupon", "in-vehicle-coupon-recommendation.csv.gz"));
        var header = reader.Header.ToList();
        var values = header.Select(_ => new List<string>()).ToArray();
        while (reader.Read())
        {
            for (var j = 0; j < header.Count; j++)
            {
                values[j].Add(reader.FieldString(j));
            }
        }

        var label = header.IndexOf("Y");
        var columns = new List<FeatureColumn>();
        for (var j = 0; j < header.Count; j++)
        {
            if (j == label)
            {
                continue;
            }

            var numeric = values[j].All(v => v.Length == 0 || double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            columns.Add(numeric
                ? FeatureColumn.Numeric(header[j], [.. values[j].Select(v => v.Length == 0 ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture))])
                : FeatureColumn.Categorical(header[j], [.. values[j].Select(v => v.Length == 0 ? null : v)]));
        }

        return (new FeatureTable(columns), [.. values[label].Select(v => v == "1")]);
    }
}
