namespace PromoPilot.Measurement.Experiments.Statistics;

/// <summary>
/// Ratio metrics such as revenue per visit, where numerator and denominator are both summed per
/// randomization unit: R = ΣY / ΣX per arm, Y the numerator and X the denominator of a
/// <see cref="PairedSummary"/>. Units are independent but a unit's visits are not, so the variance
/// comes from the delta method over units (Deng, Knoblich &amp; Lu 2018, "Applying the Delta Method
/// in Metric Analytics"): Var(R) ≈ (s²_Y − 2R·s_XY + R²·s²_X) / (n·X̄²), sample moments with n − 1.
/// The difference R_T − R_C has Var(R_T) + Var(R_C); the relative effect R_T / R_C − 1 has
/// Var(R_T)/R_C² + R_T²·Var(R_C)/R_C⁴. Both are z-tests (normal distribution, no degrees of freedom).
/// </summary>
public static class RatioMetric
{
    /// <summary>The ratio of each arm, their difference and the relative effect.</summary>
    /// <returns>
    /// <see cref="TestStatus.TooFewUnits"/> when an arm has fewer than 2 units,
    /// <see cref="TestStatus.ZeroDenominator"/> when an arm's denominator sums to 0 (that arm's ratio is
    /// null), <see cref="TestStatus.ZeroVariance"/> when neither ratio varies; otherwise a full estimate.
    /// </returns>
    /// <exception cref="ArgumentException">A summary has a negative count or a non-finite sum.</exception>
    public static EffectEstimate Analyze(PairedSummary control, PairedSummary treatment, FrequentistOptions? options = null)
    {
        control.ThrowIfInvalid(nameof(control));
        treatment.ThrowIfInvalid(nameof(treatment));
        options ??= FrequentistOptions.Default;
        if (control.Count < 2 || treatment.Count < 2)
        {
            return EffectEstimate.Degenerate(TestStatus.TooFewUnits, RatioOrNull(control), RatioOrNull(treatment));
        }

        if (control.SumX == 0 || treatment.SumX == 0)
        {
            return EffectEstimate.Degenerate(TestStatus.ZeroDenominator, RatioOrNull(control), RatioOrNull(treatment));
        }

        return EffectEstimate.FromArms(
            Ratio(control), RatioVariance(control), Ratio(treatment), RatioVariance(treatment),
            degreesOfFreedom: null, options.Alpha);
    }

    /// <summary>Delta-method variance of ΣY / ΣX over one arm's units.</summary>
    private static double RatioVariance(PairedSummary arm)
    {
        var ratio = Ratio(arm);
        var meanX = arm.SumX / arm.Count;

        // The sample variance of Y − R·X, never negative except by rounding.
        var spread = arm.Y.Variance - (2 * ratio * arm.Covariance) + (ratio * ratio * arm.X.Variance);
        return Math.Max(0, spread) / (arm.Count * meanX * meanX);
    }

    private static double Ratio(PairedSummary arm) => arm.SumY / arm.SumX;

    private static double? RatioOrNull(PairedSummary arm) => arm.Count > 0 && arm.SumX != 0 ? Ratio(arm) : null;
}
