using FsCheck;
using FsCheck.Fluent;
using PromoPilot.Measurement.Experiments.Bayesian;
using PromoPilot.Measurement.Experiments.Sequential;
using PromoPilot.Measurement.Experiments.Statistics;
using PromoPilot.Measurement.Tests.Sequential;

namespace PromoPilot.Measurement.Tests.Bayesian;

public class NormalBayesTestTests
{
    public static TheoryData<int> Cases => ReferenceCases.Indices("normal");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compare_ReferenceCase_MatchesScipyAt5Decimals(int index)
    {
        var reference = ReferenceCases.Case("normal", index);
        var priorSd = reference.GetProperty("prior_sd");
        var options = new NormalBayesOptions
        {
            Scale = ReferenceCases.Scale(reference),
            PriorMean = ReferenceCases.Number(reference, "prior_mean"),
            PriorStdDev = priorSd.ValueKind == System.Text.Json.JsonValueKind.Null ? double.PositiveInfinity : priorSd.GetDouble(),
            CredibleLevel = ReferenceCases.Number(reference, "credible_level"),
        };

        var readout = NormalBayesTest.Compare(
            ReferenceCases.Summary(reference.GetProperty("control")), ReferenceCases.Summary(reference.GetProperty("treatment")), options);

        Assert.Equal(TestStatus.Ok, readout.Status);
        Assert.Equal(ReferenceCases.Number(reference, "posterior_mean"), readout.PosteriorMean, 5);
        Assert.Equal(ReferenceCases.Number(reference, "posterior_sd"), readout.PosteriorStdDev, 5);
        Assert.Equal(ReferenceCases.Number(reference, "credible_low"), readout.CredibleLow, 5);
        Assert.Equal(ReferenceCases.Number(reference, "credible_high"), readout.CredibleHigh, 5);
        Assert.Equal(ReferenceCases.Number(reference, "chance_to_beat_control"), readout.ChanceToBeatControl, 5);
        Assert.Equal(ReferenceCases.Number(reference, "risk_of_choosing_treatment"), readout.RiskOfChoosingTreatment, 5);
        Assert.Equal(ReferenceCases.Number(reference, "risk_of_choosing_control"), readout.RiskOfChoosingControl, 5);
    }

    [Theory]
    [InlineData(0, TestStatus.NoUnits)]
    [InlineData(1, TestStatus.TooFewUnits)]
    public void Compare_DegenerateDataWithFlatPrior_ReturnsCodedStatusAndNoInformation(int controlUnits, TestStatus expected)
    {
        var control = MetricSummary.Of(Enumerable.Repeat(2.0, controlUnits).ToArray());

        var readout = NormalBayesTest.Compare(control, MetricSummary.Of([1.0, 2, 3]));

        Assert.Equal(expected, readout.Status);
        Assert.Equal(0.5, readout.ChanceToBeatControl);
        Assert.Equal(double.NegativeInfinity, readout.CredibleLow);
        Assert.Equal(double.PositiveInfinity, readout.CredibleHigh);
        Assert.Equal(double.PositiveInfinity, readout.RiskOfChoosingTreatment);
        Assert.Equal(double.PositiveInfinity, readout.RiskOfChoosingControl);
    }

    [Fact]
    public void Compare_ZeroVarianceWithProperPrior_ReturnsThePrior()
    {
        var options = new NormalBayesOptions { PriorMean = 0.1, PriorStdDev = 0.2 };

        var readout = NormalBayesTest.Compare(MetricSummary.OfProportion(20, 0), MetricSummary.OfProportion(20, 0), options);

        Assert.Equal(TestStatus.ZeroVariance, readout.Status);
        Assert.Equal(0.1, readout.PosteriorMean);
        Assert.Equal(0.2, readout.PosteriorStdDev);
        Assert.Equal(MathNet.Numerics.Distributions.Normal.CDF(0, 1, 0.5), readout.ChanceToBeatControl, 12);
    }

    [Fact]
    public void Compare_ProperPrior_ShrinksTowardPriorMean()
    {
        var control = MetricSummary.Of([1.0, 2, 3, 4, 5]);
        var treatment = MetricSummary.Of([2.0, 3, 4, 5, 6]);

        var flat = NormalBayesTest.Compare(control, treatment);
        var proper = NormalBayesTest.Compare(control, treatment, new NormalBayesOptions { PriorStdDev = 0.5 });

        Assert.Equal(1, flat.PosteriorMean, 12);
        Assert.InRange(proper.PosteriorMean, 0.01, 0.99);
        Assert.True(proper.PosteriorStdDev < flat.PosteriorStdDev);
    }

    [Fact]
    public void Compare_Risks_DifferByThePosteriorMean()
    {
        SeededProperty.Check(Prop.ForAll(
            Gen.Choose(-1000, 1000).ToArbitrary(),
            Gen.Choose(1, 1000).ToArbitrary(),
            (shift, spread) =>
            {
                var control = MetricSummary.Of([0.0, spread / 100.0, spread / 50.0]);
                var treatment = MetricSummary.Of([shift / 100.0, (shift + spread) / 100.0, (shift + (2 * spread)) / 100.0]);
                var readout = NormalBayesTest.Compare(control, treatment);
                return Math.Abs(readout.RiskOfChoosingControl - readout.RiskOfChoosingTreatment - readout.PosteriorMean) < 1e-9
                    && readout.RiskOfChoosingTreatment >= 0 && readout.RiskOfChoosingControl >= 0;
            }));
    }

    [Fact]
    public void ChanceToBeBest_ThreeArms_SumsToOneAndIsSeeded()
    {
        var random = new Random(5);
        MetricSummary[] arms = [.. new[] { 10.0, 10.2, 11.0 }.Select(mean =>
            MetricSummary.Of(Enumerable.Range(0, 400).Select(_ => mean + (3 * (random.NextDouble() - 0.5))).ToArray()))];

        var readout = NormalBayesTest.ChanceToBeBest(arms);

        Assert.Equal(TestStatus.Ok, readout.Status);
        Assert.Equal(1, readout.Chances.Sum(), 12);
        Assert.True(readout.Chances[2] > 0.99);
        Assert.Equal(readout.Chances, NormalBayesTest.ChanceToBeBest(arms).Chances);
    }

    [Fact]
    public void ChanceToBeBest_ArmWithoutUnits_ReturnsUniformChances()
    {
        var readout = NormalBayesTest.ChanceToBeBest([MetricSummary.Of([1.0, 2]), MetricSummary.Empty, MetricSummary.Of([5.0, 6])]);

        Assert.Equal(TestStatus.NoUnits, readout.Status);
        Assert.All(readout.Chances, c => Assert.Equal(1.0 / 3, c, 12));
    }
}
