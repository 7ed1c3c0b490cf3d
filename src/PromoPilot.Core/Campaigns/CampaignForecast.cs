namespace PromoPilot.Core.Campaigns;

/// <summary>The metrics a campaign forecast and its readout share.</summary>
public static class CampaignMetrics
{
    /// <summary>Conversions the campaign adds over its holdout, for all treated units.</summary>
    public const string IncrementalConversions = "incremental_conversions";

    /// <summary>Revenue the campaign adds over its holdout, for all treated units.</summary>
    public const string IncrementalRevenue = "incremental_revenue";

    /// <summary>Every metric a readout computes, in report order.</summary>
    public static readonly IReadOnlyList<string> All = [IncrementalConversions, IncrementalRevenue];
}

/// <summary>
/// What a model predicted, before launch, that a campaign would add: a point value with a central interval.
/// </summary>
/// <param name="Metric">One of <see cref="CampaignMetrics"/>.</param>
/// <param name="Value">The point forecast.</param>
/// <param name="Low">Lower end of the interval.</param>
/// <param name="High">Upper end of the interval.</param>
/// <param name="Level">Nominal coverage of the interval, in (0, 1), e.g. 0.9.</param>
/// <param name="Model">Which model or method made the forecast.</param>
/// <param name="CreatedAt">When the forecast was made.</param>
public sealed record CampaignForecast(string Metric, double Value, double Low, double High, double Level, string Model, DateTimeOffset CreatedAt);

/// <summary>
/// The measured effect of a campaign on one metric, for one treated arm against the control arm, set beside the
/// forecast of the same metric when there is one.
/// </summary>
/// <param name="Metric">One of <see cref="CampaignMetrics"/>.</param>
/// <param name="Arm">The treated arm.</param>
/// <param name="ControlArm">The control (holdout) arm.</param>
/// <param name="TreatedUnits">Units in the treated arm.</param>
/// <param name="ControlUnits">Units in the control arm.</param>
/// <param name="TreatedMean">Per-unit mean of the outcome in the treated arm (conversion rate, revenue per unit).</param>
/// <param name="ControlMean">The same in the control arm.</param>
/// <param name="Incremental">(TreatedMean − ControlMean) × TreatedUnits: what the campaign added to the treated arm.</param>
/// <param name="Low">Lower end of the confidence interval of <paramref name="Incremental"/>; null when the test had no result.</param>
/// <param name="High">Upper end of that interval; null when the test had no result.</param>
/// <param name="Level">Confidence level of the interval.</param>
/// <param name="PValue">Two-sided p-value of no effect; null when the test had no result.</param>
/// <param name="Status">The test's status code (ok, or why there is no interval).</param>
/// <param name="Forecast">The forecast of this metric, if one was recorded.</param>
/// <param name="ForecastError">Forecast value − measured incremental value; null without a forecast.</param>
/// <param name="ForecastCovered">Whether the forecast interval contains the measured incremental value; null without a forecast.</param>
public sealed record CampaignReadout(
    string Metric,
    string Arm,
    string ControlArm,
    long TreatedUnits,
    long ControlUnits,
    double TreatedMean,
    double ControlMean,
    double Incremental,
    double? Low,
    double? High,
    double Level,
    double? PValue,
    string Status,
    CampaignForecast? Forecast,
    double? ForecastError,
    bool? ForecastCovered);
