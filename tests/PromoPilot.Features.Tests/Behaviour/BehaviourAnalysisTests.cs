using PromoPilot.Core.Customers;
using PromoPilot.Core.Domain;
using PromoPilot.Features.Behaviour;
using PromoPilot.Features.Privacy;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Features.Tests.Behaviour;

public class BehaviourAnalysisTests
{
    private static readonly AggregatePrivacy NoSuppression = new(new AggregatePrivacyOptions(MinGroupSize: 1));

    private static int Mask(params EventType[] types) => types.Aggregate(0, (m, t) => m | (1 << (int)t));

    [Fact]
    public void Funnel_KnownSets_CountsCustomersWhoDidEveryStepSoFar()
    {
        EventTypeSetCount[] sets =
        [
            new(Mask(EventType.View), 50),
            new(Mask(EventType.View, EventType.AddToCart), 30),
            new(Mask(EventType.View, EventType.AddToCart, EventType.Purchase), 15),
            new(Mask(EventType.Purchase), 5),   // bought without a tracked view: not in the funnel past step 1
        ];

        var funnel = BehaviourAnalysis.Funnel(sets, BehaviourAnalysis.DefaultFunnel, NoSuppression);

        Assert.Equal([95L, 45L, 15L], funnel.Select(s => s.Customers!.Value));
        Assert.Equal(45.0 / 95, funnel[1].ConversionFromPrevious!.Value, 12);
        Assert.Equal(15.0 / 45, funnel[2].ConversionFromPrevious!.Value, 12);
        Assert.Equal(15.0 / 95, funnel[2].ConversionFromFirst!.Value, 12);
    }

    [Fact]
    public void CohortRetention_SmallCohortsAndCells_AreSuppressed()
    {
        var jan = new DateOnly(2024, 1, 1);
        var feb = new DateOnly(2024, 2, 1);
        CohortActivity[] activity = [new(jan, 0, 40), new(jan, 1, 12), new(jan, 2, 4), new(feb, 0, 6), new(feb, 1, 5)];

        var rows = BehaviourAnalysis.CohortRetention(activity, new AggregatePrivacy(new AggregatePrivacyOptions()));

        Assert.Equal(40, rows[0].Customers);
        Assert.Equal([1.0, 0.3, null], rows[0].Retention);
        Assert.Null(rows[1].Customers);
        Assert.Empty(rows[1].Retention);
    }

    [Fact]
    public void RepeatIntervals_KnownGaps_FallInTheirBuckets()
    {
        var buckets = BehaviourAnalysis.RepeatIntervals([1, 7, 8, 30, 31, 365, 366, 1000]);

        Assert.Equal([2L, 1, 1, 1, 0, 0, 1, 2], buckets.Select(b => b.Count));
        Assert.Equal("1-7 days", buckets[0].Label);
        Assert.Equal("366+ days", buckets[^1].Label);
        Assert.Equal(1.0, buckets.Sum(b => b.Share), 12);
        Assert.Throws<ArgumentException>(() => BehaviourAnalysis.RepeatIntervals([0]));
    }

    [Fact]
    public void Release_CountsBelowTheMinimum_AreSuppressedAndNoiseIsLaplace()
    {
        var plain = new AggregatePrivacy(new AggregatePrivacyOptions(MinGroupSize: 10));
        Assert.Null(plain.Release(9));
        Assert.Equal(10, plain.Release(10));

        var noisy = new AggregatePrivacy(new AggregatePrivacyOptions(Epsilon: 0.5, Seed: 42));
        var draws = Enumerable.Range(0, 200_000).Select(_ => noisy.Laplace(2.0)).ToArray();
        // Laplace(0, b): mean 0, E|X| = b, variance 2 b^2.
        Assert.Equal(0.0, draws.Average(), 1);
        Assert.Equal(2.0, draws.Average(Math.Abs), 1);
        Assert.Equal(8.0, draws.Average(d => d * d), 0);
        var first = new AggregatePrivacy(new AggregatePrivacyOptions(Epsilon: 0.5, Seed: 7));
        var again = new AggregatePrivacy(new AggregatePrivacyOptions(Epsilon: 0.5, Seed: 7));
        var released = Enumerable.Range(0, 50).Select(_ => first.Release(1000)!.Value).ToArray();
        Assert.Equal(released, Enumerable.Range(0, 50).Select(_ => again.Release(1000)!.Value));   // reproducible for a seed
        Assert.Contains(released, r => r != 1000);                                                    // and noisy
        Assert.Throws<ArgumentException>(() => new AggregatePrivacy(new AggregatePrivacyOptions(Epsilon: 0)));
        Assert.Throws<ArgumentException>(() => new AggregatePrivacy(new AggregatePrivacyOptions(MinGroupSize: 0)));
    }

    [DatasetFact("online_retail")]
    public void Queries_OnlineRetail_MatchAnIndependentCount()
    {
        using var store = new TestStore();
        store.Import(new OnlineRetailImporter(), SharedData.Path("online_retail", "online_retail.csv.gz"));
        var asOf = CustomerActivityQuery.DefaultAsOf(store.Store)!.Value;

        var cohorts = BehaviourAnalysis.CohortRetention(BehaviourQuery.Cohorts(store.Store, asOf), NoSuppression);
        var gaps = BehaviourQuery.RepeatGaps(store.Store, asOf);

        // Counted with Python's csv module over the raw file (sales lines of identified customers).
        Assert.Equal(885, cohorts[0].Customers);
        Assert.Equal(324.0 / 885, cohorts[0].Retention[1]!.Value, 12);
        Assert.Equal(12_427, gaps.Count);
        Assert.Equal(2_149, BehaviourAnalysis.RepeatIntervals(gaps)[0].Count);
    }
}
