using PromoPilot.Core.Experiments;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Measurement.Experiments.Assignment;
using PromoPilot.Storage.Experiments;

namespace PromoPilot.Measurement.Tests.Assignment;

/// <summary>The exposure recorder writing to the real DuckDB store, and first exposures read back.</summary>
public sealed class ExposureLogTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private readonly TestStore _store = new();
    private readonly ManualClock _clock = new(Start);

    [Fact]
    public void FirstExposures_RepeatedUnits_KeepsEachUnitsEarliestExposure()
    {
        using var log = new DuckDbExposureLog(_store.Store, batchSize: 3);
        var recorder = new ExposureRecorder(log, _clock);
        var assigner = new Assigner(new ExperimentDefinition("checkout-offer", [new("control", 1), new("treatment", 1)]));
        var units = Enumerable.Range(0, 50).Select(i => $"customer-{i}").ToArray();
        var page = new Dictionary<string, string> { ["page"] = "cart" };

        // Three visits of every unit, a minute apart; one unit later shows another variant (say, after a bug fix).
        for (var visit = 0; visit < 3; visit++)
        {
            foreach (var unit in units)
            {
                Assert.True(recorder.Record(unit, assigner.Assign(unit), visit == 0 ? page : null));
                _clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        log.Append(new ExperimentExposure("checkout-offer", "customer-7", "other", _clock.GetUtcNow()));
        log.Append(new ExperimentExposure("search-ranking", "customer-7", "b", Start.AddDays(-1)));
        var first = log.FirstExposures("checkout-offer");

        Assert.Equal(152, _store.Count($"SELECT count(*) FROM {DuckDbExposureLog.Table}"));
        Assert.Equal(units.Length, first.Count);
        for (var i = 0; i < units.Length; i++)
        {
            var exposure = first[i];
            Assert.Equal(units[i], exposure.UnitId); // in time order: the first visit's order
            Assert.Equal(assigner.Assign(units[i]).Variant, exposure.Variant);
            Assert.Equal(Start.AddSeconds(i), exposure.Timestamp);
            Assert.Equal(page, exposure.Attributes);
        }

        Assert.Equal("b", Assert.Single(log.FirstExposures("search-ranking")).Variant);
        Assert.Empty(log.FirstExposures("no-such-experiment"));
    }

    [Fact]
    public void Append_BuffersUntilABatchIsFull()
    {
        using var log = new DuckDbExposureLog(_store.Store, batchSize: 3);
        var table = $"SELECT count(*) FROM {DuckDbExposureLog.Table}";

        log.Append(new ExperimentExposure("e", "u1", "a", Start));
        log.Append(new ExperimentExposure("e", "u2", "a", Start));
        Assert.Equal(0, _store.Count(table));
        log.Append(new ExperimentExposure("e", "u3", "a", Start));
        Assert.Equal(3, _store.Count(table));
        log.Append(new ExperimentExposure("e", "u4", "a", Start));
        log.Flush();
        Assert.Equal(4, _store.Count(table));
    }

    [Fact]
    public void FirstExposures_SameTimestamp_KeepsTheOneAppendedFirst()
    {
        using var log = new DuckDbExposureLog(_store.Store);
        log.Append(new ExperimentExposure("e", "u1", "treatment", Start));
        log.Append(new ExperimentExposure("e", "u1", "control", Start));

        Assert.Equal("treatment", Assert.Single(log.FirstExposures("e")).Variant);
    }

    [Fact]
    public void Record_UnitWithoutVariant_LogsNothing()
    {
        using var log = new DuckDbExposureLog(_store.Store);
        var recorder = new ExposureRecorder(log, _clock);

        Assert.False(recorder.Record("u1", new UnitAssignment("e", null, AssignmentReason.Holdout, 12)));
        Assert.Empty(log.FirstExposures("e"));
    }

    public void Dispose() => _store.Dispose();

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
