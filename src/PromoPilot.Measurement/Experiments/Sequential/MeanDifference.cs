using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Experiments.Sequential;

/// <summary>
/// The plug-in effect of treatment over control and its standard error, shared by the sequential and the
/// Bayesian normal readouts. Absolute: x̄_T − x̄_C with SE² = s_T²/n_T + s_C²/n_C (unpooled, as Welch).
/// Relative: x̄_T/x̄_C − 1 with the delta-method SE² = s_T²/(n_T x̄_C²) + x̄_T² s_C²/(n_C x̄_C⁴).
/// </summary>
internal readonly record struct MeanDifference(TestStatus Status, double Effect, double StandardError)
{
    public static MeanDifference Estimate(MetricSummary control, MetricSummary treatment, EffectScale scale)
    {
        if (control.Count == 0 || treatment.Count == 0)
        {
            return new MeanDifference(TestStatus.NoUnits, 0, 0);
        }

        double meanC = control.Mean, meanT = treatment.Mean;
        double varianceOfMeanC = control.Variance / control.Count, varianceOfMeanT = treatment.Variance / treatment.Count;
        double effect, variance;
        if (scale == EffectScale.Absolute)
        {
            effect = meanT - meanC;
            variance = varianceOfMeanT + varianceOfMeanC;
        }
        else
        {
            if (meanC == 0)
            {
                return new MeanDifference(TestStatus.ZeroControlMean, 0, 0);
            }

            effect = (meanT / meanC) - 1;
            variance = (varianceOfMeanT / (meanC * meanC)) + (meanT * meanT * varianceOfMeanC / (meanC * meanC * meanC * meanC));
        }

        var status = control.Count < 2 || treatment.Count < 2 ? TestStatus.TooFewUnits
            : variance == 0 ? TestStatus.ZeroVariance
            : TestStatus.Ok;
        return new MeanDifference(status, effect, Math.Sqrt(variance));
    }
}
