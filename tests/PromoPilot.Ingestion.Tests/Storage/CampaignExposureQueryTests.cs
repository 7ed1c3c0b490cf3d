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
