using System.Text;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests.Importers;

public class HillstromImporterTests
{
    private static string Sample => Path.Combine(AppContext.BaseDirectory, "samples", "hillstrom_sample.csv.gz");

    [DatasetFact("hillstrom")]
    public void Import_FullFile_AccountsForEveryRowAsTheDatasetReadmeDocuments()
    {
        using var store = new TestStore();
        var summary = store.Import(new HillstromImporter(), SharedData.Path("hillstrom"));

        Assert.Equal(64_000, summary.RowsRead);
        Assert.Equal(summary.RowsRead, summary.RowsAccepted + summary.RowsQuarantined);
        Assert.Equal(0, summary.RowsQuarantined);
        Assert.Equal(64_000, summary.Tables["exposures"]);
        Assert.Equal(64_000, summary.Tables["users"]);
        Assert.Equal(1, summary.Tables["campaigns"]);
        Assert.Equal(21_307, store.Count("SELECT count(*) FROM exposures WHERE arm = 'Mens E-Mail' AND NOT is_control"));
        Assert.Equal(21_387, store.Count("SELECT count(*) FROM exposures WHERE arm = 'Womens E-Mail' AND NOT is_control"));
        Assert.Equal(21_306, store.Count("SELECT count(*) FROM exposures WHERE arm = 'No E-Mail' AND is_control"));
        Assert.Equal(64_000, store.Count("SELECT count(DISTINCT user_key) FROM exposures"));

        // Counted independently with Python's csv module: 9,394 visits, 578 conversions, $67,258.13 spent.
        Assert.Equal(9_394, store.Count("SELECT count(*) FROM exposures WHERE visited"));
        Assert.Equal(578, store.Count("SELECT count(*) FROM exposures WHERE converted"));
        Assert.Equal(6_725_813, store.Count("SELECT CAST(sum(revenue) * 100 AS BIGINT) FROM exposures"));
        Assert.Equal(267, store.Count("SELECT count(*) FROM exposures WHERE converted AND arm = 'Mens E-Mail'"));
        Assert.Equal(189, store.Count("SELECT count(*) FROM exposures WHERE converted AND arm = 'Womens E-Mail'"));
        Assert.Equal(122, store.Count("SELECT count(*) FROM exposures WHERE converted AND arm = 'No E-Mail'"));
        Assert.Equal(1_390_833, store.Count("SELECT CAST(sum(revenue) * 100 AS BIGINT) FROM exposures WHERE arm = 'No E-Mail'"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM exposures WHERE (revenue > 0) <> converted OR revenue < 0"));

        // The outcomes JSON carries the same three outcomes under their source names.
        Assert.Equal(578, store.Count("SELECT count(*) FROM exposures WHERE outcomes->>'conversion' = 'true'"));
        Assert.Equal(9_394, store.Count("SELECT count(*) FROM exposures WHERE outcomes->>'visit' = 'true'"));
        Assert.Equal(6_725_813, store.Count("SELECT CAST(sum(CAST(outcomes->>'spend' AS DECIMAL(18,2))) * 100 AS BIGINT) FROM exposures"));

        // Pre-period features are user attributes (README counts; history total from Python).
        Assert.Equal(28_776, store.Count("SELECT count(*) FROM users WHERE attributes->>'zip_code' = 'Surburban'"));
        Assert.Equal(7_762, store.Count("SELECT count(*) FROM users WHERE attributes->>'channel' = 'Multichannel'"));
        Assert.Equal(32_144, store.Count("SELECT count(*) FROM users WHERE attributes->>'newbie' = 'true'"));
        Assert.Equal(1_308, store.Count("SELECT count(*) FROM users WHERE attributes->>'history_segment' = '7) $1,000 +'"));
        Assert.Equal(1_549_348_197, store.Count("SELECT CAST(sum(CAST(attributes->>'history' AS DECIMAL(18,2))) * 100 AS BIGINT) FROM users"));

        AssertCampaign(store);
        AssertNoRawIds(store);
    }

    [DatasetFact("hillstrom")]
    public void Import_SampleThenFullFile_NamesTheSameCustomersByRowNumber()
    {
        using var store = new TestStore();
        store.Import(new HillstromImporter(), Sample);
        var full = store.Import(new HillstromImporter(), SharedData.Path("hillstrom", "hillstrom.csv.gz"));

        Assert.False(full.AlreadyImported);
        Assert.Equal(64_000, store.Count("SELECT count(*) FROM users"));
        Assert.Equal(69_000, store.Count("SELECT count(*) FROM exposures"));
        Assert.Equal(1, store.Count("SELECT count(*) FROM campaigns"));
    }

    [Fact]
    public void Import_BundledSample_MatchesCountsOfTheSlice()
    {
        using var store = new TestStore();
        var summary = store.Import(new HillstromImporter(), Sample);

        // Counted independently with Python's csv module on samples/hillstrom_sample.csv.gz.
        Assert.Equal(5_000, summary.RowsRead);
        Assert.Equal(5_000, summary.RowsAccepted);
        Assert.Equal(5_000, summary.Tables["exposures"]);
        Assert.Equal(5_000, summary.Tables["users"]);
        Assert.Equal(1_643, store.Count("SELECT count(*) FROM exposures WHERE arm = 'Mens E-Mail'"));
        Assert.Equal(1_697, store.Count("SELECT count(*) FROM exposures WHERE arm = 'Womens E-Mail'"));
        Assert.Equal(1_660, store.Count("SELECT count(*) FROM exposures WHERE arm = 'No E-Mail' AND is_control"));
        Assert.Equal(1_660, store.Count("SELECT count(*) FROM exposures WHERE is_control"));
        Assert.Equal(713, store.Count("SELECT count(*) FROM exposures WHERE visited"));
        Assert.Equal(49, store.Count("SELECT count(*) FROM exposures WHERE converted"));
        Assert.Equal(516_704, store.Count("SELECT CAST(sum(revenue) * 100 AS BIGINT) FROM exposures"));
        Assert.Equal(25, store.Count("SELECT count(*) FROM exposures WHERE converted AND arm = 'Womens E-Mail'"));
        Assert.Equal(309_605, store.Count("SELECT CAST(sum(revenue) * 100 AS BIGINT) FROM exposures WHERE arm = 'Womens E-Mail'"));
        Assert.Equal(2_241, store.Count("SELECT count(*) FROM users WHERE attributes->>'zip_code' = 'Surburban'"));
        Assert.Equal(2_518, store.Count("SELECT count(*) FROM users WHERE attributes->>'newbie' = 'true'"));
        Assert.Equal(121_637_243, store.Count("SELECT CAST(sum(CAST(attributes->>'history' AS DECIMAL(18,2))) * 100 AS BIGINT) FROM users"));
        AssertCampaign(store);
        AssertNoRawIds(store);
    }

    [Fact]
    public void Import_BundledSample_FirstRowMapsOntoExposureAndUser()
    {
        using var store = new TestStore();
        store.Import(new HillstromImporter(), Sample);

        // Line 2: 10,2) $100 - $200,142.44,1,0,Surburban,0,Phone,Womens E-Mail,0,0,0
        var row = store.Query($"""
            SELECT e.arm, e.is_control, e.visited, e.converted, CAST(e.revenue AS DOUBLE) AS revenue, CAST(e.outcomes AS VARCHAR) AS outcomes,
                   CAST(u.attributes AS VARCHAR) AS attributes
            FROM exposures e JOIN users u ON u.user_key = e.user_key
            WHERE e.source_line = 2 AND u.user_id = '{store.Pseudonymizer.Pseudonymize("1")}'
            """).Single();
        Assert.Equal("Womens E-Mail", row["arm"]);
        Assert.False((bool)row["is_control"]!);
        Assert.False((bool)row["visited"]!);
        Assert.False((bool)row["converted"]!);
        Assert.Equal(0.0, row["revenue"]);
        Assert.Equal("""{"visit":false,"conversion":false,"spend":0}""", row["outcomes"]);
        Assert.Equal(
            """{"recency":10,"history_segment":"2) $100 - $200","history":142.44,"mens":true,"womens":false,"zip_code":"Surburban","newbie":false,"channel":"Phone"}""",
            row["attributes"]);
    }

    [Fact]
    public void Import_InvalidRows_AreQuarantinedNamingTheColumnAndWriteNothing()
    {
        using var store = new TestStore();
        var file = Path.Combine(store.Folder, "hillstrom.csv");
        File.WriteAllText(file, """
            recency,history_segment,history,mens,womens,zip_code,newbie,channel,segment,visit,conversion,spend
            3,1) $0 - $100,50.00,1,0,Urban,1,Web,Mens E-Mail,1,1,25.50
            3,1) $0 - $100,50.00,1,0,Urban,1,Web,Kids E-Mail,0,0,0
            3,1) $0 - $100,50.00,1,0,Urban,1,Web,No E-Mail,1,1,-5
            3,1) $0 - $100,50.00,1,0,Urban,1,Web,No E-Mail,2,0,0
            3,1) $0 - $100,50.00,1,0,Urban,1,Web,No E-Mail,1,1,0
            13,1) $0 - $100,50.00,1,0,Urban,1,Web,No E-Mail,0,0,0
            3,1) $0 - $100,50.00,1,0,Urban,1,Web,,0,0,0

            """.ReplaceLineEndings("\n"), Encoding.UTF8);

        var summary = store.Import(new HillstromImporter(), store.Folder);

        Assert.Equal(7, summary.RowsRead);
        Assert.Equal(1, summary.RowsAccepted);
        Assert.Equal(6, summary.RowsQuarantined);
        Assert.Equal(1, store.Count("SELECT count(*) FROM exposures"));
        Assert.Equal(1, store.Count("SELECT count(*) FROM users"));
        var quarantined = store.Query("SELECT line, column_name, reason FROM quarantine ORDER BY line");
        Assert.Equal(["segment", "spend", "visit", "spend", "recency", "segment"], quarantined.Select(q => (string?)q["column_name"]));
        Assert.Contains("unknown arm 'Kids E-Mail'", (string)quarantined[0]["reason"]!, StringComparison.Ordinal);
        Assert.Equal(3L, Convert.ToInt64(quarantined[0]["line"], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void AssertCampaign(TestStore store)
    {
        var campaign = store.Query("SELECT campaign_id, campaign_type, CAST(attributes AS VARCHAR) AS attributes FROM campaigns").Single();
        Assert.Equal(HillstromImporter.CampaignId, campaign["campaign_id"]);
        Assert.Equal("email", campaign["campaign_type"]);
        Assert.Contains("\"control\":\"No E-Mail\"", (string)campaign["attributes"]!, StringComparison.Ordinal);
        Assert.Contains("\"arms\":[\"Mens E-Mail\",\"Womens E-Mail\",\"No E-Mail\"]", (string)campaign["attributes"]!, StringComparison.Ordinal);
        Assert.Equal(0, store.Count("SELECT count(*) FROM exposures e LEFT JOIN campaigns c USING (campaign_key) WHERE c.campaign_id IS NULL"));
    }

    private static void AssertNoRawIds(TestStore store)
    {
        // Row numbers are the raw ids: only their keyed pseudonyms reach the store.
        Assert.Equal(0, store.Count("SELECT count(*) FROM users WHERE NOT regexp_full_match(user_id, 'u_[0-9a-f]{32}')"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM users WHERE user_id IN ('1', '2', '5000') OR attributes::VARCHAR LIKE '%row%'"));
        Assert.Equal(1, store.Count($"SELECT count(*) FROM users WHERE user_id = '{store.Pseudonymizer.Pseudonymize("5000")}'"));
    }
}
