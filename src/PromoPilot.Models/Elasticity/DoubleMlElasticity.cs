using Microsoft.ML;
using PromoPilot.Models.Response;

namespace PromoPilot.Models.Elasticity;

/// <summary>One row for <see cref="DoubleMlElasticity"/>: units at a price, the nuisance covariates and the heterogeneity variable.</summary>
/// <param name="Units">Units sold (&gt; 0).</param>
/// <param name="Price">Own price (&gt; 0).</param>
/// <param name="Covariates">Covariates W of the nuisance models (same length on every row), e.g. brand dummies, promotion flags, store demographics.</param>
/// <param name="Heterogeneity">The variable X the elasticity may vary with (e.g. log median income); also a nuisance covariate.</param>
/// <param name="Cluster">Cluster label for the standard errors (e.g. the store).</param>
public sealed record DmlObservation(double Units, double Price, double[] Covariates, double Heterogeneity, int Cluster);

/// <summary>Options of <see cref="DoubleMlElasticity"/>.</summary>
public sealed record DmlOptions
{
    /// <summary>Cross-fitting folds (≥ 2), rows assigned at random (seeded). Default 3.</summary>
    public int Folds { get; init; } = 3;

    /// <summary>Number of equal-count groups of the heterogeneity variable with their own elasticity (≥ 1). Default 4 (quartiles).</summary>
    public int Groups { get; init; } = 4;

    /// <summary>Nuisance models E[log units | X, W] and E[log price | X, W]: LightGBM regression. Default 150 rounds, 31 leaves, no early stopping.</summary>
    public GbmOptions Nuisance { get; init; } = new() { Iterations = 150, EarlyStoppingRounds = 0 };

    /// <summary>Standard errors of the final stage. Default cluster-robust.</summary>
    public StandardErrorKind StandardErrors { get; init; } = StandardErrorKind.Cluster;

    /// <summary>Seed of the folds and the trees. Default 1.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>An elasticity for the rows whose heterogeneity lies in [Low, High].</summary>
public sealed record DmlGroupEstimate(int Group, double Low, double High, double Elasticity, double StdError, int N);

/// <summary>
/// The DML fit: the constant elasticity, the linear gradient of the elasticity in the heterogeneity variable
/// (θ(x) = θ + γ·(x − mean x)), per-group elasticities, and the out-of-fold R² of both nuisance models.
/// </summary>
public sealed record DmlEstimate(
    double Elasticity, double StdError, double Gradient, double GradientStdError, double HeterogeneityMean, int N,
    IReadOnlyList<DmlGroupEstimate> Groups, double OutcomeR2, double TreatmentR2);

/// <summary>
/// Double/debiased machine learning of the own-price elasticity (Chernozhukov et al., "Double/debiased machine learning
/// for treatment and structural parameters", Econometrics Journal 21(1) 2018; the partially linear model as in
/// EconML's LinearDML and its orange-juice example): log units and log price are each predicted from (X, W) by
/// gradient-boosted trees with K-fold cross-fitting; the elasticity is the least-squares slope of the outcome residual
/// on the price residual, its heterogeneity the slope on price residual × (x − mean x), and per group of x the slope
/// within the group; standard errors from the final-stage regression (cluster-robust by default).
/// </summary>
public static class DoubleMlElasticity
{
    public static DmlEstimate Fit(IReadOnlyList<DmlObservation> rows, DmlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new DmlOptions();
        options.Nuisance.Validate();
        if (options.Folds < 2 || options.Groups < 1)
        {
            throw new ArgumentException($"Folds must be ≥ 2 and Groups ≥ 1 (got {options.Folds}, {options.Groups}).", nameof(options));
        }

        if (rows.Count < 10 * options.Folds)
        {
            throw new ArgumentException($"{rows.Count} rows are too few for {options.Folds}-fold cross-fitting.", nameof(rows));
        }

        var width = rows[0].Covariates.Length;
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (!(r.Units > 0) || !(r.Price > 0) || r.Covariates.Length != width || !double.IsFinite(r.Heterogeneity))
            {
                throw new ArgumentException($"Row {i}: units and price must be > 0, the heterogeneity finite and every row needs {width} covariates.", nameof(rows));
            }
        }

        var n = rows.Count;
        var y = rows.Select(r => Math.Log(r.Units)).ToArray();
        var t = rows.Select(r => Math.Log(r.Price)).ToArray();
        var x = rows.Select(r => r.Covariates.Select(v => (float)v).Append((float)r.Heterogeneity).ToArray()).ToArray();
        var rng = new Random(options.Seed);
        var fold = Enumerable.Range(0, n).Select(i => i % options.Folds).OrderBy(_ => rng.Next()).ToArray();
        var yHat = new double[n];
        var tHat = new double[n];
        var ml = new MLContext(options.Seed);
        for (var k = 0; k < options.Folds; k++)
        {
            var train = Enumerable.Range(0, n).Where(i => fold[i] != k).ToArray();
            var test = Enumerable.Range(0, n).Where(i => fold[i] == k).ToArray();
            var xTrain = train.Select(i => x[i]).ToArray();
            var xTest = test.Select(i => x[i]).ToArray();
            foreach (var (target, into) in new[] { (y, yHat), (t, tHat) })
            {
                var model = ml.Regression.Trainers.LightGbm(MlNet.LightGbmRegression(options.Nuisance, options.Seed + k, weighted: false))
                    .Fit(MlNet.Regression(ml, xTrain, train.Select(i => target[i]).ToArray()));
                var predicted = MlNet.Column(model, MlNet.Regression(ml, xTest, null), "Score");
                for (var j = 0; j < test.Length; j++)
                {
                    into[test[j]] = predicted[j];
                }
            }
        }

        var yRes = y.Select((v, i) => v - yHat[i]).ToArray();
        var tRes = t.Select((v, i) => v - tHat[i]).ToArray();
        var mean = rows.Average(r => r.Heterogeneity);
        var se = new ElasticityOptions { StandardErrors = options.StandardErrors, ControlNames = ["price_residual_x_heterogeneity"] };

        // the final stage reuses the log-log OLS: log(exp(ỹ)) on log(exp(t̃)) (+ intercept, ≈ 0 by construction)
        DemandObservation Residual(int i, double[] controls) => new(Math.Exp(yRes[i]), Math.Exp(tRes[i]), controls, [], rows[i].Cluster);
        var constant = LogLogElasticity.Fit(Enumerable.Range(0, n).Select(i => Residual(i, [])).ToList(), se);
        var linear = LogLogElasticity.Fit(Enumerable.Range(0, n).Select(i => Residual(i, [tRes[i] * (rows[i].Heterogeneity - mean)])).ToList(), se);
        var order = Enumerable.Range(0, n).OrderBy(i => rows[i].Heterogeneity).ToArray();
        var groups = new List<DmlGroupEstimate>();
        for (var g = 0; g < options.Groups; g++)
        {
            var members = order.Skip(g * n / options.Groups).Take(((g + 1) * n / options.Groups) - (g * n / options.Groups)).ToArray();
            var fit = LogLogElasticity.Fit(members.Select(i => Residual(i, [])).ToList(), se);
            groups.Add(new DmlGroupEstimate(g + 1, rows[members[0]].Heterogeneity, rows[members[^1]].Heterogeneity, fit.Elasticity, fit.StdError, fit.N));
        }

        return new DmlEstimate(
            constant.Elasticity, constant.StdError, linear.Coefficients[2].Estimate, linear.Coefficients[2].StdError, mean, n, groups,
            R2(y, yHat), R2(t, tHat));
    }

    private static double R2(double[] actual, double[] predicted)
    {
        var mean = actual.Average();
        var total = actual.Sum(v => (v - mean) * (v - mean));
        return total > 0 ? 1 - (actual.Select((v, i) => (v - predicted[i]) * (v - predicted[i])).Sum() / total) : 0;
    }
}
