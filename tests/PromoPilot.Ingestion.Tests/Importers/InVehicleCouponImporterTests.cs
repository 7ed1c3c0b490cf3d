using System.IO.Compression;
using System.Text;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests.Importers;

public class InVehicleCouponImporterTests
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "in_vehicle_coupon", "in_vehicle_coupon_head4300.csv.gz");

    private const string FirstRowContext =
        """{"destination":"No Urgent Place","passanger":"Alone","weather":"Sunny","temperature":55,"time":"2PM","expiration":"1d","gender":"Female","age":"21","maritalStatus":"Unmarried partner","has_children":1,"education":"Some college - no degree","occupation":"Unemployed","income":"$37500 - $49999","Bar":"never","CoffeeHouse":"never","RestaurantLessThan20":"4~8","Restaurant20To50":"1~3","toCoupon_GEQ5min":1,"toCoupon_GEQ15min":0,"toCoupon_GEQ25min":0,"direction_same":0,"direction_opp":1}""";

    [DatasetFact("in_vehicle_coupon")]
    public void Import_FullFile_AccountsForEveryRowAsTheDatasetReadmeDocuments()
    {
        using var store = new TestStore();
        var summary = store.Import(new InVehicleCouponImporter(), SharedData.Path("in_vehicle_coupon"));

        Assert.Equal(12_684, summary.RowsRead);
        Assert.Equal(summary.RowsRead, summary.RowsAccepted + summary.RowsQuarantined);
        Assert.Equal(0, summary.RowsQuarantined);
        Assert.Equal(12_684, summary.Tables["responses"]);
        Assert.Equal(1, summary.Tables["campaigns"]);
        Assert.False(summary.Tables.ContainsKey("users"));

        // Y=1 7,210 (56.8 %), counted with Python's csv module; per coupon counts from the README.
        Assert.Equal(7_210, store.Count("SELECT count(*) FROM responses WHERE accepted"));
        Assert.Equal(5_474, store.Count("SELECT count(*) FROM responses WHERE NOT accepted"));
        Assert.Equal(3_996, store.Count("SELECT count(*) FROM responses WHERE offer_type = 'Coffee House'"));
        Assert.Equal(2_786, store.Count("SELECT count(*) FROM responses WHERE offer_type = 'Restaurant(<20)'"));
        Assert.Equal(2_393, store.Count("SELECT count(*) FROM responses WHERE offer_type = 'Carry out & Take away'"));
        Assert.Equal(2_017, store.Count("SELECT count(*) FROM responses WHERE offer_type = 'Bar'"));
        Assert.Equal(1_492, store.Count("SELECT count(*) FROM responses WHERE offer_type = 'Restaurant(20-50)'"));
        Assert.Equal(1_995, store.Count("SELECT count(*) FROM responses WHERE offer_type = 'Coffee House' AND accepted"));
        Assert.Equal(827, store.Count("SELECT count(*) FROM responses WHERE offer_type = 'Bar' AND accepted"));

        // No respondent id; one survey campaign.
        Assert.Equal(0, store.Count("SELECT count(*) FROM responses WHERE user_key IS NOT NULL"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM users"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM responses r LEFT JOIN campaigns c USING (campaign_key) WHERE c.campaign_id IS DISTINCT FROM 'in_vehicle_coupon_survey'"));
        Assert.Equal(1, store.Count("SELECT count(*) FROM campaigns WHERE campaign_type = 'survey'"));

        // The 74 repeated rows are kept: 12,610 distinct responses.
        Assert.Equal(12_610, store.Count("SELECT count(*) FROM (SELECT DISTINCT offer_type, accepted, CAST(context AS VARCHAR) FROM responses)"));

        // Empty values are left out of the context (README: car empty in 12,576 rows, CoffeeHouse in 217).
        Assert.Equal(108, store.Count("SELECT count(*) FROM responses WHERE context->>'car' IS NOT NULL"));
        Assert.Equal(217, store.Count("SELECT count(*) FROM responses WHERE context->>'CoffeeHouse' IS NULL"));
        Assert.Equal(189, store.Count("SELECT count(*) FROM responses WHERE context->>'Restaurant20To50' IS NULL"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM responses WHERE (context->>'coupon') IS NOT NULL OR (context->>'Y') IS NOT NULL OR (context->>'passanger') IS NULL"));
        Assert.Equal(802_920, store.Count("SELECT CAST(sum(CAST(context->>'temperature' AS INTEGER)) AS BIGINT) FROM responses"));
        Assert.Equal(2_724, store.Count("SELECT CAST(sum(CAST(context->>'direction_same' AS INTEGER)) AS BIGINT) FROM responses"));
        Assert.Equal(FirstRowContext, store.Query("SELECT CAST(context AS VARCHAR) AS c FROM responses WHERE source_line = 2").Single()["c"]);
    }

    [Fact]
    public void Import_FixtureSlice_MatchesCountsOfTheSlice()
    {
        using var store = new TestStore();
        var summary = store.Import(new InVehicleCouponImporter(), Fixture);

        // Counted independently with Python's csv module when the slice was cut (Fixtures/in_vehicle_coupon/README.md).
        Assert.Equal(4_300, summary.RowsRead);
        Assert.Equal(4_300, summary.RowsAccepted);
        Assert.Equal(4_300, summary.Tables["responses"]);
        Assert.Equal(2_569, store.Count("SELECT count(*) FROM responses WHERE accepted"));
        Assert.Equal(1_683, store.Count("SELECT count(*) FROM responses WHERE offer_type = 'Coffee House'"));
        Assert.Equal(772, store.Count("SELECT count(*) FROM responses WHERE offer_type = 'Coffee House' AND accepted"));
        Assert.Equal(65, store.Count("SELECT count(*) FROM responses WHERE context->>'car' IS NOT NULL"));
        Assert.Equal(85, store.Count("SELECT count(*) FROM responses WHERE context->>'CoffeeHouse' IS NULL"));
        Assert.Equal(4_297, store.Count("SELECT count(*) FROM (SELECT DISTINCT offer_type, accepted, CAST(context AS VARCHAR) FROM responses)"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM responses WHERE user_key IS NOT NULL"));
        var first = store.Query("SELECT offer_type, accepted, CAST(context AS VARCHAR) AS c FROM responses WHERE source_line = 2").Single();
        Assert.Equal("Restaurant(<20)", first["offer_type"]);
        Assert.True((bool)first["accepted"]!);
        Assert.Equal(FirstRowContext, first["c"]);
    }

    [Fact]
    public void Import_InvalidRows_AreQuarantinedNamingTheColumn()
    {
        using var store = new TestStore();
        string[] lines;
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(Fixture), CompressionMode.Decompress)))
        {
            lines = [reader.ReadLine()!, reader.ReadLine()!];
        }

        var header = lines[0].Split(',');
        string Edit(string column, string value)
        {
            var fields = lines[1].Split(',');
            fields[Array.IndexOf(header, column)] = value;
            return string.Join(',', fields);
        }

        var file = Path.Combine(store.Folder, "coupons.csv");
        File.WriteAllText(file, string.Join('\n', lines[0], lines[1], Edit("Y", "2"), Edit("coupon", ""), Edit("direction_same", "1"),
            Edit("toCoupon_GEQ15min", "yes"), Edit("temperature", "451"), Edit("car", "Mazda5")) + "\n", Encoding.UTF8);

        var summary = store.Import(new InVehicleCouponImporter(), file);

        Assert.Equal(7, summary.RowsRead);
        Assert.Equal(2, summary.RowsAccepted);
        Assert.Equal(
            ["Y", "coupon", "direction_opp", "toCoupon_GEQ15min", "temperature"],
            store.Query("SELECT column_name FROM quarantine ORDER BY line").Select(q => (string?)q["column_name"]));
        Assert.Equal("Mazda5", store.Query("SELECT context->>'car' AS car FROM responses WHERE source_line = 8").Single()["car"]);
    }
}
