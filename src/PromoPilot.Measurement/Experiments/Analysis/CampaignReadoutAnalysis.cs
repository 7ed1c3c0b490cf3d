using PromoPilot.Core.Campaigns;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Experiments.Analysis;

/// <summary>One arm of a launched campaign: its units' conversions (0/1 each) and revenue.</summary>
/// <param name="Name">The arm.</param>
/// <param name="IsControl">True for the holdout the campaign is measured against.</param>
/// <param name="Conversions">Per-unit conversion, 0 or 1.</param>
/// <param name="Revenue">Per-unit revenue.</param>
public sealed record CampaignArm(string Name, bool IsControl, MetricSummary Conversions, MetricSummary Revenue);

/// <summary>
/// What a launched campaign added, measured against its randomized holdout, and how that compares with its
/// forecast. For each treated arm and metric: the difference of per-unit means (two-proportion test for
/// conversions, Welch for revenue) scaled by the arm's units, so "incremental conversions" is what the arm gained
/// over what the same units would have done untreated. With several treated arms a pooled row
/// (<see cref="AllTreated"/>) compares them together with the control; forecasts, made for the whole campaign,
/// are compared with that row (or with the single treated arm).
/// </summary>
public static class CampaignReadoutAnalysis
{
    /// <summary>The arm name of the pooled row of all treated arms.</summary>
    public const string AllTreated = "(all treated)";

    /// <exception cref="ArgumentException">There is not exactly one control arm, or no treated arm.</exception>
    public static IReadOnlyList<CampaignReadout> Analyze(
        IReadOnlyList<CampaignArm> arms, IReadOnlyDictionary<string, CampaignForecast> forecasts, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(arms);
        ArgumentNullException.ThrowIfNull(forecasts);
        var options = new FrequentistOptions { Alpha = alpha };
        var controls = arms.Where(a => a.IsControl).ToList();
        if (controls.Count != 1)
        {
            throw new ArgumentException(controls.Count == 0
                ? $"no control (holdout) arm among {string.Join(", ", arms.Select(a => a.Name))}: the campaign's effect cannot be measured"
                : $"several control arms ({string.Join(", ", controls.Select(a => a.Name))}): one holdout is expected", nameof(arms));
        }

        var control = controls[0];
        var treated = arms.Where(a => !a.IsControl).ToList();
        if (treated.Count == 0)
        {
            throw new ArgumentException($"the campaign has only its control arm '{control.Name}': nothing was treated", nameof(arms));
        }

        var rows = new List<(CampaignArm Arm, bool Forecasted)>();
        rows.AddRange(treated.Select(a => (a, treated.Count == 1)));
        if (treated.Count > 1)
        {
            var pooled = treated.Aggregate((a, b) => new CampaignArm(AllTreated, false, a.Conversions + b.Conversions, a.Revenue + b.Revenue));
            rows.Add((pooled, true));
        }

        var readouts = new List<CampaignReadout>();
        foreach (var (arm, forecasted) in rows)
        {
            readouts.Add(Readout(
                CampaignMetrics.IncrementalConversions, arm, control,
                FrequentistTest.ProportionDifference(control.Conversions, arm.Conversions, options),
                forecasted ? forecasts.GetValueOrDefault(CampaignMetrics.IncrementalConversions) : null, 1 - alpha));
            readouts.Add(Readout(
                CampaignMetrics.IncrementalRevenue, arm, control,
                FrequentistTest.MeanDifference(control.Revenue, arm.Revenue, options),
                forecasted ? forecasts.GetValueOrDefault(CampaignMetrics.IncrementalRevenue) : null, 1 - alpha));
        }

        return readouts;
    }

    private static CampaignReadout Readout(
        string metric, CampaignArm arm, CampaignArm control, EffectEstimate estimate, CampaignForecast? forecast, double level)
    {
        var units = arm.Conversions.Count;
        var treatedMean = metric == CampaignMetrics.IncrementalConversions ? arm.Conversions.Mean : arm.Revenue.Mean;
        var controlMean = metric == CampaignMetrics.IncrementalConversions ? control.Conversions.Mean : control.Revenue.Mean;
        var incremental = (estimate.Effect ?? 0) * units;
        return new CampaignReadout(
            metric, arm.Name, control.Name, units, control.Conversions.Count,
            units > 0 ? treatedMean : 0, control.Conversions.Count > 0 ? controlMean : 0, incremental,
            estimate.CiLow * units, estimate.CiHigh * units, level, estimate.PValue, estimate.Status.ToString(),
            forecast,
            forecast is null ? null : forecast.Value - incremental,
            forecast is null ? null : forecast.Low <= incremental && incremental <= forecast.High);
    }
}
