using PromoPilot.Measurement.Monitoring;

namespace PromoPilot.Measurement.Tests.Monitoring;

public sealed class CalibrationTests
{
    /// <summary>Hand-computed: bin [0.1,0.2) holds 0.1,0.1,0.1,0.1 with one positive (|0.25 − 0.1| = 0.15, weight 4/6); bin [0.9,1] holds 0.9, 1.0 both positive (|1 − 0.95| = 0.05, weight 2/6).</summary>
    [Fact]
    public void Compute_SmallExample_MatchesHandComputedTable()
    {
        var table = ReliabilityTable.Compute([0.1, 0.1, 0.1, 0.1, 0.9, 1.0], [true, false, false, false, true, true]);

        Assert.Equal(10, table.Bins.Count);
        Assert.Equal(4, table.Bins[1].Count);
        Assert.Equal(0.25, table.Bins[1].ObservedRate, 12);
        Assert.Equal(2, table.Bins[9].Count);
        Assert.Equal(0.95, table.Bins[9].MeanPredicted, 12);
        Assert.Equal((4 * 0.15 + 2 * 0.05) / 6, table.Ece, 12);
        Assert.Equal(3 / 6.0, table.ObservedRate, 12);
    }

    /// <summary>Outcomes drawn with exactly the predicted probabilities give a small ECE; the same outcomes against predictions doubled give a large one.</summary>
    [Fact]
    public void Compute_CalibratedVersusOverconfident_EceSeparates()
    {
        var random = new Random(3);
        var p = Enumerable.Range(0, 50_000).Select(_ => random.NextDouble() * 0.5).ToArray();
        var y = p.Select(x => random.NextDouble() < x).ToArray();

        var calibrated = ReliabilityTable.Compute(p, y);
        var doubled = ReliabilityTable.Compute([.. p.Select(x => 2 * x)], y);

        Assert.InRange(calibrated.Ece, 0, 0.01);
        Assert.InRange(doubled.Ece, 0.2, 0.3); // E|2p − p| = E[p] = 0.25
    }

    [Fact]
    public void Compare_RecentWorseByMoreThanAlert_IsAlertAndSignsOverPrediction()
    {
        var random = new Random(5);
        var p = Enumerable.Range(0, 5000).Select(_ => random.NextDouble() * 0.4).ToArray();
        var y = p.Select(x => random.NextDouble() < x).ToArray();
        var reference = ReliabilityTable.Compute(p, y);
        var recent = ReliabilityTable.Compute(p, [.. p.Select(x => random.NextDouble() < x / 2)]);

        var drift = CalibrationDrift.Compare(reference, recent);

        Assert.Equal(DriftStatus.Alert, drift.Status);
        Assert.True(drift.CalibrationInLarge > 0.05, $"over-prediction {drift.CalibrationInLarge}");
        Assert.Equal(DriftStatus.Ok, CalibrationDrift.Compare(reference, reference).Status);
    }

    [Fact]
    public void Compare_TooFewRecentPredictions_HasNoStatus()
    {
        var reference = ReliabilityTable.Compute([0.2, 0.4], [false, true]);

        Assert.Null(CalibrationDrift.Compare(reference, ReliabilityTable.Compute([0.9], [false])).Status);
    }

    [Fact]
    public void Compute_BadInput_ThrowsNamingTheParameter()
    {
        Assert.Equal("predicted", Assert.Throws<ArgumentException>(() => ReliabilityTable.Compute([1.2], [true])).ParamName);
        Assert.Equal("predicted", Assert.Throws<ArgumentException>(() => ReliabilityTable.Compute([double.NaN], [true])).ParamName);
        Assert.Equal("outcomes", Assert.Throws<ArgumentException>(() => ReliabilityTable.Compute([0.2], [])).ParamName);
        Assert.Equal("recent", Assert.Throws<ArgumentException>(() => CalibrationDrift.Compare(ReliabilityTable.Compute([0.2], [true]), ReliabilityTable.Compute([0.2], [true], bins: 5))).ParamName);
    }

    [Fact]
    public void ForecastVsActual_InsideAndOutside_CoverageErrorAndOverlap()
    {
        var inside = ForecastVsActual.Compare("incremental_conversions", 100, 80, 120, 0.9, 90, 70, 110);
        var outside = ForecastVsActual.Compare("incremental_conversions", 100, 80, 120, 0.9, 40, 10, 70);

        Assert.True(inside.Covered);
        Assert.Equal(10, inside.Error, 12);
        Assert.Equal(10 / 90.0, inside.RelativeError!.Value, 12);
        Assert.True(inside.IntervalsOverlap);
        Assert.False(outside.Covered);
        Assert.False(outside.IntervalsOverlap);
        Assert.Null(ForecastVsActual.Compare("m", 1, 0, 2, 0.9, 0).RelativeError);
        Assert.Equal("forecastLow", Assert.Throws<ArgumentException>(() => ForecastVsActual.Compare("m", 5, 0, 2, 0.9, 1)).ParamName);
    }

    [Fact]
    public void Summarize_FeaturesAndScores_OneDistributionEach()
    {
        IReadOnlyList<double> scores = [.. Enumerable.Range(0, 100).Select(i => i / 100.0)];
        var reference = ModelReference.Summarize(
            new Dictionary<string, IReadOnlyList<double>> { ["b"] = scores, ["a"] = [.. scores.Select(s => s * 2)] }, scores, null);

        Assert.Equal(["a", "b"], reference.Features.Select(f => f.Name));
        Assert.Equal(100, reference.Rows);
        Assert.Equal(9, reference.Score.Edges.Count);
        Assert.Throws<ArgumentException>(() => ModelReference.Summarize(new Dictionary<string, IReadOnlyList<double>> { ["a"] = [1.0] }, scores, null));
    }
}

public sealed class EqualMassCalibrationTests
{
    /// <summary>Predictions 0 … 0.0999 (a 1% world): equal-width bins put all in one bin, equal-mass bins split them ten ways.</summary>
    [Fact]
    public void EqualMassEdges_SmallProbabilities_SpreadOverAllBins()
    {
        double[] p = [.. Enumerable.Range(0, 1000).Select(i => i / 10_000.0)];
        var outcomes = p.Select((_, i) => i % 50 == 0).ToArray();

        var width = ReliabilityTable.Compute(p, outcomes);
        var mass = ReliabilityTable.Compute(p, outcomes, ReliabilityTable.EqualMassEdges(p));

        Assert.Equal(1000, width.Bins[0].Count);
        Assert.Equal(10, mass.Bins.Count);
        Assert.All(mass.Bins, b => Assert.InRange(b.Count, 99, 101));
        Assert.Equal(mass.Edges, ReliabilityTable.Compute(p, outcomes, mass.Edges).Edges);
    }

    [Fact]
    public void EqualMassEdges_RepeatedPredictions_MergeBinsAndEndAtOne()
    {
        var edges = ReliabilityTable.EqualMassEdges([0.2, 0.2, 0.2, 0.2, 0.7]);

        Assert.Equal(0, edges[0]);
        Assert.Equal(1, edges[^1]);
        Assert.True(edges.Zip(edges.Skip(1)).All(e => e.First < e.Second));
        Assert.Equal("edges", Assert.Throws<ArgumentException>(() => ReliabilityTable.Compute([0.5], [true], [0.0, 0.5, 0.4, 1.0])).ParamName);
    }
}
