using Microsoft.ML;
using PromoPilot.Models.Response;

namespace PromoPilot.Models.Uplift;

/// <summary>The uplift (conditional average treatment effect) estimator.</summary>
public enum UpliftLearner
{
    /// <summary>S-learner: one model of the outcome with the treatment flag as a feature; uplift = f(x, 1) - f(x, 0).</summary>
    S,

    /// <summary>T-learner: one outcome model per arm; uplift = mu1(x) - mu0(x).</summary>
    T,

    /// <summary>
    /// X-learner (Künzel, Sekhon, Bickel &amp; Yu 2019, PNAS 116(10)): imputed effects D1 = y - mu0(x) on the treated,
    /// D0 = mu1(x) - y on the control rows, one regression each, blended as e·tau0(x) + (1 - e)·tau1(x).
    /// </summary>
    X,

    /// <summary>
    /// DR-learner (Kennedy 2020, "Towards optimal doubly robust estimation of heterogeneous causal effects"):
    /// cross-fitted outcome models give the doubly robust pseudo-outcome
    /// mu1 - mu0 + t(y - mu1)/e - (1 - t)(y - mu0)/(1 - e), regressed on x.
    /// </summary>
    DoublyRobust,

    /// <summary>
    /// Class transformation (Jaskowski &amp; Jaroszewicz 2012): for a 0/1 outcome, z = 1 when (t=1, y=1) or (t=0, y=0),
    /// rows weighted to balance the arms, uplift = 2 P(z = 1 | x) - 1; for a numeric outcome the transformed outcome
    /// y (t - e) / (e (1 - e)) (Athey &amp; Imbens 2016) is regressed on x.
    /// </summary>
    ClassTransformation,
}

/// <summary>Settings of an uplift model.</summary>
public sealed record UpliftOptions
{
    public UpliftLearner Learner { get; init; } = UpliftLearner.T;

    /// <summary>LightGBM base learners, kept small: 100 rounds of 15-leaf trees, at least 100 rows a leaf, no early stopping.</summary>
    public GbmOptions Trees { get; init; } = new() { Iterations = 100, Leaves = 15, MinLeafRows = 100, LearningRate = 0.05, EarlyStoppingRounds = 0 };

    /// <summary>
    /// The probability of treatment in a randomized experiment. Null (default): the treated share of the training
    /// rows, which handles any fixed split (e.g. 2/3 treated); used by the X-, DR- and class-transformation learners.
    /// </summary>
    public double? Propensity { get; init; }

    /// <summary>Folds of the DR-learner's cross-fitting. Default 2.</summary>
    public int CrossFitFolds { get; init; } = 2;

    /// <summary>Seed of the learners and of the cross-fitting folds. Default 0.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// Fits uplift models on randomized campaign data (one treatment against control) with LightGBM base learners.
/// A 0/1 outcome uses classifiers (probabilities), any other outcome regressors.
/// </summary>
public static class UpliftTrainer
{
    /// <exception cref="ArgumentException">
    /// One arm only, an outcome that never varies, a feature missing in every row, lengths that differ, or a
    /// propensity outside (0, 1); the message names the column.
    /// </exception>
    public static UpliftModel Fit(
        FeatureTable features,
        IReadOnlyList<bool> treatment,
        IReadOnlyList<double> outcome,
        UpliftOptions? options = null,
        string treatmentName = "treatment",
        string outcomeName = "outcome")
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(outcome);
        options ??= new UpliftOptions();
        options.Trees.Validate();
        Evaluation.ModelArgs.Positive(options.CrossFitFolds, nameof(options.CrossFitFolds));
        if (treatment.Count != features.RowCount || outcome.Count != features.RowCount)
        {
            throw new ArgumentException($"{features.RowCount} rows, {treatment.Count} treatment flags, {outcome.Count} outcomes.", nameof(outcome));
        }

        var treated = treatment.Count(t => t);
        if (treated == 0 || treated == treatment.Count)
        {
            throw new ArgumentException($"treatment column '{treatmentName}' has one arm only (every row {(treated == 0 ? "control" : "treated")}): uplift needs both.", nameof(treatment));
        }

        if (outcome.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException($"outcome '{outcomeName}' has a missing or infinite value.", nameof(outcome));
        }

        if (outcome.All(v => v == outcome[0]))
        {
            throw new ArgumentException($"outcome '{outcomeName}' never varies (always {outcome[0]}): there is no effect to learn.", nameof(outcome));
        }

        var e = options.Propensity ?? (double)treated / treatment.Count;
        if (!(e > 0 && e < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), e, "Propensity must be in (0, 1).");
        }

        var binary = outcome.All(v => v is 0 or 1);
        var encoder = FeatureEncoder.Fit(features, MissingHandling.Native);
        var x = encoder.Encode(features);
        var fit = new BaseLearners(new MLContext(options.Seed), options.Trees, options.Seed);
        var t = treatment.ToArray();
        var y = outcome.ToArray();
        int[] treatedRows = [.. Enumerable.Range(0, t.Length).Where(i => t[i])];
        int[] controlRows = [.. Enumerable.Range(0, t.Length).Where(i => !t[i])];

        var components = new Dictionary<string, UpliftComponent>(StringComparer.Ordinal);
        switch (options.Learner)
        {
            case UpliftLearner.S:
                components["f"] = fit.Outcome([.. x.Select((row, i) => Append(row, t[i] ? 1 : 0))], y, binary);
                break;

            case UpliftLearner.T:
                components["mu1"] = fit.Outcome(Rows(x, treatedRows), Values(y, treatedRows), binary);
                components["mu0"] = fit.Outcome(Rows(x, controlRows), Values(y, controlRows), binary);
                break;

            case UpliftLearner.X:
            {
                var mu1 = fit.Outcome(Rows(x, treatedRows), Values(y, treatedRows), binary);
                var mu0 = fit.Outcome(Rows(x, controlRows), Values(y, controlRows), binary);
                var d1 = Difference(Values(y, treatedRows), mu0.Predict(Rows(x, treatedRows)));
                var d0 = Difference(mu1.Predict(Rows(x, controlRows)), Values(y, controlRows));
                components["mu0"] = mu0;
                components["tau1"] = fit.Regression(Rows(x, treatedRows), d1);
                components["tau0"] = fit.Regression(Rows(x, controlRows), d0);
                break;
            }

            case UpliftLearner.DoublyRobust:
            {
                var pseudo = new double[t.Length];
                var folds = StratifiedFolds(t, y, options.CrossFitFolds, options.Seed);
                for (var k = 0; k < options.CrossFitFolds; k++)
                {
                    int[] holdout = [.. Enumerable.Range(0, t.Length).Where(i => folds[i] == k)];
                    if (holdout.Length == 0)
                    {
                        continue;
                    }

                    var rest = options.CrossFitFolds == 1 ? Enumerable.Range(0, t.Length).ToArray() : [.. Enumerable.Range(0, t.Length).Where(i => folds[i] != k)];
                    int[] restTreated = [.. rest.Where(i => t[i])];
                    int[] restControl = [.. rest.Where(i => !t[i])];
                    var mu1 = fit.Outcome(Rows(x, restTreated), Values(y, restTreated), binary).Predict(Rows(x, holdout));
                    var mu0 = fit.Outcome(Rows(x, restControl), Values(y, restControl), binary).Predict(Rows(x, holdout));
                    for (var j = 0; j < holdout.Length; j++)
                    {
                        var i = holdout[j];
                        pseudo[i] = mu1[j] - mu0[j] + (t[i] ? (y[i] - mu1[j]) / e : -(y[i] - mu0[j]) / (1 - e));
                    }
                }

                components["tau"] = fit.Regression(x, pseudo);
                break;
            }

            case UpliftLearner.ClassTransformation:
            {
                if (binary)
                {
                    bool[] z = [.. Enumerable.Range(0, t.Length).Select(i => t[i] == (y[i] == 1))];
                    float[] w = [.. t.Select(ti => (float)(ti ? 0.5 / e : 0.5 / (1 - e)))];
                    components["z"] = fit.Classifier(x, z, w);
                }
                else
                {
                    double[] transformed = [.. Enumerable.Range(0, t.Length).Select(i => y[i] * ((t[i] ? 1 : 0) - e) / (e * (1 - e)))];
                    components["tau"] = fit.Regression(x, transformed);
                }

                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Learner, "unknown learner.");
        }

        // DR and class transformation have no control-arm outcome model of their own: one is fitted when first asked
        // for (PredictArms, or Save, which stores it).
        var baseline = components.ContainsKey("mu0") || components.ContainsKey("f")
            ? null
            : new Lazy<UpliftComponent>(() => fit.Outcome(Rows(x, controlRows), Values(y, controlRows), binary));
        return new UpliftModel(options.Learner, encoder, components, baseline, e, binary, options);
    }

    private static float[] Append(float[] row, float value)
    {
        var longer = new float[row.Length + 1];
        row.CopyTo(longer, 0);
        longer[^1] = value;
        return longer;
    }

    private static float[][] Rows(float[][] x, int[] rows) => [.. rows.Select(i => x[i])];

    private static double[] Values(double[] y, int[] rows) => [.. rows.Select(i => y[i])];

    private static double[] Difference(double[] a, double[] b) => [.. a.Select((v, i) => v - b[i])];

    /// <summary>Fold of each row: rows ordered within each (arm, outcome &gt; 0) stratum by a seeded key, dealt round-robin.</summary>
    private static int[] StratifiedFolds(bool[] t, double[] y, int k, int seed)
    {
        var folds = new int[t.Length];
        foreach (var group in Enumerable.Range(0, t.Length).GroupBy(i => (t[i], y[i] > 0)))
        {
            var position = 0;
            foreach (var i in group.OrderBy(i => StratifiedSplit.Key(seed + 1000, i)))
            {
                folds[i] = position++ % k;
            }
        }

        return folds;
    }

    /// <summary>LightGBM classifiers and regressors with the shared settings.</summary>
    private sealed class BaseLearners(MLContext ml, GbmOptions trees, int seed)
    {
        public UpliftComponent Outcome(float[][] x, double[] y, bool binary) =>
            binary ? Classifier(x, [.. y.Select(v => v == 1)], null) : Regression(x, y);

        public UpliftComponent Classifier(float[][] x, bool[] y, float[]? weights)
        {
            if (y.All(v => v == y[0]))
            {
                return UpliftComponent.Constant(ml, y[0] ? 1.0 : 0.0, x[0].Length); // one arm's outcome never varies: its model is that constant
            }

            var model = ml.BinaryClassification.Trainers.LightGbm(MlNet.LightGbmBinary(trees, seed, weights is not null))
                .Fit(MlNet.Binary(ml, x, y, weights));
            return new UpliftComponent(ml, UpliftComponentKind.Classifier, model, 0, x[0].Length);
        }

        public UpliftComponent Regression(float[][] x, double[] y)
        {
            var model = ml.Regression.Trainers.LightGbm(MlNet.LightGbmRegression(trees, seed, weighted: false))
                .Fit(MlNet.Regression(ml, x, y));
            return new UpliftComponent(ml, UpliftComponentKind.Regressor, model, 0, x[0].Length);
        }
    }
}
