using Prometheus;
using PromoPilot.Core.Serving;
using PromoPilot.Decisioning;

namespace PromoPilot.Server;

/// <summary>
/// The service's own Prometheus metrics (request rates and latency histograms come from prometheus-net's HTTP
/// middleware): decisions by offer, redemptions by outcome, money redeemed, events, budget burn per campaign.
/// </summary>
public sealed class ServerMetrics
{
    private readonly Counter _decisions;
    private readonly Counter _redemptions;
    private readonly Counter _redeemed;
    private readonly Counter _events;
    private readonly Gauge _spent;
    private readonly Gauge _budget;

    public ServerMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _decisions = factory.CreateCounter("promopilot_decisions_total", "Decisions served, by top offer (none when nothing qualified).", "campaign", "offer");
        _redemptions = factory.CreateCounter("promopilot_redemptions_total", "Redeem calls by outcome.", "campaign", "status");
        _redeemed = factory.CreateCounter("promopilot_redeemed_amount_total", "Money granted by redemptions (replays not counted).", "campaign");
        _events = factory.CreateCounter("promopilot_events_total", "Events acknowledged, by whether they were new or duplicates.", "result");
        _spent = factory.CreateGauge("promopilot_budget_spent", "Money a campaign has given away (all servers, as last refreshed).", "campaign");
        _budget = factory.CreateGauge("promopilot_budget", "A campaign's budget.", "campaign");
    }

    public void Decided(Decision decision)
    {
        var top = decision.Offers.Count > 0 ? decision.Offers[0] : null;
        _decisions.WithLabels(top?.CampaignId ?? "none", top?.OfferId ?? "none").Inc();
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
}
