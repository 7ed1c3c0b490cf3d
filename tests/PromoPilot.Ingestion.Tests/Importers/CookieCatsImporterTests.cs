using System.Text;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests.Importers;

// cookie_cats has no stated licence: it is read from ../shared/data only, never copied into the repository.
public class CookieCatsImporterTests
{
    [DatasetFact("cookie_cats")]
    public void Import_FullFile_AccountsForEveryRowAsTheDatasetReadmeDocuments()
    {
        using var store = new TestStore();
        var summary = store.Import(new CookieCatsImporter(), SharedData.Path("cookie_cats"));

        Assert.Equal(90_189, summary.RowsRead);
        Assert.Equal(summary.RowsRead, summary.RowsAccepted + summary.RowsQuarantined);
        Assert.Equal(0, summary.RowsQuarantined);
        Assert.Equal(90_189, summary.Tables["exposures"]);
        Assert.Equal(90_189, summary.Tables["users"]);
        Assert.Equal(1, summary.Tables["campaigns"]);
        Assert.Equal(44_700, store.Count("SELECT count(*) FROM exposures WHERE arm = 'gate_30' AND is_control"));
        Assert.Equal(45_489, store.Count("SELECT count(*) FROM exposures WHERE arm = 'gate_40' AND NOT is_control"));
        Assert.Equal(90_189, store.Count("SELECT count(DISTINCT user_key) FROM exposures"));

        // Counted independently with Python's csv module.
        Assert.Equal(20_034, store.Count("SELECT count(*) FROM exposures WHERE arm = 'gate_30' AND visited"));
        Assert.Equal(20_119, store.Count("SELECT count(*) FROM exposures WHERE arm = 'gate_40' AND visited"));
        Assert.Equal(8_502, store.Count("SELECT count(*) FROM exposures WHERE arm = 'gate_30' AND converted"));
        Assert.Equal(8_279, store.Count("SELECT count(*) FROM exposures WHERE arm = 'gate_40' AND converted"));
        Assert.Equal(3_599, store.Count("SELECT count(*) FROM exposures WHERE converted AND NOT visited"));
        Assert.Equal(40_153, store.Count("SELECT count(*) FROM exposures WHERE outcomes->>'retention_1' = 'true'"));
        Assert.Equal(16_781, store.Count("SELECT count(*) FROM exposures WHERE outcomes->>'retention_7' = 'true'"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM exposures WHERE visited <> ((outcomes->>'retention_1') = 'true') OR converted <> ((outcomes->>'retention_7') = 'true')"));
        Assert.Equal(4_678_325, store.Count("SELECT CAST(sum(CAST(outcomes->>'sum_gamerounds' AS BIGINT)) AS BIGINT) FROM exposures"));
        Assert.Equal(2_344_795, store.Count("SELECT CAST(sum(CAST(outcomes->>'sum_gamerounds' AS BIGINT)) AS BIGINT) FROM exposures WHERE arm = 'gate_30'"));
        Assert.Equal(3_994, store.Count("SELECT count(*) FROM exposures WHERE CAST(outcomes->>'sum_gamerounds' AS BIGINT) = 0"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM exposures WHERE revenue IS NOT NULL OR exposed_at IS NOT NULL"));

        // The 49,854-round outlier is a real gate_30 player and is kept.
        var outlier = store.Query("""
            SELECT e.arm, u.user_id FROM exposures e JOIN users u USING (user_key)
            WHERE CAST(e.outcomes->>'sum_gamerounds' AS BIGINT) = 49854
            """).Single();
        Assert.Equal("gate_30", outlier["arm"]);
        Assert.Equal(store.Pseudonymizer.Pseudonymize("6390605"), outlier["user_id"]);

        // Only keyed pseudonyms of the player ids reach the store.
        Assert.Equal(0, store.Count("SELECT count(*) FROM users WHERE NOT regexp_full_match(user_id, 'u_[0-9a-f]{32}')"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM users WHERE user_id IN ('116', '337', '6390605') OR attributes IS NOT NULL"));
        Assert.Equal(1, store.Count($"SELECT count(*) FROM users WHERE user_id = '{store.Pseudonymizer.Pseudonymize("116")}'"));

        var campaign = store.Query("SELECT campaign_id, campaign_type, CAST(attributes AS VARCHAR) AS attributes FROM campaigns").Single();
        Assert.Equal(CookieCatsImporter.CampaignId, campaign["campaign_id"]);
        Assert.Equal("experiment", campaign["campaign_type"]);
        Assert.Contains("\"arms\":[\"gate_30\",\"gate_40\"],\"control\":\"gate_30\"", (string)campaign["attributes"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_MadeUpRows_MapOutcomesAndQuarantineInvalidOnes()
    {
        // Invented rows in the dataset's layout (the real file may not be copied into the repository).
        using var store = new TestStore();
        var file = Path.Combine(store.Folder, "cookie_cats.csv");
        File.WriteAllText(file, """
            userid,version,sum_gamerounds,retention_1,retention_7
            1001,gate_30,12,TRUE,FALSE
            1002,gate_40,0,FALSE,TRUE
            1003,gate_50,5,TRUE,TRUE
            1004,gate_40,-1,FALSE,FALSE
            1005,gate_30,7,maybe,FALSE
            ,gate_30,7,TRUE,FALSE
            1007,gate_40,99999,FALSE,FALSE

            """.ReplaceLineEndings("\n"), Encoding.UTF8);

        var summary = store.Import(new CookieCatsImporter(), file);

        Assert.Equal(7, summary.RowsRead);
        Assert.Equal(3, summary.RowsAccepted);
        Assert.Equal(4, summary.RowsQuarantined);
        Assert.Equal(3, store.Count("SELECT count(*) FROM users"));
        Assert.Equal(
            ["version", "sum_gamerounds", "retention_1", "userid"],
            store.Query("SELECT column_name FROM quarantine ORDER BY line").Select(q => (string?)q["column_name"]));
        var rows = store.Query("""
            SELECT u.user_id, e.arm, e.is_control, e.visited, e.converted, CAST(e.outcomes AS VARCHAR) AS outcomes, e.source_line
            FROM exposures e JOIN users u USING (user_key) ORDER BY e.source_line
            """);
        Assert.Equal(3, rows.Count);
        Assert.Equal(store.Pseudonymizer.Pseudonymize("1001"), rows[0]["user_id"]);
        Assert.True((bool)rows[0]["is_control"]!);
        Assert.True((bool)rows[0]["visited"]!);
        Assert.False((bool)rows[0]["converted"]!);
        Assert.Equal("""{"sum_gamerounds":12,"retention_1":true,"retention_7":false}""", rows[0]["outcomes"]);
        Assert.Equal("gate_40", rows[1]["arm"]);
        Assert.False((bool)rows[1]["is_control"]!);
        Assert.False((bool)rows[1]["visited"]!);
        Assert.True((bool)rows[1]["converted"]!);
        Assert.Equal("""{"sum_gamerounds":99999,"retention_1":false,"retention_7":false}""", rows[2]["outcomes"]);
    }
}
