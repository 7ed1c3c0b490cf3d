using System.Globalization;
using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Importers;

/// <summary>
/// Dominick's Finer Foods refrigerated orange juice (bayesm <c>orangeJuice</c>; Kilts Center, Chicago Booth):
/// weekly sales, prices and promotions of 11 brand-sizes in 83 Chicago-area stores, weeks 40–160, with store
/// demographics. The input is the dataset's folder (oj_storedemo.csv, oj_yx.csv).
/// </summary>
/// <remarks>
/// <para>oj_storedemo gives the stores; the 11 demographic and competition columns become attributes under
/// their lower-cased names (age60, educ, ... cpwvol5).</para>
/// <para>The items are the 11 brand codes of the bayesm documentation (1 Tropicana Premium 64oz ...
/// 11 Dominicks 128oz), id = the code, with brand and carton size (size_oz) as attributes.</para>
/// <para>oj_yx gives one store-week sale per store × brand × week. logmove is the natural log of the
/// movement, and exp(logmove) is integral up to float noise (at most 2.5e-4 off), so units are rounded to the
/// nearest integer. The movement is in ounces, not cartons: every value is a multiple of its brand's
/// carton size (64, 96 or 128 oz); it matches the price, which is the brand's own price column
/// (price1..price11 picked by the row's brand) in dollars per ounce as given, so units × unit price is dollar
/// sales. Prices have up to 10 decimals and are kept exactly (the column is DECIMAL(18,10)).
/// Deal is the deal flag. feat is the featured share of the brand's volume (0, 1, or in about 1.5 % of rows a
/// fraction, from aggregating several UPCs): Feature is feat &gt; 0, and the exact share is kept in the row
/// attributes with profit (units undocumented by bayesm). The other brands' prices of a row are not kept:
/// every store-week has all 11 brands, whose own prices equal them.</para>
/// <para>Weeks are the Dominick's week numbers as given; the constant column (always 1) is an intercept.</para>
/// </remarks>
public sealed class DominicksOjImporter : IDatasetImporter
{
    /// <summary>The brand codes of the bayesm documentation: title, brand, carton size in ounces.</summary>
    public static readonly IReadOnlyList<(string Title, string Brand, int Ounces)> Brands =
    [
        ("Tropicana Premium 64oz", "Tropicana", 64),
        ("Tropicana Premium 96oz", "Tropicana", 96),
        ("Florida's Natural 64oz", "Florida's Natural", 64),
        ("Tropicana 64oz", "Tropicana", 64),
        ("Minute Maid 64oz", "Minute Maid", 64),
        ("Minute Maid 96oz", "Minute Maid", 96),
        ("Citrus Hill 64oz", "Citrus Hill", 64),
        ("Tree Fresh 64oz", "Tree Fresh", 64),
        ("Florida Gold 64oz", "Florida Gold", 64),
        ("Dominicks 64oz", "Dominicks", 64),
        ("Dominicks 128oz", "Dominicks", 128),
    ];

    public const string Category = "Refrigerated juice > Orange juice";

    public string Kind => "dominicks-oj";

    public string Dataset => "dominicks_oj";

    public IReadOnlyList<string> InputFiles(string input) =>
        [InputFolder.Require(input, "oj_storedemo.csv"), InputFolder.Require(input, "oj_yx.csv")];

    public void Import(ImportContext context)
    {
        var files = InputFiles(context.Input);
        var itemKeys = new int[Brands.Count + 1];
        for (var b = 1; b <= Brands.Count; b++)
        {
            var (title, brand, ounces) = Brands[b - 1];
            var itemId = b.ToString(CultureInfo.InvariantCulture);
            itemKeys[b] = context.ItemKey(itemId);
            context.Writer.Upsert(new ItemRecord(itemKeys[b], itemId, title, Category, brand, AttributesJson: Attributes.Of(("size_oz", ounces))));
        }

        var stores = DominicksStores.Import(context, files[0], "STORE");
        ImportSales(context, files[1], itemKeys, stores);
    }

    private static void ImportSales(ImportContext context, string path, int[] itemKeys, DominicksStores stores)
    {
        var writer = context.Writer;
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int store = f.Column("store"), brand = f.Column("brand"), week = f.Column("week"), logmove = f.Column("logmove"),
            deal = f.Column("deal"), feat = f.Column("feat"), profit = f.Column("profit");
        var prices = Enumerable.Range(1, Brands.Count).Select(b => f.Column($"price{b}")).ToArray();

        context.ReadAll(reader, row =>
        {
            var storeNo = row.Int32(store, 0, 1_000_000);
            var brandNo = row.Int32(brand, 1, Brands.Count);
            var weekNo = row.Int32(week, 0, 10_000);
            var logUnits = row.Double(logmove, 0, 30);
            var price = row.Failed ? 0 : row.Decimal(prices[brandNo - 1], maxAbs: 1_000m, allowNegative: false);
            var onDeal = row.Bool(deal);
            var featured = row.Double(feat, 0, 1);
            var margin = row.DoubleOrNull(profit);
            if (row.Failed)
            {
                return false;
            }

            var units = Math.Exp(logUnits);
            var whole = Math.Round(units);
            if (Math.Abs(units - whole) > Math.Max(1e-3, units * 1e-9))
            {
                return row.Reject(logmove, $"exp(logmove) = {units.ToString(CultureInfo.InvariantCulture)} is not a whole number of units");
            }

            // Formatted directly: building a JsonObject per row would double the import time.
            var attributes = margin is { } m
                ? string.Create(CultureInfo.InvariantCulture, $"{{\"feat\":{featured:R},\"profit\":{m:R}}}")
                : string.Create(CultureInfo.InvariantCulture, $"{{\"feat\":{featured:R}}}");
            writer.Write(new StoreWeekSaleRecord(stores.Key(storeNo), itemKeys[brandNo], weekNo, whole, price, onDeal, featured > 0, attributes, reader.Line));
            return true;
        });
    }
}
