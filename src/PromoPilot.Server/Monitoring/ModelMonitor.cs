using System.Text;
using System.Text.Json;
using PromoPilot.Decisioning.Scoring;
using PromoPilot.Measurement.Monitoring;
using PromoPilot.Storage;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Server.Monitoring;

/// <summary>The drift of one quantity (a feature or the score); Psi and Status null when the recent data has no value for it.</summary>
public sealed record QuantityDrift(string Name, double? Psi, DriftStatus? Status, long ReferenceCount, long RecentCount, long RecentMissing, PsiResult? Detail);

/// <summary>A feature's weight in the model: |coefficient| on the standardized feature, on the uplift's log-odds and on the baseline's.</summary>
public sealed record FeatureWeight(string Feature, double Uplift, double Baseline);

/// <summary>Everything monitoring says about one model (docs/monitoring.md).</summary>
/// <param name="Name">Monitoring name of the model.</param>
/// <param name="Version">Version of its saved reference.</param>
/// <param name="Kind">Model family.</param>
/// <param name="CampaignId">The campaign it was trained on.</param>
/// <param name="Outcome">The outcome it predicts.</param>
/// <param name="TrainedAt">When it was trained.</param>
/// <param name="ModelPath">Where its file was written.</param>
/// <param name="TrainingRows">Training rows.</param>
/// <param name="Metrics">Training facts and metrics (rows, conversions, training ECE, mean uplift).</param>
/// <param name="Features">Per-feature PSI, recent customers against the training reference.</param>
/// <param name="Score">PSI of the predicted uplift.</param>
/// <param name="Calibration">Calibration drift from the outcomes now in the store; null when no outcomes are there.</param>
/// <param name="Importance">Feature weights, largest uplift weight first.</param>
/// <param name="Status">The worst status over features, score and calibration.</param>
public sealed record ModelDrift(
    string Name, int Version, string Kind, string? CampaignId, string Outcome, DateTimeOffset TrainedAt, string ModelPath, long TrainingRows,
    IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<QuantityDrift> Features, QuantityDrift Score, CalibrationDriftResult? Calibration,
    IReadOnlyList<FeatureWeight> Importance, DriftStatus Status);

/// <summary>A finished (or read out) campaign's forecast beside its readout.</summary>
public sealed record CampaignForecastCheck(string CampaignId, string? Status, string Arm, DateTimeOffset ComputedAt, ForecastComparison Comparison);

/// <summary>One monitoring pass over a store.</summary>
public sealed record MonitorReport(DateTimeOffset ComputedAt, PsiOptions Options, IReadOnlyList<ModelDrift> Models, IReadOnlyList<CampaignForecastCheck> Campaigns);

/// <summary>
/// Monitoring over a store: the training reference of every model saved in model_references (written by
/// <c>promopilot decide fit-effect</c>) compared with the customers in the store now (feature and score PSI) and with
/// the outcomes in the store now (calibration drift), and every readout compared with the forecast made at launch.
/// </summary>
public static class ModelMonitor
{
    /// <summary>The model kind of the decision service's effect model.</summary>
    public const string LinearUplift = "linear_uplift";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>What is saved as reference_json: the summary and the treated arm the model was fitted on (null = all pooled).</summary>
    private sealed record SavedReference(ModelReference Reference, string? TreatmentArm);

    /// <summary>The monitoring name of an effect model fitted on a campaign and outcome.</summary>
    public static string EffectModelName(string campaignId, bool visit) => $"effect-{campaignId}-{(visit ? "visit" : "conversion")}";

    /// <summary>
    /// Summarizes an effect model's training rows (feature bins, predicted-uplift bins, the reliability table of the
    /// probability it predicts for the arm each row received) and saves it with the model in model_references.
    /// </summary>
    /// <returns>The reference's version.</returns>
    public static int SaveEffectReference(
        DuckDbStore store, LinearUpliftModel model, IReadOnlyList<EffectTrainingRow> rows, int campaignKey, string campaignId, string? treatmentArm,
        bool visit, string modelPath, DateTimeOffset trainedAt)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        var reference = SummarizeEffect(model, rows, visit);
        using var buffer = new MemoryStream();
        model.Save(buffer);
        return MonitoringTables.Save(
            store, EffectModelName(campaignId, visit), LinearUplift, campaignKey, visit ? "visit" : "conversion", trainedAt, modelPath,
            Encoding.UTF8.GetString(buffer.ToArray()), JsonSerializer.Serialize(new SavedReference(reference, treatmentArm), Json));
    }

    /// <summary>The training reference of an effect model: features as the model sees them (missing = NaN, not binned), uplift scores, calibration.</summary>
    public static ModelReference SummarizeEffect(LinearUpliftModel model, IReadOnlyList<EffectTrainingRow> rows, bool visit)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        var features = model.Features.ToDictionary(
            f => f, f => (IReadOnlyList<double>)[.. rows.Select(r => r.Features.TryGetValue(f, out var v) ? v : double.NaN)], StringComparer.Ordinal);
        var predictions = rows.Select(r => model.Predict(r.Features, withContributions: false)).ToList();
        double[] probabilities = [.. predictions.Zip(rows, (p, r) => r.Treated ? p.TreatedProbability : p.BaselineProbability)];
        var calibration = ReliabilityTable.Compute(probabilities, [.. rows.Select(r => visit ? r.Visited : r.Converted)], ReliabilityTable.EqualMassEdges(probabilities));
        return ModelReference.Summarize(features, [.. predictions.Select(p => p.Uplift)], calibration);
    }

    /// <summary>Runs every check on the store.</summary>
    public static MonitorReport Run(DuckDbStore store, DateTimeOffset now, PsiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new PsiOptions();
        var models = MonitoringTables.Latest(store).Where(r => r.Kind == LinearUplift).Select(r => Check(store, r, options)).ToList();
        var campaigns = MonitoringTables.ForecastReadouts(store).Select(r => new CampaignForecastCheck(
            r.CampaignId, r.Status, r.Arm, r.ComputedAt,
            ForecastVsActual.Compare(r.Metric, r.Forecast, r.ForecastLow, r.ForecastHigh, r.ForecastLevel, r.Actual, r.ActualLow, r.ActualHigh))).ToList();
        return new MonitorReport(now, options, models, campaigns);
    }

    private static ModelDrift Check(DuckDbStore store, ModelReferenceRow row, PsiOptions options)
    {
        var saved = JsonSerializer.Deserialize<SavedReference>(row.ReferenceJson, Json)
            ?? throw new InvalidDataException($"model '{row.Name}' v{row.Version}: empty reference in {MonitoringTables.Name}.");
        var reference = saved.Reference;
        LinearUpliftModel model;
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(row.ModelJson)))
        {
            model = LinearUpliftModel.Load(stream);
        }

        var customers = MonitoringTables.CustomerFeatures(store, model.Features);
        var features = reference.Features.Select(f => Drift(f, [.. customers.Select(c => c.TryGetValue(f.Name, out var v) ? v : double.NaN)], options)).ToList();
        var score = Drift(reference.Score, [.. customers.Select(c => model.Predict(c, withContributions: false).Uplift)], options);

        CalibrationDriftResult? calibration = null;
        string? campaignId = null;
        if (row.CampaignKey is { } key)
        {
            var ids = store.Query("SELECT any_value(campaign_id) AS id FROM campaigns WHERE campaign_key = $k", ("k", key));
            campaignId = ids.Count > 0 ? ids[0]["id"] as string : null;
            var outcomes = EffectTrainingQuery.Load(store, key, saved.TreatmentArm);
            if (outcomes.Count > 0 && reference.Calibration is { } trained)
            {
                var visit = row.Outcome == "visit";
                var recent = ReliabilityTable.Compute(
                    [.. outcomes.Select(r => model.Predict(r.Features, withContributions: false)).Zip(outcomes, (p, r) => r.Treated ? p.TreatedProbability : p.BaselineProbability)],
                    [.. outcomes.Select(r => visit ? r.Visited : r.Converted)],
                    trained.Edges);
                calibration = CalibrationDrift.Compare(trained, recent);
            }
        }

        var v = model.Values;
        var importance = v.Features.Select((f, j) => new FeatureWeight(f, Math.Abs(v.Treatment[j]), Math.Abs(v.Baseline[j])))
            .OrderByDescending(w => w.Uplift).ThenBy(w => w.Feature, StringComparer.Ordinal).ToList();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["rows"] = v.Rows,
            ["treated_rows"] = v.TreatedRows,
            ["conversions"] = v.Conversions,
            ["ridge"] = v.Ridge,
            ["training_ece"] = reference.Calibration?.Ece ?? double.NaN,
            ["training_positive_rate"] = reference.Calibration?.ObservedRate ?? double.NaN,
        };
        var statuses = features.Select(f => f.Status).Append(score.Status).Append(calibration?.Status).OfType<DriftStatus>();
        return new ModelDrift(
            row.Name, row.Version, row.Kind, campaignId, row.Outcome, row.CreatedAt, row.ModelPath, reference.Rows, metrics, features, score, calibration,
            importance, statuses.DefaultIfEmpty(DriftStatus.Ok).Max());
    }

    private static QuantityDrift Drift(ReferenceDistribution reference, double[] recent, PsiOptions options)
    {
        if (!recent.Any(double.IsFinite))
        {
            return new QuantityDrift(reference.Name, null, null, reference.Count, 0, recent.Length, null);
        }

        var result = PopulationStability.Compute(reference, recent, options);
        return new QuantityDrift(reference.Name, result.Psi, result.Status, reference.Count, result.RecentCount, result.RecentMissing, result);
    }

    /// <summary>The report as the JSON object <c>promopilot monitor --json</c> prints (snake_case; infinite bin ends as null).</summary>
    public static object ToJson(MonitorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            computed_at = report.ComputedAt,
            thresholds = new { psi_warn = report.Options.Warn, psi_alert = report.Options.Alert, bins = report.Options.Bins, epsilon = report.Options.Epsilon },
            models = report.Models.Select(m => new
            {
                name = m.Name,
                version = m.Version,
                kind = m.Kind,
                campaign = m.CampaignId,
                outcome = m.Outcome,
                trained_at = m.TrainedAt,
                model_path = m.ModelPath,
                training_rows = m.TrainingRows,
                status = Text(m.Status),
                metrics = m.Metrics.ToDictionary(p => p.Key, p => Finite(p.Value)),
                features = m.Features.Select(Quantity).ToList(),
                score = Quantity(m.Score),
                calibration = m.Calibration is { } c ? new
                {
                    status = c.Status is { } s ? Text(s) : "too_few_outcomes",
                    training_ece = c.Reference.Ece,
                    recent_ece = c.Recent.Ece,
                    ece_increase = c.EceIncrease,
                    recent_count = c.Recent.Count,
                    recent_mean_predicted = c.Recent.MeanPredicted,
                    recent_positive_rate = c.Recent.ObservedRate,
                    reliability = c.Recent.Bins.Select(b => new { low = b.Low, high = b.High, count = b.Count, mean_predicted = b.MeanPredicted, observed_rate = b.ObservedRate }).ToList(),
                } : null,
                importance = m.Importance.Select(w => new { feature = w.Feature, uplift = w.Uplift, baseline = w.Baseline }).ToList(),
            }).ToList(),
            forecast_vs_actual = report.Campaigns.Select(c => new
            {
                campaign = c.CampaignId,
                campaign_status = c.Status,
                arm = c.Arm,
                metric = c.Comparison.Metric,
                computed_at = c.ComputedAt,
                forecast = c.Comparison.Forecast,
                forecast_low = c.Comparison.ForecastLow,
                forecast_high = c.Comparison.ForecastHigh,
                forecast_level = c.Comparison.ForecastLevel,
                actual = c.Comparison.Actual,
                actual_low = c.Comparison.ActualLow,
                actual_high = c.Comparison.ActualHigh,
                error = c.Comparison.Error,
                relative_error = c.Comparison.RelativeError,
                covered = c.Comparison.Covered,
                intervals_overlap = c.Comparison.IntervalsOverlap,
            }).ToList(),
        };
    }

    /// <summary>ok, warn or alert.</summary>
    public static string Text(DriftStatus status) => status switch
    {
        DriftStatus.Alert => "alert",
        DriftStatus.Warn => "warn",
        _ => "ok",
    };

    private static object Quantity(QuantityDrift q) => new
    {
        name = q.Name,
        psi = q.Psi,
        status = q.Status is { } s ? Text(s) : "no_data",
        reference_count = q.ReferenceCount,
        recent_count = q.RecentCount,
        recent_missing = q.RecentMissing,
        bins = q.Detail?.Bins.Select(b => new { low = Finite(b.Low), high = Finite(b.High), reference_share = b.ReferenceShare, recent_share = b.RecentShare }).ToList(),
    };

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
