using MathNet.Numerics.LinearAlgebra;

namespace PromoPilot.Models.Uplift;

/// <summary>
/// Calibration of predicted uplift against a randomized experiment: the best linear predictor (BLP) of the true
/// effect given the score, τ(x) ≈ Ate + Slope · (S(x) − ScoreMean), with a heteroskedasticity-robust covariance of
/// (Ate, Slope). Follows Chernozhukov, Demirer, Duflo &amp; Fernández-Val, "Generic machine learning inference on
/// heterogeneous treatment effects in randomized experiments" (2018, NBER w24678), BLP strategy A: the weighted
/// regression Y = a0 + a1·(B − B̄) + Ate·(T − e) + Slope·(T − e)(S − S̄) + ε, weights 1/(e(1 − e)), where B is the
/// predicted untreated outcome.
/// </summary>
/// <remarks>
/// Fit it on scores the model did not train on (cross-fitted or held-out rows): then a Slope below 1 says the model's
/// spread of uplift is partly noise, and a forecast for users selected by a high score should shrink toward the
/// average effect by that factor; that undoes most of the winner's curse of "top k% by predicted uplift" audiences.
/// </remarks>
/// <param name="Ate">Average effect on the calibration rows.</param>
/// <param name="Slope">Loading of the true effect on the score (1 = well calibrated, 0 = no heterogeneity found).</param>
/// <param name="ScoreMean">Mean score on the calibration rows.</param>
/// <param name="AteVariance">Robust (HC1) variance of <paramref name="Ate"/>.</param>
/// <param name="SlopeVariance">Robust variance of <paramref name="Slope"/>; 0 when the score never varies (Slope is then 0).</param>
/// <param name="Covariance">Robust covariance of Ate and Slope.</param>
/// <param name="Rows">Rows the calibration used.</param>
public sealed record UpliftCalibration(double Ate, double Slope, double ScoreMean, double AteVariance, double SlopeVariance, double Covariance, int Rows)
{
    /// <summary>The calibrated uplift of a score.</summary>
    public double Apply(double score) => Ate + (Slope * (score - ScoreMean));

    /// <summary>One draw of (Ate, Slope) from the normal approximation of their sampling distribution.</summary>
    public (double Ate, double Slope) Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var z1 = Gaussian(random);
        var z2 = Gaussian(random);
        var a = Math.Sqrt(AteVariance);
        if (a == 0)
        {
            return (Ate, Slope + (Math.Sqrt(SlopeVariance) * z2));
        }

        var l21 = Covariance / a;
        var l22 = Math.Sqrt(Math.Max(0, SlopeVariance - (l21 * l21)));
        return (Ate + (a * z1), Slope + (l21 * z1) + (l22 * z2));
    }

    /// <summary>Fits the BLP on held-out rows.</summary>
    /// <param name="score">Predicted uplift of each row, from a model that did not see the row.</param>
    /// <param name="baseline">Predicted untreated outcome of each row (a control variable that narrows the interval).</param>
    /// <param name="treatment">Treated flag of each row.</param>
    /// <param name="outcome">Observed outcome of each row.</param>
    /// <param name="propensity">Probability of treatment; null = the treated share of the rows.</param>
    /// <exception cref="ArgumentException">Lengths differ, fewer than 10 rows, one arm only, a non-finite value, or a propensity outside (0, 1).</exception>
    public static UpliftCalibration Fit(IReadOnlyList<double> score, IReadOnlyList<double> baseline, IReadOnlyList<bool> treatment, IReadOnlyList<double> outcome, double? propensity = null)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(outcome);
        var n = score.Count;
        if (baseline.Count != n || treatment.Count != n || outcome.Count != n)
        {
            throw new ArgumentException($"{n} scores, {baseline.Count} baselines, {treatment.Count} treatment flags, {outcome.Count} outcomes.", nameof(outcome));
        }

        if (n < 10)
        {
            throw new ArgumentException($"{n} rows: the calibration needs at least 10.", nameof(score));
        }

        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(score[i]) || !double.IsFinite(baseline[i]) || !double.IsFinite(outcome[i]))
            {
                throw new ArgumentException($"row {i} has a missing or infinite score, baseline or outcome.", nameof(score));
            }
        }

        var treated = treatment.Count(t => t);
        if (treated == 0 || treated == n)
        {
            throw new ArgumentException("the treatment has one arm only: calibration needs both.", nameof(treatment));
        }

        var e = propensity ?? (double)treated / n;
        if (!(e > 0 && e < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(propensity), e, "propensity must lie in (0, 1).");
        }

        var scoreMean = score.Average();
        var baselineMean = baseline.Average();
        var scoreVaries = score.Any(s => Math.Abs(s - scoreMean) > 1e-12 * Math.Max(1, Math.Abs(scoreMean)));
        var baselineVaries = baseline.Any(b => Math.Abs(b - baselineMean) > 1e-12 * Math.Max(1, Math.Abs(baselineMean)));
        var columns = 2 + (baselineVaries ? 1 : 0) + (scoreVaries ? 1 : 0);
        var x = Matrix<double>.Build.Dense(n, columns);
        var y = Vector<double>.Build.Dense(n);
        for (var i = 0; i < n; i++)
        {
            var centred = (treatment[i] ? 1 : 0) - e;
            var c = 0;
            x[i, c++] = 1;
            x[i, c++] = centred;
            if (scoreVaries)
            {
                x[i, c++] = centred * (score[i] - scoreMean);
            }

            if (baselineVaries)
            {
                x[i, c] = baseline[i] - baselineMean;
            }

            y[i] = outcome[i];
        }

        // The weights 1/(e(1 − e)) are the same for every row when e is constant: plain OLS with HC1 errors.
        var xtx = x.TransposeThisAndMultiply(x);
        var inverse = xtx.Inverse();
        var beta = inverse * x.TransposeThisAndMultiply(y);
        var residual = y - (x * beta);
        var meat = Matrix<double>.Build.Dense(columns, columns);
        for (var i = 0; i < n; i++)
        {
            var r2 = residual[i] * residual[i];
            for (var a = 0; a < columns; a++)
            {
                for (var b = 0; b < columns; b++)
                {
                    meat[a, b] += r2 * x[i, a] * x[i, b];
                }
            }
        }

        var covariance = inverse * meat * inverse * (n / (double)(n - columns));
        return scoreVaries
            ? new UpliftCalibration(beta[1], beta[2], scoreMean, covariance[1, 1], covariance[2, 2], covariance[1, 2], n)
            : new UpliftCalibration(beta[1], 0, scoreMean, covariance[1, 1], 0, 0, n);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
