using System.Text.Json;
using PromoPilot.Measurement.Monitoring;

namespace PromoPilot.Measurement.Tests.Monitoring;

public sealed class PopulationStabilityTests
{
    private static readonly JsonElement Reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference_psi.json"))).RootElement;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Reference.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    /// <summary>Edges, shares and PSI against numpy (Fixtures/reference_psi.py), to 1e-9.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_NumpyReferenceCase_MatchesEdgesSharesAndPsi(string name)
    {
        var c = Reference.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var options = new PsiOptions { Bins = c.GetProperty("bins").GetInt32(), Epsilon = Reference.GetProperty("epsilon").GetDouble() };
        var reference = ReferenceDistribution.FromSample(name, Doubles(c, "reference"), options);

        var result = PopulationStability.Compute(reference, Doubles(c, "recent"), options);

        AssertClose(Doubles(c, "edges"), reference.Edges, 1e-9);
        AssertClose(Doubles(c, "reference_shares"), reference.Shares, 1e-12);
        AssertClose(Doubles(c, "recent_shares"), [.. result.Bins.Select(b => b.RecentShare)], 1e-12);
        Assert.Equal(c.GetProperty("psi").GetDouble(), result.Psi, 9);
        Assert.Equal(options.StatusOf(result.Psi), result.Status);
    }

    /// <summary>A large seeded N(mu,1) sample against a large N(0,1) reference approaches the decile PSI from scipy's normal CDF.</summary>
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void Compute_ShiftedNormal_ApproachesAnalyticDecilePsi(double mu)
    {
        var expected = Reference.GetProperty("analytic_normal_deciles").EnumerateArray().Single(x => x.GetProperty("mu").GetDouble() == mu).GetProperty("psi").GetDouble();
        var random = new Random(7);
        var reference = ReferenceDistribution.FromSample("x", Normal(random, 0, 200_000));

        var psi = PopulationStability.Compute(reference, Normal(random, mu, 200_000)).Psi;

        Assert.InRange(psi, expected - 0.005 - 0.02 * expected, expected + 0.005 + 0.02 * expected);
    }

    [Fact]
    public void Compute_SameSample_IsZeroAndOk()
    {
        var sample = Normal(new Random(1), 0, 5000);
        var result = PopulationStability.Compute(ReferenceDistribution.FromSample("x", sample), sample);

        Assert.Equal(0, result.Psi, 12);
        Assert.Equal(DriftStatus.Ok, result.Status);
        Assert.Equal(10, result.Bins.Count);
        Assert.All(result.Bins, b => Assert.Equal(0.1, b.ReferenceShare, 12));
    }

    /// <summary>Reference 0..999 (ten bins of 0.1); every recent value in the first bin: 0.9 ln(1/0.1) + 9 (1e-4 − 0.1) ln(1e-4/0.1).</summary>
    [Fact]
    public void Compute_EverythingInOneBin_GivesHandComputedValueAndAlert()
    {
        var reference = ReferenceDistribution.FromSample("x", [.. Enumerable.Range(0, 1000).Select(i => (double)i)]);

        var result = PopulationStability.Compute(reference, [.. Enumerable.Repeat(3.0, 50)]);

        var expected = 0.9 * Math.Log(10) + 9 * (1e-4 - 0.1) * Math.Log(1e-3);
        Assert.Equal(expected, result.Psi, 10);
        Assert.Equal(DriftStatus.Alert, result.Status);
    }

    [Theory]
    [InlineData(0.05, DriftStatus.Ok)]
    [InlineData(0.1, DriftStatus.Warn)]
    [InlineData(0.2499, DriftStatus.Warn)]
    [InlineData(0.25, DriftStatus.Alert)]
    public void StatusOf_DocumentedThresholds_Classify(double psi, DriftStatus status) =>
        Assert.Equal(status, new PsiOptions().StatusOf(psi));

    [Fact]
    public void FromSample_ConstantFeature_HasOneBinAndShiftIsFinite()
    {
        var reference = ReferenceDistribution.FromSample("flag", [.. Enumerable.Repeat(1.0, 100)]);

        var result = PopulationStability.Compute(reference, [0.0, 1.0, 2.0, 1.0]);

        Assert.Empty(reference.Edges);
        Assert.Equal([1.0], reference.Shares);
        Assert.Equal(0, result.Psi, 12);
    }

    [Fact]
    public void FromSample_NonFiniteValues_AreCountedAsMissingNotBinned()
    {
        var reference = ReferenceDistribution.FromSample("x", [1, 2, double.NaN, 3, double.PositiveInfinity, 4]);
        var result = PopulationStability.Compute(reference, [1, double.NaN, 4]);

        Assert.Equal(4, reference.Count);
        Assert.Equal(2, reference.Missing);
        Assert.Equal(2, result.RecentCount);
        Assert.Equal(1, result.RecentMissing);
    }

    [Fact]
    public void Compute_BadInput_ThrowsNamingTheParameter()
    {
        var reference = ReferenceDistribution.FromSample("x", [1.0, 2, 3]);

        Assert.Equal("recent", Assert.Throws<ArgumentException>(() => PopulationStability.Compute(reference, [double.NaN])).ParamName);
        Assert.Equal("sample", Assert.Throws<ArgumentException>(() => ReferenceDistribution.FromSample("x", [])).ParamName);
        Assert.Equal("Bins", Assert.Throws<ArgumentException>(() => ReferenceDistribution.FromSample("x", [1.0], new PsiOptions { Bins = 1 })).ParamName);
        Assert.Equal("reference", Assert.Throws<ArgumentException>(() => PopulationStability.Compute(reference with { Shares = [1.0] }, [1.0])).ParamName);
    }

    /// <summary>PSI is never negative and its bins' shares each sum to one, over many seeded random pairs.</summary>
    [Fact]
    public void Compute_RandomSamples_NonNegativeAndSharesSumToOne()
    {
        var random = new Random(42);
        for (var trial = 0; trial < 300; trial++)
        {
            var reference = Enumerable.Range(0, random.Next(1, 300)).Select(_ => Math.Round(random.NextDouble() * random.Next(1, 20), random.Next(0, 3))).ToArray();
            var recent = Enumerable.Range(0, random.Next(1, 300)).Select(_ => Math.Round(random.NextDouble() * random.Next(1, 20), random.Next(0, 3))).ToArray();
            var options = new PsiOptions { Bins = random.Next(2, 21) };
            var distribution = ReferenceDistribution.FromSample("x", reference, options);

            var result = PopulationStability.Compute(distribution, recent, options);

            Assert.True(result.Psi >= 0, $"trial {trial}: psi {result.Psi}");
            Assert.Equal(1, result.Bins.Sum(b => b.ReferenceShare), 9);
            Assert.Equal(1, result.Bins.Sum(b => b.RecentShare), 9);
            Assert.True(distribution.Edges.Zip(distribution.Edges.Skip(1)).All(p => p.First < p.Second), $"trial {trial}: edges not increasing");
        }
    }

    private static double[] Normal(Random random, double mu, int n) =>
        [.. Enumerable.Range(0, n).Select(_ => mu + Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))];

    private static double[] Doubles(JsonElement c, string property) => [.. c.GetProperty(property).EnumerateArray().Select(x => x.GetDouble())];

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
