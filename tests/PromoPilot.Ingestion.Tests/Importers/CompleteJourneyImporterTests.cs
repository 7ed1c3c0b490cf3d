using System.Globalization;
using System.IO.Compression;
using System.Text;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests.Importers;

public class CompleteJourneyImporterTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "completejourney");

    [DatasetFact("completejourney")]
    public void Import_FullFolder_AccountsForEveryRowAsTheDatasetReadmeDocuments()
    {
        using var store = new TestStore();
        var summary = store.Import(new CompleteJourneyImporter(), SharedData.Path("completejourney"));

        // README: 27 + 801 + 92,331 + 6,589 + 116,204 + 2,102 + 75,000 + 360,535 rows; none invalid.
        Assert.Equal(653_589, summary.RowsRead);
        Assert.Equal(653_589, summary.RowsAccepted);
        Assert.Equal(0, summary.RowsQuarantined);
        // 2,379 households appear somewhere, 801 with demographics; 92,331 products + 5 sold but not in the product file.
        Assert.Equal(2_379, summary.Tables["users"]);
        Assert.Equal(801, store.Count("SELECT count(*) FROM users WHERE attributes IS NOT NULL"));
        Assert.Equal(92_336, summary.Tables["items"]);
        Assert.Equal(47_243, summary.Tables["orders"]);
        Assert.Equal(293, summary.Tables["stores"]);
        Assert.Equal(27, summary.Tables["campaigns"]);
        // 1,197 (campaign, coupon UPC) offers + 87 display/mailer placements.
        Assert.Equal(1_284, summary.Tables["offers"]);
        Assert.Equal(75_000, store.Count("SELECT count(*) FROM events WHERE event_type = 5"));
        Assert.Equal(6_589, store.Count("SELECT count(*) FROM events WHERE event_type = 7 AND user_key IS NOT NULL"));
        Assert.Equal(360_535, store.Count("SELECT count(*) FROM events WHERE event_type = 7 AND user_key IS NULL"));
        Assert.Equal(2_102, store.Count("SELECT count(*) FROM events WHERE event_type = 8"));
        Assert.Equal(410, store.Count("SELECT count(DISTINCT user_key) FROM events WHERE event_type = 8"));
        Assert.Equal(2_377, store.Count("SELECT count(DISTINCT user_key) FROM events WHERE event_type = 5"));
        Assert.Equal(416, store.Count("SELECT count(*) FROM events WHERE event_type = 5 AND quantity = 0 AND unit_price IS NULL"));

        // Category paths: 91,692 products have all three levels, 99 two, 540 only the department.
        Assert.Equal(91_692, store.Count("SELECT count(*) FROM items WHERE len(string_split(category_path, ' > ')) = 3"));
        Assert.Equal(99, store.Count("SELECT count(*) FROM items WHERE len(string_split(category_path, ' > ')) = 2"));
        Assert.Equal(540, store.Count("SELECT count(*) FROM items WHERE len(string_split(category_path, ' > ')) = 1"));
        Assert.Equal(39, store.Count("SELECT count(*) FROM items WHERE NOT is_product"));

        // Money: discounts to the cent, revenue up to the 4-decimal unit price (fuel lines have ~30,000 units).
        Assert.Equal(41_779.72m, Decimal(store, "SELECT sum(discount) FROM events WHERE event_type = 5"));
        Assert.Equal(233_912.3159, Double(store, "SELECT sum(quantity * unit_price) FROM events WHERE event_type = 5"), 0.001);
        Assert.Equal(7_784_694d, Double(store, "SELECT sum(quantity) FROM events WHERE event_type = 5"));

        // Coupons: 116,204 rows, 4,872 exact duplicates, so 111,332 (campaign, coupon, product) triples.
        Assert.Equal(111_332, store.Count("SELECT CAST(sum(CAST((attributes->>'product_count') AS INTEGER)) AS BIGINT) FROM offers WHERE offer_type = 'coupon'"));
        Assert.Equal(48, store.Count("SELECT count(*) FROM offers WHERE offer_type = 'coupon' AND item_key IS NOT NULL"));
        AssertCommonInvariants(store, "1");
    }

    [Fact]
    public void Import_Fixture_MatchesCountsOfTheSlice()
    {
        using var store = new TestStore();
        var summary = store.Import(new CompleteJourneyImporter(), Fixture);

        // Counted independently with Python's csv module when the slice was cut (make_fixture.py).
        Assert.Equal(8_694, summary.RowsRead);
        Assert.Equal(8_694, summary.RowsAccepted);
        Assert.Equal(0, summary.RowsQuarantined);
        Assert.Equal(254, summary.Tables["users"]);
        Assert.Equal(157, store.Count("SELECT count(*) FROM users WHERE attributes IS NOT NULL"));
        Assert.Equal(3_359, summary.Tables["items"]);
        Assert.Equal(228, summary.Tables["orders"]);
        Assert.Equal(90, summary.Tables["stores"]);
        Assert.Equal(27, summary.Tables["campaigns"]);
        Assert.Equal(205, summary.Tables["offers"]);
        Assert.Equal(28, store.Count("SELECT count(*) FROM offers WHERE offer_id LIKE 'placement:%'"));
        Assert.Equal(508, store.Count("SELECT count(*) FROM events WHERE event_type = 5"));
        Assert.Equal(12, store.Count("SELECT count(*) FROM events WHERE event_type = 5 AND quantity = 0"));
        Assert.Equal(1_223, store.Count("SELECT count(*) FROM events WHERE event_type = 7 AND user_key IS NOT NULL"));
        Assert.Equal(250, store.Count("SELECT count(*) FROM events WHERE event_type = 7 AND user_key IS NULL"));
        Assert.Equal(258, store.Count("SELECT count(*) FROM events WHERE event_type = 8"));
        Assert.Equal(67, store.Count("SELECT count(DISTINCT user_key) FROM events WHERE event_type = 8"));
        Assert.Equal(3_346, store.Count("SELECT count(*) FROM items WHERE len(string_split(category_path, ' > ')) = 3"));
        Assert.Equal(3, store.Count("SELECT count(*) FROM items WHERE category_path IS NULL"));
        Assert.Equal(2_888, store.Count("SELECT CAST(sum(CAST((attributes->>'product_count') AS INTEGER)) AS BIGINT) FROM offers WHERE offer_type = 'coupon'"));
        Assert.Equal(268.04m, Decimal(store, "SELECT sum(discount) FROM events WHERE event_type = 5"));
        Assert.Equal(1_437.19, Double(store, "SELECT sum(quantity * unit_price) FROM events WHERE event_type = 5"), 0.001);
        Assert.Equal(119, store.Count("SELECT count(*) FROM events e JOIN offers o USING (offer_key) WHERE (o.attributes->>'display_location') <> '0'"));
        Assert.Equal(154, store.Count("SELECT count(*) FROM events e JOIN offers o USING (offer_key) WHERE (o.attributes->>'mailer_location') <> '0'"));
        AssertCommonInvariants(store, "1031");
    }

    [Fact]
    public void Import_InvalidRows_AreQuarantinedAndWriteNothing()
    {
        using var store = new TestStore();
        var input = Path.Combine(store.Folder, "input");
        Directory.CreateDirectory(input);
        foreach (var file in Directory.GetFiles(Fixture, "*.csv.gz"))
        {
            File.Copy(file, Path.Combine(input, Path.GetFileName(file)));
        }

        AppendLines(Path.Combine(input, "transactions_sample.csv.gz"),
            "9001,999,99000000001,1093587,0,5.00,0,0,0,10,2017-03-01 10:00:00",
            "9002,999,99000000002,1093587,-1,1.00,0,0,0,10,2017-03-01 10:00:00",
            "9003,999,99000000003,1093587,1,1.00,0,0,0,10,2017-13-01 10:00:00",
            "9004,999,99000000004,1093587,1,1.00,0,0,0,10");
        AppendLines(Path.Combine(input, "campaign_descriptions.csv.gz"), "99,Type A,2017-05-01,2017-04-01");
        var summary = store.Import(new CompleteJourneyImporter(), input);

        Assert.Equal(8_699, summary.RowsRead);
        Assert.Equal(8_694, summary.RowsAccepted);
        Assert.Equal(5, summary.RowsQuarantined);
        var reasons = store.Query("SELECT column_name, reason FROM quarantine ORDER BY file, line")
            .Select(r => $"{r["column_name"]}: {r["reason"]}").ToList();
        Assert.Collection(
            reasons,
            r => Assert.StartsWith("end_date: campaign ends", r, StringComparison.Ordinal),
            r => Assert.StartsWith("sales_value: sales value 5.00 on a line with quantity 0", r, StringComparison.Ordinal),
            r => Assert.StartsWith("quantity: -1 is outside", r, StringComparison.Ordinal),
            r => Assert.StartsWith("transaction_timestamp: '2017-13-01 10:00:00' is not a date", r, StringComparison.Ordinal),
            r => Assert.StartsWith(": expected 11 columns", r, StringComparison.Ordinal));
        // Nothing of the rejected rows was written: no store 999, no basket 99..., no household 900x, no campaign 99.
        Assert.Equal(0, store.Count("SELECT count(*) FROM stores WHERE store_id = '999'"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM orders WHERE order_id LIKE '990000000%'"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM campaigns WHERE campaign_id = '99'"));
        Assert.Equal(254, summary.Tables["users"]);
        Assert.Equal(508, store.Count("SELECT count(*) FROM events WHERE event_type = 5"));
    }

    [Fact]
    public void InputFiles_MissingTable_NamesTheFile()
    {
        using var store = new TestStore();
        var input = Path.Combine(store.Folder, "partial");
        Directory.CreateDirectory(input);
        File.Copy(Path.Combine(Fixture, "products.csv.gz"), Path.Combine(input, "products.csv.gz"));

        var error = Assert.Throws<FileNotFoundException>(() => new CompleteJourneyImporter().InputFiles(input));
        Assert.Contains("campaign_descriptions.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeekStart_FollowsTheWeeksOfTheTransactions()
    {
        Assert.Equal(new DateTime(2017, 1, 1), CompleteJourneyImporter.WeekStart(1));
        Assert.Equal(new DateTime(2017, 1, 2), CompleteJourneyImporter.WeekStart(2));
        Assert.Equal(new DateTime(2017, 12, 25), CompleteJourneyImporter.WeekStart(53));
    }

    private static void AssertCommonInvariants(TestStore store, string householdWithDemographics)
    {
        // No raw household id is stored: every user id is a keyed pseudonym, and a household's demographics sit under its pseudonym.
        Assert.Equal(0, store.Count("SELECT count(*) FROM users WHERE NOT regexp_full_match(user_id, 'u_[0-9a-f]{32}')"));
        Assert.Equal(0, store.Count($"SELECT count(*) FROM users WHERE user_id = '{householdWithDemographics}'"));
        Assert.Equal(1, store.Count($"SELECT count(*) FROM users WHERE user_id = '{store.Pseudonymizer.Pseudonymize(householdWithDemographics)}' AND (attributes->>'age') IS NOT NULL"));
        // Every redemption has a user, a campaign and a coupon offer of that same campaign, on a date of 2017.
        Assert.Equal(0, store.Count("""
            SELECT count(*) FROM events e LEFT JOIN offers o USING (offer_key)
            WHERE e.event_type = 8 AND (e.user_key IS NULL OR e.campaign_key IS NULL OR o.campaign_key IS DISTINCT FROM e.campaign_key
                OR o.offer_type <> 'coupon' OR year(e.ts) <> 2017)
            """));
        // Campaign exposures happen at their campaign's start; promotion exposures carry an item, a store and a placement.
        Assert.Equal(0, store.Count("""
            SELECT count(*) FROM events e JOIN campaigns c USING (campaign_key)
            WHERE e.event_type = 7 AND e.ts IS DISTINCT FROM c.starts_at
            """));
        Assert.Equal(0, store.Count("""
            SELECT count(*) FROM events e LEFT JOIN offers o USING (offer_key)
            WHERE e.event_type = 7 AND e.user_key IS NULL AND (e.item_key IS NULL OR e.store_key IS NULL OR o.offer_id NOT LIKE 'placement:%')
            """));
        // Purchases belong to their basket's household and store, in USD.
        Assert.Equal(0, store.Count("""
            SELECT count(*) FROM events e JOIN orders o USING (order_key)
            WHERE e.event_type = 5 AND (e.user_key <> o.user_key OR e.store_key <> o.store_key OR e.ts <> o.ordered_at OR o.currency <> 'USD')
            """));
        Assert.Equal(0, store.Count("SELECT count(*) FROM items WHERE currency IS DISTINCT FROM 'USD'"));
        Assert.Equal(0, store.Count("""
            SELECT count(*) FROM offers WHERE offer_type = 'coupon'
            AND json_array_length(attributes->'product_ids') <> CAST((attributes->>'product_count') AS INTEGER)
            """));
    }

    private static decimal Decimal(TestStore store, string sql) => Convert.ToDecimal(store.Query(sql)[0].Values.First(), CultureInfo.InvariantCulture);

    private static double Double(TestStore store, string sql) => Convert.ToDouble(store.Query(sql)[0].Values.First(), CultureInfo.InvariantCulture);

    private static void AppendLines(string gzipFile, params string[] lines)
    {
        string text;
        using (var input = new GZipStream(File.OpenRead(gzipFile), CompressionMode.Decompress))
        using (var reader = new StreamReader(input, Encoding.UTF8))
        {
            text = reader.ReadToEnd();
        }

        using var output = new GZipStream(File.Create(gzipFile), CompressionLevel.Fastest);
        output.Write(Encoding.UTF8.GetBytes(text + string.Join('\n', lines) + "\n"));
    }
}
