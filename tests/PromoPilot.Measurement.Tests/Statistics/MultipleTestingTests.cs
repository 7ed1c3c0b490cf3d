using FsCheck;
using FsCheck.Fluent;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Tests.Statistics;

public class MultipleTestingTests
{
    public static TheoryData<int> Cases => Reference.Indices("multiple_testing");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Adjustments_ReferenceVector_MatchStatsmodelsMultipletests(int index)
    {
        var expected = Reference.Case("multiple_testing", index);
        var pValues = expected.Numbers("p");

        var holm = MultipleTesting.Holm(pValues);
        var bh = MultipleTesting.BenjaminiHochberg(pValues);

        var expectedHolm = expected.Numbers("holm");
        var expectedBh = expected.Numbers("fdr_bh");
        for (var i = 0; i < pValues.Length; i++)
        {
            Reference.Close(expectedHolm[i], holm[i], $"holm {i}");
            Reference.Close(expectedBh[i], bh[i], $"fdr_bh {i}");
        }
    }

    [Fact]
    public void Adjustments_Empty_Empty()
    {
        Assert.Empty(MultipleTesting.Holm([]));
        Assert.Empty(MultipleTesting.BenjaminiHochberg([]));
    }

    [Theory]
    [InlineData(1.2)]
    [InlineData(-0.01)]
    [InlineData(double.NaN)]
    public void Adjustments_PValueOutsideUnitInterval_ThrowsNamingPValues(double bad)
    {
        Assert.Equal("pValues", Assert.Throws<ArgumentException>(() => MultipleTesting.Holm([0.1, bad])).ParamName);
        Assert.Equal("pValues", Assert.Throws<ArgumentException>(() => MultipleTesting.BenjaminiHochberg([bad])).ParamName);
    }

    [Fact]
    public void Adjustments_AnyPValues_RawLeBhLeHolmLeOneAndOrderKept()
    {
        var pValues = Gen.ListOf(Gen.Choose(0, 10_000).Select(v => v / 10_000.0)).Select(list => list.ToArray()).ToArbitrary();
        Prop.ForAll(pValues, p =>
        {
            var holm = MultipleTesting.Holm(p);
            var bh = MultipleTesting.BenjaminiHochberg(p);
            var bounded = Enumerable.Range(0, p.Length).All(i => p[i] <= bh[i] + 1e-15 && bh[i] <= holm[i] + 1e-15 && holm[i] <= 1);
            var monotone = Enumerable.Range(0, p.Length).All(i => Enumerable.Range(0, p.Length)
                .All(j => p[i] > p[j] || (holm[i] <= holm[j] && bh[i] <= bh[j])));
            return bounded && monotone;
        }).QuickCheckThrowOnFailure();
    }
}
