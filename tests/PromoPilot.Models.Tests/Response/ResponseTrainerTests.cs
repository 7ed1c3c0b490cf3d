using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Response;

namespace PromoPilot.Models.Tests.Response;

public class ResponseTrainerTests
{
    [Theory]
    [InlineData(ResponseLearner.LightGbm, CalibrationMethod.Platt)]
    [InlineData(ResponseLearner.FastTree, CalibrationMethod.Isotonic)]
    [InlineData(ResponseLearner.Logistic, CalibrationMethod.None)]
    public void Fit_SyntheticSignal_RanksHeldOutRowsWell(ResponseLearner learner, CalibrationMethod calibration)
    {
        var (features, labels, truth) = Synthetic(3000, seed: 1);
        var split = StratifiedSplit.Split([.. labels.Select(l => l ? 1 : 0)], 0.3, 5);
        var model = ResponseTrainer.Fit(features.Take(split.Train), [.. split.Train.Select(i => labels[i])], new ResponseOptions
        {
            Learner = learner,
            Calibration = calibration,
            Trees = new GbmOptions { Iterations = 100, Leaves = 8 },
        });
        var p = model.PredictProbabilities(features.Take(split.Test));
        bool[] y = [.. split.Test.Select(i => labels[i])];
        var bestPossible = ClassificationMetrics.Auc(y, [.. split.Test.Select(i => truth[i])]);
        Assert.All(p, v => Assert.InRange(v, 0, 1));
        Assert.True(ClassificationMetrics.Auc(y, p) > bestPossible - 0.05, $"AUC {ClassificationMetrics.Auc(y, p)} vs best possible {bestPossible}");
        Assert.NotEmpty(model.Reliability);
        Assert.Equal(p, model.PredictProbabilities(features.Take(split.Test)));
    }

    [Fact]
    public void Fit_LabelNeverVaries_NamesTheLabel()
    {
        var (features, labels, _) = Synthetic(200, seed: 2);
        var error = Assert.Throws<ArgumentException>(() => ResponseTrainer.Fit(features, [.. labels.Select(_ => true)], labelName: "accepted"));
        Assert.Contains("'accepted' never varies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_FeatureMissingEverywhere_NamesTheFeature()
    {
        var (features, labels, _) = Synthetic(200, seed: 3);
        var broken = features.With(FeatureColumn.Numeric("income", [.. Enumerable.Repeat(double.NaN, 200)]));
        var error = Assert.Throws<ArgumentException>(() => ResponseTrainer.Fit(broken, labels));
        Assert.Contains("'income' is missing in every row", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlattCalibrator_LogisticData_RecoversSlopeAndIntercept()
    {
        var random = new Random(4);
        var scores = new double[20000];
        var labels = new bool[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = random.NextDouble() * 6 - 3;
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-(2 * scores[i] - 0.5)));
        }

        var platt = PlattCalibrator.Fit(scores, labels);
        Assert.Equal(-2, platt.A, 0.15);
        Assert.Equal(0.5, platt.B, 0.1);
    }

    [Fact]
    public void IsotonicCalibrator_Violations_PoolsAdjacentBlocks()
    {
        var iso = IsotonicCalibrator.Fit([1, 2, 3, 4], [true, false, true, true]);
        Assert.Equal([1.5, 3.5], iso.Scores);
        Assert.Equal([0.5, 1.0], iso.Probabilities);
        Assert.Equal(0.75, iso.Probability(2.5), 12);
    }

    [Fact]
    public void ReliabilityTable_KnownRows_BinsMeansAndRates()
    {
        var table = ReliabilityTable.Build([true, false, true, true], [0.05, 0.15, 0.95, 1.0], bins: 10);
        Assert.Equal(3, table.Count);
        Assert.Equal((2, 0.975, 1.0), (table[2].Count, table[2].MeanPredicted, table[2].ObservedRate));
        Assert.Equal(0.0, table[1].ObservedRate);
    }

    [Theory]
    [InlineData(0.25, 42, new[] { 4, 10, 12, 15, 17, 20, 21, 29 })]
    [InlineData(0.3, 7, new[] { 1, 9, 10, 11, 14, 15, 16, 18, 19 })]
    public void StratifiedSplit_SmallStrata_MatchesPythonReimplementation(double fraction, int seed, int[] expectedTest)
    {
        // Values from bench/response/reference_xgboost.py's split() on strata [i % 3 == 0 for i in range(30)].
        var (train, test) = StratifiedSplit.Split([.. Enumerable.Range(0, 30).Select(i => i % 3 == 0 ? 1 : 0)], fraction, seed);
        Assert.Equal(expectedTest, test);
        Assert.Equal(30, train.Length + test.Length);
        Assert.Equal(7672895217385527946UL, StratifiedSplit.Key(42, 5));
    }

    /// <summary>Two numbers (one 10% missing), one category with an interaction; truth = the generating probability.</summary>
    private static (FeatureTable Features, bool[] Labels, double[] Truth) Synthetic(int n, int seed)
    {
        var random = new Random(seed);
        var a = new double[n];
        var b = new double[n];
        var c = new string?[n];
        var labels = new bool[n];
        var truth = new double[n];
        string[] levels = ["red", "green", "blue"];
        for (var i = 0; i < n; i++)
        {
            a[i] = random.NextDouble() * 4 - 2;
            b[i] = random.NextDouble() * 4 - 2;
            c[i] = random.NextDouble() < 0.05 ? null : levels[random.Next(3)];
            var z = 1.5 * a[i] + (c[i] == "red" ? 1.5 : -0.5) * b[i];
            truth[i] = 1 / (1 + Math.Exp(-z));
            labels[i] = random.NextDouble() < truth[i];
            if (random.NextDouble() < 0.1)
            {
                b[i] = double.NaN;
            }
        }

        return (new FeatureTable([FeatureColumn.Numeric("a", a), FeatureColumn.Numeric("b", b), FeatureColumn.Categorical("c", c)]), labels, truth);
    }
}
