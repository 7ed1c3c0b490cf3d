using PromoPilot.Core.Customers;
using PromoPilot.Core.Domain;
using PromoPilot.Features.Privacy;

namespace PromoPilot.Features.Behaviour;

/// <summary>One step of a funnel: customers who did this step and every earlier one.</summary>
public sealed record FunnelStep(string EventType, long? Customers, double? ConversionFromPrevious, double? ConversionFromFirst);

/// <summary>One cohort's row of the retention table: released size and retention share per month since the first purchase.</summary>
public sealed record CohortRow(DateOnly CohortMonth, long? Customers, IReadOnlyList<double?> Retention);

/// <summary>Share of repeat purchases whose gap since the previous purchase day falls in a bucket.</summary>
public sealed record IntervalBucket(string Label, int FromDays, int? ToDays, long Count, double Share);

/// <summary>Funnels, cohort retention and repeat-purchase intervals from aggregates the store computes.</summary>
public static class BehaviourAnalysis
{
    /// <summary>The default funnel: view, add to cart, purchase.</summary>
    public static readonly IReadOnlyList<EventType> DefaultFunnel = [EventType.View, EventType.AddToCart, EventType.Purchase];

    /// <summary>Gap buckets in days (upper bounds inclusive; the last is open).</summary>
    public static readonly IReadOnlyList<int> IntervalBounds = [7, 14, 30, 60, 90, 180, 365];

    /// <summary>
    /// Customers who did step 1, then also step 2, ... (by the set of event types each customer did, without
    /// ordering in time). Steps with released counts below the minimum group size are null.
    /// </summary>
    public static IReadOnlyList<FunnelStep> Funnel(IReadOnlyList<EventTypeSetCount> sets, IReadOnlyList<EventType> steps, AggregatePrivacy privacy)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(privacy);
        if (steps is not { Count: > 0 })
        {
            throw new ArgumentException("A funnel needs at least one step.", nameof(steps));
        }

        var result = new List<FunnelStep>();
        var mask = 0;
        long? first = null, previous = null;
        foreach (var step in steps)
        {
            mask |= 1 << (int)step;
            var reached = sets.Where(s => (s.EventTypeMask & mask) == mask).Sum(s => s.Customers);
            var released = privacy.Release(reached);
            first ??= released;
            result.Add(new FunnelStep(step.Name(), released, Ratio(released, previous), result.Count == 0 ? (released is null ? null : 1.0) : Ratio(released, first)));
            previous = released;
        }

        return result;
    }

    /// <summary>
    /// Retention by first-purchase month: for each cohort, the share of its customers who bought in month k
    /// after their first (k = 0 is 1 by definition). Cohorts smaller than the minimum group size are
    /// suppressed entirely; single cells below it are null.
    /// </summary>
    public static IReadOnlyList<CohortRow> CohortRetention(IReadOnlyList<CohortActivity> activity, AggregatePrivacy privacy)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(privacy);
        var rows = new List<CohortRow>();
        foreach (var cohort in activity.GroupBy(a => a.CohortMonth).OrderBy(g => g.Key))
        {
            var size = cohort.Where(a => a.MonthsSinceFirst == 0).Sum(a => a.Customers);
            var released = privacy.Release(size);
            var months = cohort.Max(a => a.MonthsSinceFirst);
            var retention = new double?[months + 1];
            if (released is { } n && n > 0)
            {
                foreach (var cell in cohort)
                {
                    retention[cell.MonthsSinceFirst] = privacy.Release(cell.Customers) is { } c ? Math.Min(1.0, (double)c / n) : null;
                }
            }

            rows.Add(new CohortRow(cohort.Key, released, released is null ? [] : retention));
        }

        return rows;
    }

    /// <summary>Distribution of the gaps (days) between a customer's consecutive purchase days.</summary>
    public static IReadOnlyList<IntervalBucket> RepeatIntervals(IReadOnlyList<int> gapDays)
    {
        ArgumentNullException.ThrowIfNull(gapDays);
        var counts = new long[IntervalBounds.Count + 1];
        foreach (var gap in gapDays)
        {
            if (gap < 1)
            {
                throw new ArgumentException($"A gap between purchase days is at least 1 day; got {gap}.", nameof(gapDays));
            }

            var bucket = 0;
            while (bucket < IntervalBounds.Count && gap > IntervalBounds[bucket])
            {
                bucket++;
            }

            counts[bucket]++;
        }

        var total = Math.Max(1, gapDays.Count);
        return [.. counts.Select((count, i) =>
        {
            var from = i == 0 ? 1 : IntervalBounds[i - 1] + 1;
            int? to = i < IntervalBounds.Count ? IntervalBounds[i] : null;
            return new IntervalBucket(to is null ? $"{from}+ days" : $"{from}-{to} days", from, to, count, (double)count / total);
        })];
    }

    private static double? Ratio(long? numerator, long? denominator) =>
        numerator is { } a && denominator is { } b && b > 0 ? (double)a / b : null;
}
