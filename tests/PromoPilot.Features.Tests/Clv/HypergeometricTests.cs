using PromoPilot.Features.Clv;

namespace PromoPilot.Features.Tests.Clv;

public sealed class HypergeometricTests
{
    /// <summary>a, b, c, z, 2F1(a, b; c; z): from clv_reference.py (mpmath.hyp2f1, 50 digits).</summary>
    public static TheoryData<double, double, double, double, double> Reference => new()
    {
        { 1, 1, 2, 0.5, 1.3862943611198906 },
        { 0.243, 2.426, 2.219, 0.3, 1.100518533085473 },
        { 2.243, 4.426, 4.219, 0.5, 5.161693901383613 },
        { -0.5, 0.7, 1.3, 0.9, 0.68313164998160085 },
        { 3.5, 0.25, 0.5, -0.75, 0.48446662769962963 },
        { 10, 12, 15.5, 0.8, 131960.63218742381 },
        { 0.3, -2, 1.7, 0.99, 0.73386470588235295 },
    };

    [Theory]
    [MemberData(nameof(Reference))]
    public void Series2F1_ReferenceValues_MatchMpmath(double a, double b, double c, double z, double expected)
    {
        Assert.Equal(expected, Hypergeometric.Series2F1(a, b, c, z), Math.Abs(expected) * 1e-13);
    }

    [Fact]
    public void Series2F1_ClosedForms_Match()
    {
        // 2F1(1, 1; 2; z) = −ln(1−z)/z and 2F1(a, b; b; z) = (1−z)^(−a) (Abramowitz & Stegun 15.1.3, 15.1.8).
        foreach (var z in new[] { -0.9, -0.3, 0.01, 0.4, 0.95 })
        {
            Assert.Equal(-Math.Log(1 - z) / z, Hypergeometric.Series2F1(1, 1, 2, z), 1e-13);
            Assert.Equal(Math.Pow(1 - z, -1.7), Hypergeometric.Series2F1(1.7, 3.1, 3.1, z), 1e-12 * Math.Pow(1 - z, -1.7));
        }
    }

    [Theory]
    [InlineData(1, 1, 2, 1)]
    [InlineData(1, 1, 2, -1.5)]
    [InlineData(1, 1, 0, 0.5)]
    [InlineData(1, 1, -3, 0.5)]
    [InlineData(1, 1, 2, double.NaN)]
    public void Series2F1_OutsideItsDomain_Throws(double a, double b, double c, double z)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hypergeometric.Series2F1(a, b, c, z));
    }

    [Fact]
    public void BgNbdTail_RandomParameters_EqualsTheTextbookForm()
    {
        // c(1 − G)/(a − 1) with G = ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; c; z) computed the direct way, where that way
        // is accurate (a away from 1, c > 0).
        var random = new Random(5);
        for (var i = 0; i < 500; i++)
        {
            var r = Math.Exp((random.NextDouble() * 3) - 2);
            var alpha = Math.Exp((random.NextDouble() * 4) - 1);
            var a = random.NextDouble() < 0.5 ? 0.1 + (0.7 * random.NextDouble()) : 1.3 + (3 * random.NextDouble());
            var b = Math.Exp((random.NextDouble() * 3) - 1);
            var x = random.Next(0, 12);
            var age = 60 * random.NextDouble();
            var t = 80 * random.NextDouble();
            var c = a + b + x - 1;
            if (c < 0.05)
            {
                continue;
            }

            var z = t / (alpha + age + t);
            var g = Math.Pow((alpha + age) / (alpha + age + t), r + x) * Hypergeometric.Series2F1(r + x, b + x, c, z);
            var direct = c * (1 - g) / (a - 1);

            var stable = Hypergeometric.BgNbdTail(r, alpha, a, b, x, age, t);

            Assert.True(Math.Abs(stable - direct) <= 1e-9 * Math.Max(1, Math.Abs(direct)), $"case {i}: {stable} vs {direct}");
        }
    }

    [Fact]
    public void BgNbdTail_NearAEqualsOne_IsContinuous()
    {
        var below = Hypergeometric.BgNbdTail(0.5, 8, 1 - 1e-7, 2, 3, 30, 52);
        var at = Hypergeometric.BgNbdTail(0.5, 8, 1, 2, 3, 30, 52);
        var above = Hypergeometric.BgNbdTail(0.5, 8, 1 + 1e-7, 2, 3, 30, 52);

        Assert.Equal(at, below, 1e-6 * at);
        Assert.Equal(at, above, 1e-6 * at);
    }

    [Theory]
    [InlineData(1e-20)]
    [InlineData(-3e-9)]
    [InlineData(1e-5)]
    [InlineData(0.3)]
    [InlineData(-2)]
    public void ExpM1_MatchesItsSeries(double x)
    {
        var series = x + (x * x / 2) + (x * x * x / 6) + (x * x * x * x / 24);
        var expected = Math.Abs(x) < 1e-3 ? series : Math.Exp(x) - 1;

        Assert.Equal(expected, Hypergeometric.ExpM1(x), Math.Abs(expected) * 1e-15);
    }
}
