using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Ingestion.Tests.Storage;

public class CampaignExposureQueryTests
{
    [DatasetFact("hillstrom")]
    public void Load_Hillstrom_SumsEachArmAsCountedIndependently()
    {
        using var store = new TestStore();
        store.Import(new HillstromImporter(), SharedData.Path("hillstrom"));

        var campaign = CampaignExposureQuery.Find(store.Store, HillstromImporter.CampaignId);
        Assert.NotNull(campaign);
        var arms = CampaignExposureQuery.Load(store.Store, campaign.CampaignKey).ToDictionary(a => a.Arm);

        // Arm sizes and outcomes as the importer test counts them with Python's csv module.
        Assert.Equal(21_306, arms["No E-Mail"].Units);
        Assert.True(arms["No E-Mail"].IsControl);
        Assert.False(arms["Mens E-Mail"].IsControl);
        Assert.Equal(267, arms["Mens E-Mail"].Converted);
        Assert.Equal(189, arms["Womens E-Mail"].Converted);
        Assert.Equal(122, arms["No E-Mail"].Converted);
        Assert.Equal(9_394, arms.Values.Sum(a => a.Visited));
        Assert.Equal(13_908.33, arms["No E-Mail"].Revenue, 2);
        Assert.Equal(67_258.13, arms.Values.Sum(a => a.Revenue), 2);
        Assert.Equal(64_000, arms.Values.Sum(a => a.UnitsWithRevenue));

        // Spend is zero unless the customer converted, and converting needs a visit: revenue × visited = revenue.
        Assert.All(arms.Values, a => Assert.Equal(a.Revenue, a.RevenueTimesVisited, 6));
        Assert.All(arms.Values, a => Assert.True(a.RevenueSquares >= a.Revenue * a.Revenue / a.Units));
    }

    [Fact]
    public void Load_UserExposedTwice_CountsOneUnitWithSummedRevenue()
    {
        using var store = new TestStore();
        store.Query("""
            INSERT INTO campaigns VALUES (7, 'd', 'c7', NULL, 'experiment', NULL, NULL, NULL, 1);
            INSERT INTO exposures VALUES
                (7, 1, 'offer', false, NULL, true, false, 10, NULL, 1, 1),
                (7, 1, 'offer', false, NULL, false, true, 5, NULL, 1, 2),
                (7, 2, 'offer', false, NULL, false, false, NULL, NULL, 1, 3),
                (7, NULL, 'offer', false, NULL, true, true, 4, NULL, 1, 4),
                (7, NULL, 'offer', false, NULL, false, false, 0, NULL, 1, 5),
                (7, 3, 'holdout', true, NULL, false, false, 0, NULL, 1, 6);
            """);

        var arms = CampaignExposureQuery.Load(store.Store, 7).ToDictionary(a => a.Arm);

        var offer = arms["offer"];
        Assert.Equal(4, offer.Units); // user 1 once, user 2, and two rows without a user
        Assert.Equal(2, offer.Visited);
        Assert.Equal(2, offer.Converted);
        Assert.Equal(19, offer.Revenue, 9);
        Assert.Equal((15 * 15) + (4 * 4), offer.RevenueSquares, 9);
        Assert.Equal(15 + 4, offer.RevenueTimesVisited, 9);
        Assert.Equal(3, offer.UnitsWithRevenue);
        Assert.Equal(1, arms["holdout"].Units);
        Assert.True(arms["holdout"].IsControl);
        Assert.Empty(CampaignExposureQuery.Load(store.Store, 8));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void Load_RandomExposures_EqualsAPlainPerUserCount(int seed, bool repeatUsers)
    {
        using var store = new TestStore();
        var random = new Random(seed);
        var rows = new List<(int? User, string Arm, bool Control, bool Visited, bool Converted, double? Revenue)>();
        for (var i = 0; i < 400; i++)
        {
            int? user = random.Next(10) == 0 ? null : repeatUsers ? random.Next(150) : i;
            var arm = random.Next(3) switch { 0 => "holdout", 1 => "a", _ => "b" };
            var converted = random.Next(5) == 0;
            rows.Add((user, arm, arm == "holdout", converted || random.Next(3) == 0, converted,
                random.Next(8) == 0 ? null : converted ? Math.Round(random.NextDouble() * 100, 2) : 0));
        }

        store.Query("INSERT INTO campaigns VALUES (3, 'd', 'c3', NULL, NULL, NULL, NULL, NULL, 1)");
        var values = rows.Select((r, i) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"(3, {(r.User is { } u ? u.ToString(System.Globalization.CultureInfo.InvariantCulture) : "NULL")}, '{r.Arm}', {r.Control}, NULL, {r.Visited}, {r.Converted}, {(r.Revenue is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "NULL")}, NULL, 1, {i})"));
        store.Query($"INSERT INTO exposures VALUES {string.Join(", ", values)}");

        var arms = CampaignExposureQuery.Load(store.Store, 3).ToDictionary(a => a.Arm);

        foreach (var group in rows.GroupBy(r => r.Arm))
        {
            // One unit per (arm, user); rows without a user are units of their own.
            var units = group.Where(r => r.User is null).Select(r => new[] { r })
                .Concat(group.Where(r => r.User is not null).GroupBy(r => r.User).Select(g => g.ToArray())).ToList();
            var revenue = units.Select(u => u.Sum(r => r.Revenue ?? 0)).ToList();
            var actual = arms[group.Key];
            Assert.Equal(units.Count, actual.Units);
            Assert.Equal(units.Count(u => u.Any(r => r.Visited)), actual.Visited);
            Assert.Equal(units.Count(u => u.Any(r => r.Converted)), actual.Converted);
            Assert.Equal(revenue.Sum(), actual.Revenue, 6);
            Assert.Equal(revenue.Sum(v => v * v), actual.RevenueSquares, 6);
            Assert.Equal(units.Select((u, i) => u.Any(r => r.Visited) ? revenue[i] : 0).Sum(), actual.RevenueTimesVisited, 6);
            Assert.Equal(units.Count(u => u.Any(r => r.Revenue is not null)), actual.UnitsWithRevenue);
            Assert.Equal(group.Key == "holdout", actual.IsControl);
        }
    }

    [Fact]
    public void Find_IdInTwoDatasets_AsksForTheDataset()
    {
        using var store = new TestStore();
        store.Query("""
            INSERT INTO campaigns VALUES (1, 'a', 'same', NULL, NULL, NULL, NULL, NULL, 1), (2, 'b', 'same', NULL, NULL, NULL, NULL, NULL, 1);
            """);

        var error = Assert.Throws<ArgumentException>(() => CampaignExposureQuery.Find(store.Store, "same"));
        Assert.Contains("a, b", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, CampaignExposureQuery.Find(store.Store, "same", "b")!.CampaignKey);
        Assert.Null(CampaignExposureQuery.Find(store.Store, "absent"));
    }
}
