namespace PromoPilot.Measurement.Experiments.Statistics;

/// <summary>
/// Fixed-horizon tests of a treatment against its control over the arms' addable summaries:
/// Welch's t-test for means and the two-sample z-test for proportions, each with the relative
/// effect by the delta method (see <see cref="EffectEstimate"/>).
/// </summary>
public static class FrequentistTest
{
    /// <summary>
    /// Difference in means by Welch's t-test (Welch 1947): SE² = s²_T/n_T + s²_C/n_C with sample
    /// variances (n − 1), Welch–Satterthwaite degrees of freedom, two-sided p-value and t interval;
    /// matches scipy.stats.ttest_ind(treatment, control, equal_var=False).
    /// </summary>
    /// <returns>
    /// <see cref="TestStatus.TooFewUnits"/> when an arm has fewer than 2 units,
    /// <see cref="TestStatus.ZeroVariance"/> when both arms are constant; otherwise a full estimate.
    /// </returns>
    /// <exception cref="ArgumentException">A summary has a negative count or a non-finite sum.</exception>
    public static EffectEstimate MeanDifference(MetricSummary control, MetricSummary treatment, FrequentistOptions? options = null)
    {
        control.ThrowIfInvalid(nameof(control));
        treatment.ThrowIfInvalid(nameof(treatment));
        options ??= FrequentistOptions.Default;
        if (control.Count < 2 || treatment.Count < 2)
        {
            return EffectEstimate.Degenerate(TestStatus.TooFewUnits, MeanOrNull(control), MeanOrNull(treatment));
        }

        var controlVariance = control.Variance / control.Count;
        var treatmentVariance = treatment.Variance / treatment.Count;
        return EffectEstimate.FromArms(
            control.Mean, controlVariance, treatment.Mean, treatmentVariance,
            WelchDegreesOfFreedom(controlVariance, control.Count - 1, treatmentVariance, treatment.Count - 1),
            options.Alpha);
    }

    /// <summary>
    /// Difference in proportions of two binary metrics (sum = number of units with value 1). The
    /// interval is the Wald interval with the unpooled SE, √(p_T(1 − p_T)/n_T + p_C(1 − p_C)/n_C)
    /// (statsmodels confint_proportions_2indep, method "wald", compare "diff"); the p-value is the
    /// classic two-sample z-test with the pooled SE, √(p(1 − p)(1/n_T + 1/n_C)) where p is the pooled
    /// proportion (statsmodels proportions_ztest). The two can disagree at the margin: the pooled test
    /// is the standard one under "no effect", the unpooled interval the standard one around an effect.
    /// The relative effect uses the unpooled variances and the normal distribution.
    /// </summary>
    /// <returns>
    /// <see cref="TestStatus.TooFewUnits"/> when an arm has fewer than 2 units,
    /// <see cref="TestStatus.ZeroVariance"/> when each arm's proportion is 0 or 1; otherwise a full estimate.
    /// </returns>
    /// <exception cref="ArgumentException">A summary is not binary (sum of squares ≠ sum, or sum outside [0, count]).</exception>
    public static EffectEstimate ProportionDifference(MetricSummary control, MetricSummary treatment, FrequentistOptions? options = null)
    {
        ThrowIfNotBinary(control, nameof(control));
        ThrowIfNotBinary(treatment, nameof(treatment));
        options ??= FrequentistOptions.Default;
        if (control.Count < 2 || treatment.Count < 2)
        {
            return EffectEstimate.Degenerate(TestStatus.TooFewUnits, MeanOrNull(control), MeanOrNull(treatment));
        }

        var pc = control.Mean;
        var pt = treatment.Mean;
        var pooled = (control.Sum + treatment.Sum) / (control.Count + treatment.Count);
        var pooledSe = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / control.Count) + (1.0 / treatment.Count)));
        return EffectEstimate.FromArms(
            pc, pc * (1 - pc) / control.Count, pt, pt * (1 - pt) / treatment.Count,
            degreesOfFreedom: null, options.Alpha, testStandardError: pooledSe);
    }

    /// <summary>
    /// Welch–Satterthwaite degrees of freedom of a sum of two independent variance estimates, each
    /// with its own degrees of freedom: (v_C + v_T)² / (v_C²/df_C + v_T²/df_T); null when both are 0.
    /// </summary>
    internal static double? WelchDegreesOfFreedom(double controlVariance, double controlDf, double treatmentVariance, double treatmentDf)
    {
        var total = controlVariance + treatmentVariance;
        return total > 0
            ? total * total / ((controlVariance * controlVariance / controlDf) + (treatmentVariance * treatmentVariance / treatmentDf))
            : null;
    }

    private static double? MeanOrNull(MetricSummary summary) => summary.Count > 0 ? summary.Mean : null;

    private static void ThrowIfNotBinary(MetricSummary summary, string name)
    {
        summary.ThrowIfInvalid(name);
        if (summary.Sum != summary.SumOfSquares || summary.Sum < 0 || summary.Sum > summary.Count || summary.Sum != Math.Floor(summary.Sum))
        {
            throw new ArgumentException($"{name} must summarize a 0/1 metric (sum = sum of squares = successes in [0, count]).", name);
        }
    }
}
