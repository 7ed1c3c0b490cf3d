using System.Collections.Concurrent;
using PromoPilot.Core.Serving;

namespace PromoPilot.Decisioning.State;

/// <summary>
/// The online state of a single server, in process: the default of <c>promopilot serve</c>. Counters of one campaign
/// change under one lock, so every limit holds exactly under concurrent requests; entries with a time to live expire
/// on read and are swept when the table grows.
/// </summary>
public sealed class InProcessOnlineState(TimeProvider clock) : IOnlineState
{
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset Expires)> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Expires)> _impressions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, double>> _features = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CampaignCounters> _campaigns = new(StringComparer.Ordinal);
    private int _writesSinceSweep;

    public ValueTask<bool> TryClaimImpressionAsync(ImpressionClaim claim, CancellationToken cancellationToken = default)
    {
        if (claim.CapCount is not { } cap)
        {
            return ValueTask.FromResult(true);
        }

        var now = clock.GetUtcNow();
        var key = $"{claim.CampaignId}\u001f{claim.UserId}";
        var granted = false;
        _impressions.AddOrUpdate(
            key,
            _ =>
            {
                granted = cap >= 1;
                return (granted ? 1 : 0, now + claim.CapWindow);
            },
            (_, current) =>
            {
                if (current.Expires <= now)
                {
                    granted = cap >= 1;
                    return (granted ? 1 : 0, now + claim.CapWindow);
                }

                granted = current.Count < cap;
                return granted ? (current.Count + 1, current.Expires) : current;
            });
        SweepNow(now);
        return ValueTask.FromResult(granted);
    }

    public ValueTask<RedemptionOutcome> RedeemAsync(RedemptionClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentOutOfRangeException.ThrowIfNegative(claim.AmountCents, nameof(claim));
        var counters = _campaigns.GetOrAdd(claim.CampaignId, _ => new CampaignCounters());
        lock (counters)
        {
            if (counters.Answers.TryGetValue(claim.IdempotencyKey, out var earlier))
            {
                return ValueTask.FromResult(earlier with { Replayed = true });
            }

            var status = Check(counters, claim);
            var outcome = new RedemptionOutcome(status, status == RedemptionStatus.Granted ? claim.AmountCents : 0, false);
            if (status == RedemptionStatus.Granted)
            {
                counters.SpentCents += claim.AmountCents;
                counters.Redemptions++;
                counters.PerUser[claim.UserId] = counters.PerUser.GetValueOrDefault(claim.UserId) + 1;
                var offer = counters.Offers.TryGetValue(claim.OfferId, out var o) ? o : counters.Offers[claim.OfferId] = new OfferCounters();
                offer.SpentCents += claim.AmountCents;
                offer.Redemptions++;
                offer.PerUser[claim.UserId] = offer.PerUser.GetValueOrDefault(claim.UserId) + 1;
                counters.Answers[claim.IdempotencyKey] = outcome;
            }

            return ValueTask.FromResult(outcome);
        }
    }

    public ValueTask<CampaignSpend> GetSpendAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        if (!_campaigns.TryGetValue(campaignId, out var counters))
        {
            return ValueTask.FromResult(default(CampaignSpend));
        }

        lock (counters)
        {
            return ValueTask.FromResult(new CampaignSpend(counters.SpentCents, counters.Redemptions));
        }
    }

    public ValueTask<string> GetOrAddAsync(string key, string value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var stored = _values.AddOrUpdate(key, _ => (value, now + timeToLive), (_, current) => current.Expires > now ? current : (value, now + timeToLive));
        SweepNow(now);
        return ValueTask.FromResult(stored.Value);
    }

    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_values.TryGetValue(key, out var entry) && entry.Expires > clock.GetUtcNow() ? entry.Value : null);

    public ValueTask AddFeaturesAsync(string userId, IReadOnlyList<KeyValuePair<string, double>> deltas, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        var features = _features.GetOrAdd(userId, _ => new ConcurrentDictionary<string, double>(StringComparer.Ordinal));
        foreach (var (name, delta) in deltas)
        {
            features.AddOrUpdate(name, delta, (_, current) => current + delta);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyDictionary<string, double>> GetFeaturesAsync(string userId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, double>>(_features.TryGetValue(userId, out var features) ? new Dictionary<string, double>(features, StringComparer.Ordinal) : Empty);

    private static readonly IReadOnlyDictionary<string, double> Empty = new Dictionary<string, double>();

    private static RedemptionStatus Check(CampaignCounters counters, RedemptionClaim claim)
    {
        var offer = counters.Offers.GetValueOrDefault(claim.OfferId);
        return true switch
        {
            _ when claim.CampaignBudgetCents is { } budget && counters.SpentCents + claim.AmountCents > budget => RedemptionStatus.CampaignBudgetExhausted,
            _ when claim.CampaignMaxRedemptions is { } max && counters.Redemptions >= max => RedemptionStatus.CampaignRedemptionLimit,
            _ when claim.PerUserRedemptions is { } perUser && counters.PerUser.GetValueOrDefault(claim.UserId) >= perUser => RedemptionStatus.UserLimit,
            _ when claim.OfferBudgetCents is { } budget && (offer?.SpentCents ?? 0) + claim.AmountCents > budget => RedemptionStatus.OfferBudgetExhausted,
            _ when claim.OfferStock is { } stock && (offer?.Redemptions ?? 0) >= stock => RedemptionStatus.OutOfStock,
            _ when claim.OfferPerUserLimit is { } limit && (offer?.PerUser.GetValueOrDefault(claim.UserId) ?? 0) >= limit => RedemptionStatus.OfferUserLimit,
            _ => RedemptionStatus.Granted,
        };
    }

    /// <summary>Drops expired entries once every 100,000 writes, so memory follows the live keys.</summary>
    private void SweepNow(DateTimeOffset now)
    {
        if (Interlocked.Increment(ref _writesSinceSweep) % 100_000 != 0)
        {
            return;
        }

        foreach (var (key, entry) in _values)
        {
            if (entry.Expires <= now)
            {
                _values.TryRemove(key, out _);
            }
        }

        foreach (var (key, entry) in _impressions)
        {
            if (entry.Expires <= now)
            {
                _impressions.TryRemove(key, out _);
            }
        }
    }

    private sealed class CampaignCounters
    {
        public long SpentCents { get; set; }

        public long Redemptions { get; set; }

        public Dictionary<string, long> PerUser { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, OfferCounters> Offers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, RedemptionOutcome> Answers { get; } = new(StringComparer.Ordinal);
    }

    private sealed class OfferCounters
    {
        public long SpentCents { get; set; }

        public long Redemptions { get; set; }

        public Dictionary<string, long> PerUser { get; } = new(StringComparer.Ordinal);
    }
}
