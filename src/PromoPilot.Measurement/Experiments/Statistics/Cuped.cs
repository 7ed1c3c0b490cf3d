namespace PromoPilot.Measurement.Experiments.Statistics;

/// <summary>How <see cref="Cuped"/> uses the pre-period covariate.</summary>
public enum CovariateAdjustment
{
    /// <summary>
    /// CUPED (Deng, Xu, Kohavi &amp; Walker 2013): one slope θ = Cov(Y, X) / Var(X), computed on both arms
    /// pooled together; each unit's metric becomes Y − θ(X − X̄), X̄ the pooled covariate mean; then
    /// Welch's t-test on the adjusted metric.
    /// </summary>
    Cuped = 0,

    /// <summary>
    /// Regression adjustment (Lin 2013): OLS of Y on treatment, X and treatment × (X − X̄), which is
    /// the same as a separate regression of Y on (X − X̄) in each arm; the effect is the difference
    /// of the two intercepts. Each intercept's variance is its arm's classical OLS variance
    /// s²(1/n + (X̄_arm − X̄)²/Sxx) with s² on n − 2 degrees of freedom, so unequal residual
    /// variances are allowed (as Welch allows unequal variances); Welch–Satterthwaite degrees of freedom.
    /// </summary>
    Regression = 1,
}

/// <summary>Options of <see cref="Cuped.Analyze"/>.</summary>
public sealed record CupedOptions
{
    /// <summary>The defaults: α = 0.05, <see cref="CovariateAdjustment.Cuped"/>.</summary>
    public static CupedOptions Default { get; } = new();

    /// <summary>Significance level α: tests are two-sided and intervals cover 1 − α. Default 0.05; must lie in (0, 1).</summary>
    public double Alpha
    {
        get;
        init => field = FrequentistOptions.OpenUnitInterval(value, nameof(Alpha));
    } = 0.05;

    /// <summary>How the covariate is used. Default <see cref="CovariateAdjustment.Cuped"/>.</summary>
    public CovariateAdjustment Method { get; init; } = CovariateAdjustment.Cuped;
}

/// <summary>
/// A covariate-adjusted effect beside the unadjusted one.
/// </summary>
/// <param name="Adjusted">The effect on the adjusted metric; its means are the adjusted means (at the pooled covariate mean).</param>
/// <param name="Unadjusted">Welch's test on Y alone, for comparison.</param>
/// <param name="ControlSlope">The coefficient on the covariate in the control arm (θ for CUPED).</param>
/// <param name="TreatmentSlope">The coefficient on the covariate in the treatment arm (θ for CUPED).</param>
/// <param name="Correlation">Correlation ρ of X and Y over both arms pooled; 0 when either is constant. CUPED's expected variance factor is 1 − ρ².</param>
/// <param name="VarianceRatio">Measured factor SE²(adjusted) / SE²(unadjusted); null unless both estimates are <see cref="TestStatus.Ok"/>.</param>
public sealed record CupedResult(
    EffectEstimate Adjusted,
    EffectEstimate Unadjusted,
    double ControlSlope,
    double TreatmentSlope,
    double Correlation,
    double? VarianceRatio);

/// <summary>
/// Variance reduction with a pre-period covariate X (e.g. the same metric before the experiment)
/// from each arm's <see cref="PairedSummary"/> (Y = metric, X = covariate). See
/// <see cref="CovariateAdjustment"/> for the two methods. The relative effect is the delta method on
/// the adjusted means, arms treated as independent (θ's own sampling error is ignored, as is usual).
/// </summary>
public static class Cuped
{
    /// <summary>The adjusted and unadjusted effects of treatment on Y.</summary>
    /// <returns>
    /// <see cref="TestStatus.TooFewUnits"/> when an arm has fewer than 2 units (3 for regression);
    /// <see cref="TestStatus.ZeroVariance"/> when the adjusted metric is constant in both arms. A constant
    /// covariate gives a slope of 0, that is the unadjusted test.
    /// </returns>
    /// <exception cref="ArgumentException">A summary has a negative count or a non-finite sum.</exception>
    public static CupedResult Analyze(PairedSummary control, PairedSummary treatment, CupedOptions? options = null)
    {
        control.ThrowIfInvalid(nameof(control));
        treatment.ThrowIfInvalid(nameof(treatment));
        options ??= CupedOptions.Default;
        var frequentist = new FrequentistOptions { Alpha = options.Alpha };
        var unadjusted = FrequentistTest.MeanDifference(control.Y, treatment.Y, frequentist);
        var pooled = control + treatment;
        var pooledMeanX = pooled.Count > 0 ? pooled.SumX / pooled.Count : 0;
        var varianceX = pooled.X.Variance;
        var varianceY = pooled.Y.Variance;
        var correlation = varianceX > 0 && varianceY > 0 ? pooled.Covariance / Math.Sqrt(varianceX * varianceY) : 0;

        var (controlSlope, treatmentSlope, adjusted) = options.Method == CovariateAdjustment.Regression
            ? Regression(control, treatment, pooledMeanX, options.Alpha)
            : Theta(control, treatment, varianceX > 0 ? pooled.Covariance / varianceX : 0, pooledMeanX, options.Alpha);

        double? ratio = adjusted.StandardError is { } a && unadjusted.StandardError is { } u ? a * a / (u * u) : null;
        return new CupedResult(adjusted, unadjusted, controlSlope, treatmentSlope, correlation, ratio);
    }

    private static (double ControlSlope, double TreatmentSlope, EffectEstimate Adjusted) Theta(
        PairedSummary control, PairedSummary treatment, double theta, double pooledMeanX, double alpha)
    {
        if (control.Count < 2 || treatment.Count < 2)
        {
            return (theta, theta, EffectEstimate.Degenerate(
                TestStatus.TooFewUnits, AdjustedMean(control, theta, pooledMeanX), AdjustedMean(treatment, theta, pooledMeanX)));
        }

        var controlVariance = AdjustedVariance(control, theta) / control.Count;
        var treatmentVariance = AdjustedVariance(treatment, theta) / treatment.Count;
        return (theta, theta, EffectEstimate.FromArms(
            AdjustedMean(control, theta, pooledMeanX)!.Value, controlVariance,
            AdjustedMean(treatment, theta, pooledMeanX)!.Value, treatmentVariance,
            FrequentistTest.WelchDegreesOfFreedom(controlVariance, control.Count - 1, treatmentVariance, treatment.Count - 1),
            alpha));
    }

    private static (double ControlSlope, double TreatmentSlope, EffectEstimate Adjusted) Regression(
        PairedSummary control, PairedSummary treatment, double pooledMeanX, double alpha)
    {
        var c = ArmRegression.Fit(control, pooledMeanX);
        var t = ArmRegression.Fit(treatment, pooledMeanX);
        // Two units fit a line exactly: a residual variance needs a third.
        if (control.Count < 3 || treatment.Count < 3)
        {
            return (c.Slope, t.Slope, EffectEstimate.Degenerate(
                TestStatus.TooFewUnits, control.Count > 0 ? c.Intercept : null, treatment.Count > 0 ? t.Intercept : null));
        }

        return (c.Slope, t.Slope, EffectEstimate.FromArms(
            c.Intercept, c.InterceptVariance, t.Intercept, t.InterceptVariance,
            FrequentistTest.WelchDegreesOfFreedom(c.InterceptVariance, c.ResidualDf, t.InterceptVariance, t.ResidualDf),
            alpha));
    }

    private static double? AdjustedMean(PairedSummary arm, double theta, double pooledMeanX) =>
        arm.Count > 0 ? (arm.SumY - (theta * (arm.SumX - (arm.Count * pooledMeanX)))) / arm.Count : null;

    /// <summary>Sample variance of Y − θX in one arm: s²_Y − 2θ·s_XY + θ²·s²_X.</summary>
    private static double AdjustedVariance(PairedSummary arm, double theta) =>
        Math.Max(0, arm.Y.Variance - (2 * theta * arm.Covariance) + (theta * theta * arm.X.Variance));

    /// <summary>OLS of Y on (X − centre) in one arm, from its sums.</summary>
    private readonly record struct ArmRegression(double Slope, double Intercept, double InterceptVariance, double ResidualDf)
    {
        public static ArmRegression Fit(PairedSummary arm, double centre)
        {
            if (arm.Count == 0)
            {
                return default;
            }

            var n = arm.Count;
            var meanX = arm.SumX / n;
            var sxx = arm.X.Variance * (n - 1);
            var syy = arm.Y.Variance * (n - 1);
            var sxy = arm.Covariance * (n - 1);

            // A covariate constant within the arm explains nothing there: slope 0, one parameter fewer.
            var slope = sxx > 0 ? sxy / sxx : 0;
            var intercept = (arm.SumY / n) - (slope * (meanX - centre));
            var residualDf = Math.Max(0, sxx > 0 ? n - 2 : n - 1);
            if (residualDf == 0)
            {
                return new ArmRegression(slope, intercept, 0, 0);
            }

            var residualVariance = Math.Max(0, syy - (slope * sxy)) / residualDf;
            var leverage = sxx > 0 ? (meanX - centre) * (meanX - centre) / sxx : 0;
            return new ArmRegression(slope, intercept, residualVariance * ((1.0 / n) + leverage), residualDf);
        }
    }
}
