using FsCheck;
using FsCheck.Fluent;
using PromoPilot.Measurement.Experiments.Bayesian;
using PromoPilot.Measurement.Experiments.Sequential;
using PromoPilot.Measurement.Experiments.Statistics;
using PromoPilot.Measurement.Tests.Sequential;

namespace PromoPilot.Measurement.Tests.Bayesian;

public class BetaBinomialTestTests
{
    public static TheoryData<int> Cases => ReferenceCases.Indices("beta_binomial");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compare_ReferenceCase_MatchesScipyIntegrationAt5Decimals(int index)
    {
        var reference = ReferenceCases.Case("beta_binomial", index);
        var control = ReferenceCases.Summary(reference.GetProperty("control"));
        var treatment = ReferenceCases.Summary(reference.GetProperty("treatment"));

        var readout = BetaBinomialTest.Compare(control, treatment);

        Assert.Equal(control.Count == 0 ? TestStatus.NoUnits : TestStatus.Ok, readout.Status);
        Assert.Equal(ReferenceCases.Number(reference, "control_rate"), readout.ControlRate, 5);
        Assert.Equal(ReferenceCases.Number(reference, "treatment_rate"), readout.TreatmentRate, 5);
        Assert.Equal(ReferenceCases.Number(reference, "chance_to_beat_control"), readout.ChanceToBeatControl, 5);
        Assert.Equal(ReferenceCases.Number(reference, "risk_of_choosing_treatment"), readout.RiskOfChoosingTreatment, 5);
        Assert.Equal(ReferenceCases.Number(reference, "risk_of_choosing_control"), readout.RiskOfChoosingControl, 5);
    }

    [Theory]
    [InlineData(1000, 100, 1000, 120)]
    [InlineData(300, 12, 250, 9)]
    [InlineData(40, 2, 40, 2)]
    public void ChanceToBeatControl_Exact_AgreesWithSeededMonteCarlo(long nC, long sC, long nT, long sT)
    {
        var control = MetricSummary.OfProportion(nC, sC);
        var treatment = MetricSummary.OfProportion(nT, sT);
        const int draws = 200_000;

        var exact = BetaBinomialTest.Compare(control, treatment).ChanceToBeatControl;
        var simulated = BetaBinomialTest.ChanceToBeBest([control, treatment], new BetaBinomialOptions { Draws = draws, Seed = 11 }).Chances[1];

        // Four Monte-Carlo standard errors: a false alarm about once in 16,000 seeds.
        Assert.InRange(simulated, exact - (4 * Math.Sqrt(0.25 / draws)), exact + (4 * Math.Sqrt(0.25 / draws)));
    }

    [Fact]
    public void ChanceToBeatControl_MoreTreatmentSuccesses_IsHigher()
    {
        SeededProperty.Check(Prop.ForAll(
            Gen.Choose(0, 200).ToArbitrary(),
            Gen.Choose(0, 200).ToArbitrary(),
            Gen.Choose(1, 200).ToArbitrary(),
            (controlSuccesses, treatmentSuccesses, extra) =>
            {
                const int units = 400;
                var control = MetricSummary.OfProportion(units, controlSuccesses);
                var fewer = BetaBinomialTest.Compare(control, MetricSummary.OfProportion(units, treatmentSuccesses));
                var more = BetaBinomialTest.Compare(control, MetricSummary.OfProportion(units, Math.Min(units, treatmentSuccesses + extra)));
                // Strictly higher, except where both round to certainty (the sum then carries rounding noise)
                // or the smaller one underflows to 0.
                return fewer.ChanceToBeatControl > 1 - 1e-9
                    ? more.ChanceToBeatControl > 1 - 1e-9
                    : fewer.ChanceToBeatControl == 0 ? more.ChanceToBeatControl >= 0 : more.ChanceToBeatControl > fewer.ChanceToBeatControl;
            }));
    }

    [Fact]
    public void Compare_Risks_DifferByTheDifferenceInPosteriorMeans()
    {
        SeededProperty.Check(Prop.ForAll(
            Gen.Choose(0, 300).ToArbitrary(),
            Gen.Choose(0, 300).ToArbitrary(),
            (controlSuccesses, treatmentSuccesses) =>
            {
                var readout = BetaBinomialTest.Compare(MetricSummary.OfProportion(300, controlSuccesses), MetricSummary.OfProportion(300, treatmentSuccesses));
                var difference = readout.TreatmentRate - readout.ControlRate;
                return Math.Abs(readout.RiskOfChoosingControl - readout.RiskOfChoosingTreatment - difference) < 1e-12;
            }));
    }

    [Fact]
    public void ChanceToBeBest_ThreeArms_SumsToOneAndFavoursTheBest()
    {
        MetricSummary[] arms = [MetricSummary.OfProportion(2000, 80), MetricSummary.OfProportion(2000, 100), MetricSummary.OfProportion(2000, 140)];

        var readout = BetaBinomialTest.ChanceToBeBest(arms);

        Assert.Equal(1, readout.Chances.Sum(), 12);
        Assert.True(readout.Chances[2] > 0.99);
        Assert.Equal(readout.Chances, BetaBinomialTest.ChanceToBeBest(arms).Chances);
    }

    [Fact]
    public void Compare_NotAProportion_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            BetaBinomialTest.Compare(MetricSummary.Of([0.5, 1]), MetricSummary.OfProportion(10, 3)));
        Assert.Equal("control", error.ParamName);
    }
}
