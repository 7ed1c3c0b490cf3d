using Prometheus;
using PromoPilot.Core.Serving;
using PromoPilot.Decisioning;
using PromoPilot.Server.Monitoring;

namespace PromoPilot.Server;

/// <summary>
/// The service's own Prometheus metrics (request rates and latency histograms: <see cref="Http.RequestMetrics"/>):
/// decisions by offer, redemptions by outcome, money redeemed, events, budget burn per campaign.
/// </summary>
public sealed class ServerMetrics
{
    private readonly Counter _decisions;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), Counter.Child> _decisionsByOffer = new();
    private readonly Counter _redemptions;
    private readonly Counter _redeemed;
    private readonly Counter _events;
    private readonly Gauge _spent;
    private readonly Gauge _budget;
    private readonly Gauge _psi;
    private readonly Gauge _scorePsi;
    private readonly Gauge _driftStatus;
    private readonly Gauge _ece;
    private readonly Gauge _forecastError;
    private readonly Gauge _forecastCovered;
    private readonly long[] _secondStamps = new long[60];
    private readonly long[] _secondCounts = new long[60];

    public ServerMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _decisions = factory.CreateCounter("promopilot_decisions_total", "Decisions served, by top offer (none when nothing qualified).", "campaign", "offer");
        _redemptions = factory.CreateCounter("promopilot_redemptions_total", "Redeem calls by outcome.", "campaign", "status");
        _redeemed = factory.CreateCounter("promopilot_redeemed_amount_total", "Money granted by redemptions (replays not counted).", "campaign");
        _events = factory.CreateCounter("promopilot_events_total", "Events acknowledged, by whether they were new or duplicates.", "result");
        _spent = factory.CreateGauge("promopilot_budget_spent", "Money a campaign has given away (all servers, as last refreshed).", "campaign");
        _budget = factory.CreateGauge("promopilot_budget", "A campaign's budget.", "campaign");
        _psi = factory.CreateGauge("promopilot_model_psi", "Population stability index of a model input: customers now against the training reference (warn >= 0.1, alert >= 0.25).", "model", "feature");
        _scorePsi = factory.CreateGauge("promopilot_model_score_psi", "Population stability index of a model's score: customers now against the training reference.", "model");
        _driftStatus = factory.CreateGauge("promopilot_model_drift_status", "Worst drift status of a model: 0 ok, 1 warn, 2 alert.", "model");
        _ece = factory.CreateGauge("promopilot_model_calibration_ece", "Expected calibration error of a model, at training and on the outcomes in the store now.", "model", "sample");
        _forecastError = factory.CreateGauge("promopilot_campaign_forecast_error", "Forecast minus readout of a read-out campaign metric.", "campaign", "arm", "metric");
        _forecastCovered = factory.CreateGauge("promopilot_campaign_forecast_covered", "1 when the readout lies inside the forecast interval, else 0.", "campaign", "arm", "metric");
    }

    public void Decided(Decision decision)
    {
        var top = decision.Offers.Count > 0 ? decision.Offers[0] : null;
        _decisionsByOffer.GetOrAdd((top?.CampaignId ?? "none", top?.OfferId ?? "none"), static (key, counter) => counter.WithLabels(key.Item1, key.Item2), _decisions).Inc();
        var second = Environment.TickCount64 / 1000;
        var slot = (int)(second % 60);
        if (Volatile.Read(ref _secondStamps[slot]) != second)
        {
            Volatile.Write(ref _secondCounts[slot], 0);
            Volatile.Write(ref _secondStamps[slot], second);
        }

        Interlocked.Increment(ref _secondCounts[slot]);
    }

    /// <summary>Decisions served by this server in the last 60 seconds (the dashboard's decisions per minute).</summary>
    public long DecisionsLastMinute()
    {
        var now = Environment.TickCount64 / 1000;
        long total = 0;
        for (var slot = 0; slot < 60; slot++)
        {
            if (now - Volatile.Read(ref _secondStamps[slot]) < 60)
            {
                total += Volatile.Read(ref _secondCounts[slot]);
            }
        }

        return total;
    }

    public void Redeemed(string campaignId, RedemptionOutcome outcome)
    {
        _redemptions.WithLabels(campaignId, outcome.Replayed ? "replayed" : outcome.Status.ToString()).Inc();
        if (outcome.Status == RedemptionStatus.Granted && !outcome.Replayed)
        {
            _redeemed.WithLabels(campaignId).Inc(outcome.AmountCents / 100.0);
        }
    }

    public void EventsAccepted(int stored, int duplicates)
    {
        _events.WithLabels("stored").Inc(stored);
        _events.WithLabels("duplicate").Inc(duplicates);
    }

    public void Burn(string campaignId, decimal? budget, CampaignSpend spend)
    {
        _spent.WithLabels(campaignId).Set(spend.SpentCents / 100.0);
        if (budget is { } b)
        {
            _budget.WithLabels(campaignId).Set((double)b);
        }
    }

    /// <summary>Sets the monitoring gauges from a monitoring pass (docs/monitoring.md).</summary>
    public void Monitored(MonitorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var model in report.Models)
        {
            foreach (var feature in model.Features.Where(f => f.Psi is not null))
            {
                _psi.WithLabels(model.Name, feature.Name).Set(feature.Psi!.Value);
            }

            if (model.Score.Psi is { } score)
            {
                _scorePsi.WithLabels(model.Name).Set(score);
            }

            _driftStatus.WithLabels(model.Name).Set((int)model.Status);
            if (model.Calibration is { } calibration)
            {
                _ece.WithLabels(model.Name, "training").Set(calibration.Reference.Ece);
                _ece.WithLabels(model.Name, "recent").Set(calibration.Recent.Ece);
            }
        }

        foreach (var campaign in report.Campaigns)
        {
            _forecastError.WithLabels(campaign.CampaignId, campaign.Arm, campaign.Comparison.Metric).Set(campaign.Comparison.Error);
            _forecastCovered.WithLabels(campaign.CampaignId, campaign.Arm, campaign.Comparison.Metric).Set(campaign.Comparison.Covered ? 1 : 0);
        }
    }
}
