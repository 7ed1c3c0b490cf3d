using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;

namespace PromoPilot.Decisioning.Scoring;

/// <summary>How much one feature moved the prediction: its value and its term on the log-odds scale.</summary>
public sealed record FeatureContribution(string Feature, double Value, double Contribution);

/// <summary>
/// What an effect model predicts for one shopper: the chance of converting without an offer, with one, and the
/// difference (the uplift), with each feature's share of the uplift's log-odds.
/// </summary>
public sealed record EffectPrediction(double BaselineProbability, double TreatedProbability, IReadOnlyList<FeatureContribution> Contributions)
{
    public double Uplift => TreatedProbability - BaselineProbability;
}

/// <summary>Options of <see cref="LinearUpliftModel.Fit"/>.</summary>
public sealed record LinearUpliftOptions
{
    /// <summary>L2 penalty on every coefficient but the two intercepts (standardized features), ≥ 0. Default 1.</summary>
    public double Ridge { get; init; } = 1.0;

    /// <summary>Newton steps at most. Default 50.</summary>
    public int MaxIterations { get; init; } = 50;

    /// <summary>Stop when no coefficient moves more than this. Default 1e-9.</summary>
    public double Tolerance { get; init; } = 1e-9;
}

/// <summary>
/// A logistic S-learner with treatment interactions, fast enough to score inside a decision (one pass over a few
/// features): logit P(y | x, t) = β₀ + β·z + t (γ₀ + γ·z), with z the standardized features (a missing feature is
/// its training mean, z = 0). The uplift is σ(β₀ + β·z + γ₀ + γ·z) − σ(β₀ + β·z); each feature's contribution to the
/// uplift is γⱼ zⱼ on the log-odds scale. Fitted by iteratively reweighted least squares (Newton's method for the
/// penalized log-likelihood; Hastie, Tibshirani &amp; Friedman, ESL §4.4.1) on randomized data, where the treatment
/// terms identify the causal effect (Lo 2002, "The true lift model").
/// </summary>
public sealed class LinearUpliftModel
{
    private LinearUpliftModel(Parameters parameters)
    {
        Values = parameters;
        _index = parameters.Features.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
    }

    private readonly Dictionary<string, int> _index;

    /// <summary>The fitted parameters (also the saved form).</summary>
    public Parameters Values { get; }

    public IReadOnlyList<string> Features => Values.Features;

    /// <summary>
    /// Fits on randomized rows: features by name per row (missing names are the mean), treated or not, converted or not.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 10 rows, one arm only, an outcome that never varies, or a feature with no finite value.</exception>
    public static LinearUpliftModel Fit(
        IReadOnlyList<string> features,
        IReadOnlyList<IReadOnlyDictionary<string, double>> rows,
        IReadOnlyList<bool> treated,
        IReadOnlyList<bool> converted,
        LinearUpliftOptions? options = null,
        string source = "")
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(converted);
        options ??= new LinearUpliftOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Ridge, nameof(options.Ridge));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options.MaxIterations));
        var n = rows.Count;
        if (n < 10 || treated.Count != n || converted.Count != n)
        {
            throw new ArgumentException($"need at least 10 rows with one treatment flag and one outcome each (rows {n}, treated {treated.Count}, converted {converted.Count})", nameof(rows));
        }

        var treatedCount = treated.Count(t => t);
        if (treatedCount == 0 || treatedCount == n)
        {
            throw new ArgumentException($"the treatment has one arm only ({treatedCount} of {n} rows treated): uplift needs both", nameof(treated));
        }

        var conversions = converted.Count(c => c);
        if (conversions == 0 || conversions == n)
        {
            throw new ArgumentException($"the outcome never varies ({conversions} of {n} rows converted)", nameof(converted));
        }

        var d = features.Count;
        var means = new double[d];
        var scales = new double[d];
        for (var j = 0; j < d; j++)
        {
            var values = rows.Select(r => r.TryGetValue(features[j], out var v) && double.IsFinite(v) ? v : double.NaN).Where(double.IsFinite).ToArray();
            if (values.Length == 0)
            {
                throw new ArgumentException($"feature '{features[j]}' has no finite value in any row", nameof(rows));
            }

            means[j] = values.Average();
            var sd = Math.Sqrt(values.Sum(v => (v - means[j]) * (v - means[j])) / values.Length);
            scales[j] = sd > 0 ? sd : 1.0;
        }

        // Design: [1, z, t, t z]; p = 2d + 2.
        var p = 2 * d + 2;
        var x = new double[n * p];
        for (var i = 0; i < n; i++)
        {
            var t = treated[i] ? 1.0 : 0.0;
            var row = x.AsSpan(i * p, p);
            row[0] = 1;
            row[d + 1] = t;
            for (var j = 0; j < d; j++)
            {
                var z = rows[i].TryGetValue(features[j], out var v) && double.IsFinite(v) ? (v - means[j]) / scales[j] : 0.0;
                row[1 + j] = z;
                row[d + 2 + j] = t * z;
            }
        }

        var beta = new double[p];
        var iterations = 0;
        var converged = false;
        while (iterations < options.MaxIterations && !converged)
        {
            iterations++;
            var hessian = Matrix<double>.Build.Dense(p, p);
            var gradient = Vector<double>.Build.Dense(p);
            for (var i = 0; i < n; i++)
            {
                var row = x.AsSpan(i * p, p);
                var eta = 0.0;
                for (var k = 0; k < p; k++)
                {
                    eta += row[k] * beta[k];
                }

                var mu = Sigmoid(eta);
                var w = Math.Max(mu * (1 - mu), 1e-12);
                var residual = (converted[i] ? 1.0 : 0.0) - mu;
                for (var a = 0; a < p; a++)
                {
                    if (row[a] == 0)
                    {
                        continue;
                    }

                    gradient[a] += row[a] * residual;
                    for (var b = a; b < p; b++)
                    {
                        hessian[a, b] += w * row[a] * row[b];
                    }
                }
            }

            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < a; b++)
                {
                    hessian[a, b] = hessian[b, a];
                }

                if (a != 0 && a != d + 1)
                {
                    hessian[a, a] += options.Ridge;
                    gradient[a] -= options.Ridge * beta[a];
                }
            }

            var step = hessian.Cholesky().Solve(gradient);
            converged = true;
            for (var k = 0; k < p; k++)
            {
                beta[k] += step[k];
                converged &= Math.Abs(step[k]) <= options.Tolerance * (1 + Math.Abs(beta[k]));
            }

            if (beta.Any(b => !double.IsFinite(b)))
            {
                throw new ArgumentException("the fit diverged (a coefficient is not finite): the outcome is separable by the features; raise the ridge penalty", nameof(rows));
            }
        }

        return new LinearUpliftModel(new Parameters(
            [.. features], means, scales, beta[0], beta[1..(d + 1)], beta[d + 1], beta[(d + 2)..], options.Ridge, n, treatedCount, conversions, iterations, converged, source));
    }

    /// <summary>Predicts for one shopper from their features by name (missing or non-finite = the training mean).</summary>
    public EffectPrediction Predict(IReadOnlyDictionary<string, double> features, bool withContributions = true)
    {
        ArgumentNullException.ThrowIfNull(features);
        var v = Values;
        var baseline = v.BaselineIntercept;
        var treatment = v.TreatmentIntercept;
        var contributions = withContributions ? new FeatureContribution[v.Features.Count] : null;
        for (var j = 0; j < v.Features.Count; j++)
        {
            var has = features.TryGetValue(v.Features[j], out var value) && double.IsFinite(value);
            var z = has ? (value - v.Means[j]) / v.Scales[j] : 0.0;
            baseline += v.Baseline[j] * z;
            treatment += v.Treatment[j] * z;
            if (contributions is not null)
            {
                contributions[j] = new FeatureContribution(v.Features[j], has ? value : v.Means[j], v.Treatment[j] * z);
            }
        }

        return new EffectPrediction(Sigmoid(baseline), Sigmoid(baseline + treatment), contributions ?? []);
    }

    /// <summary>Writes the model as JSON.</summary>
    public void Save(Stream stream) => JsonSerializer.Serialize(stream, Values, JsonOptions);

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The stream is not a saved model, or its arrays do not match its features.</exception>
    public static LinearUpliftModel Load(Stream stream)
    {
        Parameters? values;
        try
        {
            values = JsonSerializer.Deserialize<Parameters>(stream, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a saved linear uplift model: {e.Message}", e);
        }

        var d = values?.Features?.Count ?? -1;
        if (values is null || d < 0 || values.Means?.Count != d || values.Scales?.Count != d || values.Baseline?.Count != d || values.Treatment?.Count != d)
        {
            throw new InvalidDataException("not a saved linear uplift model: features, means, scales, baseline and treatment must all have one entry per feature");
        }

        return new LinearUpliftModel(values);
    }

    private static double Sigmoid(double eta) => eta >= 0 ? 1 / (1 + Math.Exp(-eta)) : Math.Exp(eta) / (1 + Math.Exp(eta));

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>The fitted coefficients on standardized features, the standardization, and how the fit went.</summary>
    public sealed record Parameters(
        IReadOnlyList<string> Features,
        IReadOnlyList<double> Means,
        IReadOnlyList<double> Scales,
        double BaselineIntercept,
        IReadOnlyList<double> Baseline,
        double TreatmentIntercept,
        IReadOnlyList<double> Treatment,
        double Ridge,
        int Rows,
        int TreatedRows,
        int Conversions,
        int Iterations,
        bool Converged,
        string Source);
}

/// <summary>A model's prediction for one shopper and its non-zero contributions, largest magnitude first (ties by feature name).</summary>
internal sealed class ShopperEffect
{
    public ShopperEffect(LinearUpliftModel model, IReadOnlyDictionary<string, double> features)
    {
        Model = model;
        Prediction = model.Predict(features, withContributions: true);
        var nonZero = Prediction.Contributions.Where(c => c.Contribution != 0).ToArray();
        Array.Sort(nonZero, (a, b) => Math.Abs(b.Contribution).CompareTo(Math.Abs(a.Contribution)) is var byMagnitude && byMagnitude != 0
            ? byMagnitude
            : string.CompareOrdinal(a.Feature, b.Feature));
        Largest = nonZero;
    }

    public LinearUpliftModel Model { get; }

    public EffectPrediction Prediction { get; }

    public IReadOnlyList<FeatureContribution> Largest { get; }
}
