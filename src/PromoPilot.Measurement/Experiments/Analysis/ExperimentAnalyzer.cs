using PromoPilot.Measurement.Experiments.Bayesian;
using PromoPilot.Measurement.Experiments.Sequential;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Experiments.Analysis;

/// <summary>How an experiment is read out.</summary>
public enum AnalysisMethod
{
    /// <summary>Fixed-horizon tests: Welch's t-test (two-proportion z-test for a binary metric), CUPED with a covariate.</summary>
    Frequentist,

    /// <summary>Normal model of the effect with a flat prior (<see cref="NormalBayesTest"/>): credible interval, chance to win.</summary>
    Bayesian,

    /// <summary>Always-valid confidence sequence (<see cref="SequentialTest"/>), safe to look at every day.</summary>
    Sequential,
}

/// <summary>One variant's units: Y is the metric, X the pre-period covariate (0 without one).</summary>
public sealed record VariantData(string Name, PairedSummary Units);

/// <summary>Options of <see cref="ExperimentAnalyzer"/>.</summary>
public sealed record ExperimentAnalysisOptions
{
    /// <summary>The readout method. Default frequentist.</summary>
    public AnalysisMethod Method { get; init; } = AnalysisMethod.Frequentist;

    /// <summary>Significance level: intervals cover 1 − α (credible intervals too). Default 0.05.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Adjust for the covariate X with CUPED (frequentist only). Default false.</summary>
    public bool UseCovariate { get; init; }

    /// <summary>The metric is 0/1 per unit: the frequentist test is then the two-proportion z-test. Default false.</summary>
    public bool BinaryMetric { get; init; }

    /// <summary>Planned weight of each variant, by name, for the sample-ratio check; null means equal weights.</summary>
    public IReadOnlyDictionary<string, double>? ExpectedWeights { get; init; }

    /// <summary>Planned total sample size N* that tunes the sequential confidence sequence. Default 5,000 (GrowthBook's default).</summary>
    public double SequentialTuningSampleSize { get; init; } = 5000;
}

/// <summary>One variant's count and mean of the metric.</summary>
public sealed record VariantStatistics(string Name, long Count, double? Mean);

/// <summary>
/// One treatment against the control. Fields a method does not give are null: <see cref="PValue"/> and
/// <see cref="AdjustedPValue"/> are frequentist, <see cref="ChanceToWin"/> and the risks Bayesian; the interval is a
/// confidence interval, a credible interval or a confidence sequence by method. Never NaN or infinite.
/// </summary>
/// <param name="Variant">The treatment variant.</param>
/// <param name="Status">Whether the data allowed an inference (see <see cref="TestStatus"/>).</param>
/// <param name="Effect">Treatment mean − control mean (CUPED-adjusted with a covariate; posterior mean for Bayesian).</param>
/// <param name="CiLow">Lower end of the interval of <paramref name="Effect"/>.</param>
/// <param name="CiHigh">Upper end of the interval.</param>
/// <param name="PValue">Two-sided p-value of no effect.</param>
/// <param name="AdjustedPValue">Holm-adjusted p-value over all treatments (equal to <paramref name="PValue"/> with one).</param>
/// <param name="Lift">Treatment mean / control mean − 1, when the control mean is not 0.</param>
/// <param name="ChanceToWin">Posterior probability that the treatment mean exceeds the control mean.</param>
/// <param name="RiskOfChoosingTreatment">Expected loss of shipping the treatment.</param>
/// <param name="RiskOfChoosingControl">Expected loss of keeping the control.</param>
/// <param name="Significant">Frequentist: p &lt; α; sequential: the sequence excludes 0; Bayesian: the credible interval excludes 0.</param>
/// <param name="VarianceReduction">With CUPED: 1 − Var(adjusted effect) / Var(unadjusted effect).</param>
public sealed record VariantComparison(
    string Variant,
    TestStatus Status,
    double? Effect,
    double? CiLow,
    double? CiHigh,
    double? PValue,
    double? AdjustedPValue,
    double? Lift,
    double? ChanceToWin,
    double? RiskOfChoosingTreatment,
    double? RiskOfChoosingControl,
    bool Significant,
    double? VarianceReduction);

/// <summary>The readout of one metric of an experiment.</summary>
/// <param name="Method">The method used.</param>
/// <param name="Control">The control variant.</param>
/// <param name="Variants">Every variant's count and mean, in input order.</param>
/// <param name="Comparisons">Each treatment against the control, in input order.</param>
/// <param name="SampleRatio">The sample-ratio-mismatch check over all variants.</param>
public sealed record ExperimentAnalysis(
    AnalysisMethod Method,
    string Control,
    IReadOnlyList<VariantStatistics> Variants,
    IReadOnlyList<VariantComparison> Comparisons,
    SampleRatioResult SampleRatio);

/// <summary>
/// Reads out an experiment from per-variant summaries: every treatment against the control with the chosen
/// method, Holm-adjusted p-values across treatments, and the sample-ratio check (alert at p &lt; 0.001).
/// </summary>
public static class ExperimentAnalyzer
{
    /// <exception cref="ArgumentException">
    /// Fewer than two variants, duplicate names, a control that is not among them, weights that do not name every
    /// variant, or a covariate with a method other than frequentist.
    /// </exception>
    public static ExperimentAnalysis Analyze(IReadOnlyList<VariantData> variants, string control, ExperimentAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(control);
        options ??= new ExperimentAnalysisOptions();
        FrequentistOptions.OpenUnitInterval(options.Alpha, nameof(options.Alpha));
        var names = variants.Select(v => v.Name).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException($"variant names repeat: {string.Join(", ", names)}", nameof(variants));
        }

        if (variants.Count < 2)
        {
            throw new ArgumentException($"an experiment needs at least two variants; found {variants.Count} ({string.Join(", ", names)})", nameof(variants));
        }

        var controlData = variants.FirstOrDefault(v => v.Name == control)
            ?? throw new ArgumentException($"control variant '{control}' is not among the variants ({string.Join(", ", names)})", nameof(control));
        if (options.UseCovariate && options.Method != AnalysisMethod.Frequentist)
        {
            throw new ArgumentException("a covariate (CUPED) works with the frequentist method only", nameof(options));
        }

        var treatments = variants.Where(v => v.Name != control).ToList();
        var comparisons = treatments.Select(t => Compare(controlData.Units, t, options)).ToList();
        var adjusted = Holm(comparisons);
        comparisons = [.. comparisons.Select((c, i) => c with { AdjustedPValue = adjusted[i] })];

        var statistics = variants.Select(v => new VariantStatistics(v.Name, v.Units.Count, v.Units.Count > 0 ? v.Units.Y.Mean : null)).ToList();
        var weights = ExpectedWeights(names, options.ExpectedWeights);
        var sampleRatio = SampleRatioMismatch.Check([.. variants.Select(v => v.Units.Count)], weights);
        return new ExperimentAnalysis(options.Method, control, statistics, comparisons, sampleRatio);
    }

    private static VariantComparison Compare(PairedSummary control, VariantData treatment, ExperimentAnalysisOptions options)
    {
        var t = treatment.Units;
        switch (options.Method)
        {
            case AnalysisMethod.Bayesian:
            {
                var readout = NormalBayesTest.Compare(control.Y, t.Y, new NormalBayesOptions { CredibleLevel = 1 - options.Alpha });
                var ok = readout.Status == TestStatus.Ok;
                return new VariantComparison(
                    treatment.Name, readout.Status, Finite(readout.PosteriorMean), ok ? readout.CredibleLow : null, ok ? readout.CredibleHigh : null,
                    null, null, Lift(control, t), ok ? readout.ChanceToBeatControl : null, ok ? readout.RiskOfChoosingTreatment : null,
                    ok ? readout.RiskOfChoosingControl : null, ok && (readout.CredibleLow > 0 || readout.CredibleHigh < 0), null);
            }

            case AnalysisMethod.Sequential:
            {
                var result = SequentialTest.Compare(control.Y, t.Y, new SequentialOptions { Alpha = options.Alpha, TuningSampleSize = options.SequentialTuningSampleSize });
                var ok = result.Status == TestStatus.Ok;
                return new VariantComparison(
                    treatment.Name, result.Status, control.Count > 0 && t.Count > 0 ? result.Effect : null, ok ? result.Low : null, ok ? result.High : null,
                    null, null, Lift(control, t), null, null, null, result.ExcludesZero, null);
            }

            default:
            {
                var frequentist = new FrequentistOptions { Alpha = options.Alpha };
                double? reduction = null;
                EffectEstimate estimate;
                if (options.UseCovariate)
                {
                    var cuped = Cuped.Analyze(control, t, new CupedOptions { Alpha = options.Alpha });
                    estimate = cuped.Adjusted;
                    reduction = cuped.VarianceRatio is { } ratio ? 1 - ratio : null;
                }
                else
                {
                    estimate = options.BinaryMetric
                        ? FrequentistTest.ProportionDifference(control.Y, t.Y, frequentist)
                        : FrequentistTest.MeanDifference(control.Y, t.Y, frequentist);
                }

                return new VariantComparison(
                    treatment.Name, estimate.Status, estimate.Effect, estimate.CiLow, estimate.CiHigh, estimate.PValue, null,
                    estimate.Relative.Lift, null, null, null, estimate.PValue < options.Alpha, reduction);
            }
        }
    }

    private static double? Lift(PairedSummary control, PairedSummary treatment) =>
        control.Count > 0 && treatment.Count > 0 && control.SumY != 0 ? (treatment.Y.Mean / control.Y.Mean) - 1 : null;

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>Holm over the comparisons that have a p-value; the others keep null.</summary>
    private static double?[] Holm(IReadOnlyList<VariantComparison> comparisons)
    {
        var withP = comparisons.Select((c, i) => (c.PValue, i)).Where(p => p.PValue is not null).ToList();
        var adjusted = new double?[comparisons.Count];
        var holm = MultipleTesting.Holm([.. withP.Select(p => p.PValue!.Value)]);
        for (var k = 0; k < withP.Count; k++)
        {
            adjusted[withP[k].i] = holm[k];
        }

        return adjusted;
    }

    private static double[] ExpectedWeights(IReadOnlyList<string> names, IReadOnlyDictionary<string, double>? weights)
    {
        if (weights is null)
        {
            return [.. names.Select(_ => 1.0)];
        }

        var missing = names.Where(n => !weights.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"the expected weights name no weight for variant(s) {string.Join(", ", missing)}", nameof(weights));
        }

        var unknown = weights.Keys.Where(k => !names.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"the expected weights name unknown variant(s) {string.Join(", ", unknown)} (variants: {string.Join(", ", names)})", nameof(weights));
        }

        return [.. names.Select(n => weights[n])];
    }
}
