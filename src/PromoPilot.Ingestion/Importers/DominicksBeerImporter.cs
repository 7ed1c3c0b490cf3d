using System.Globalization;
using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Importers;

/// <summary>
/// Dominick's Finer Foods beer (Taddy, Business Data Science; Kilts Center, Chicago Booth): shelf price and unit
/// movement of 287 beer UPCs in 68 stores, weeks 91–399, with UPC descriptions and store demographics.
/// The input is the dataset's folder (upc.csv, demo.csv, wber.csv).
/// </summary>
/// <remarks>
/// <para>upc gives the items: the UPC is the id, DESCRIP the title (e.g. "BUDWEISER BEER 6pk"), OZ the total
/// ounces of the item as the attribute oz. demo gives the stores, its 46 columns as attributes.</para>
/// <para>wber gives one store-week sale per UPC × store × week: units = MOVE, unit price = PRICE, the shelf
/// price in USD of one item (a 6-pack is one item; divide by oz for a per-ounce price). This extract has no
/// promotion flags, so deal and feature are null (unknown, not false). Only weeks with positive movement are in
/// the source, so a missing week is not evidence of zero sales.</para>
/// <para>1.6 million rows: the hot path parses fields from bytes, finds keys without allocating and writes
/// no per-row attributes.</para>
/// </remarks>
public sealed class DominicksBeerImporter : IDatasetImporter
{
    public const string Category = "Beer";

    public string Kind => "dominicks-beer";

    public string Dataset => "dominicks_beer";

    public IReadOnlyList<string> InputFiles(string input) =>
        [InputFolder.Require(input, "upc.csv"), InputFolder.Require(input, "demo.csv"), InputFolder.Require(input, "wber.csv")];

    public void Import(ImportContext context)
    {
        var files = InputFiles(context.Input);
        ImportItems(context, files[0]);
        var stores = DominicksStores.Import(context, files[1], "STORE");
        ImportSales(context, files[2], stores);
    }

    private static void ImportItems(ImportContext context, string path)
    {
        var writer = context.Writer;
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int upc = f.Column("UPC"), description = f.Column("DESCRIP"), ounces = f.Column("OZ");

        context.ReadAll(reader, row =>
        {
            var upcCode = row.Text(upc, required: true);
            var title = row.Text(description);
            var oz = row.DoubleOrNull(ounces, 0, 100_000);
            if (row.Failed)
            {
                return false;
            }

            writer.Upsert(new ItemRecord(context.ItemKey(upcCode!), upcCode!, title, Category, AttributesJson: Attributes.Of(("oz", oz))));
            return true;
        });
    }

    private static void ImportSales(ImportContext context, string path, DominicksStores stores)
    {
        var writer = context.Writer;
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int store = f.Column("STORE"), upc = f.Column("UPC"), week = f.Column("WEEK"), price = f.Column("PRICE"), move = f.Column("MOVE");

        context.ReadAll(reader, row =>
        {
            var storeNo = row.Int32(store, 0, 1_000_000);
            var weekNo = row.Int32(week, 0, 10_000);
            var unitPrice = row.Decimal(price, maxAbs: 100_000m, allowNegative: false);
            var units = row.Int64(move, 0, 100_000_000);
            if (row.IsEmpty(upc))
            {
                return row.Reject(upc, "required value is missing");
            }

            if (row.Failed)
            {
                return false;
            }

            if (unitPrice == 0)
            {
                return row.Reject(price, "price 0 on a week with sales");
            }

            writer.Write(new StoreWeekSaleRecord(stores.Key(storeNo), context.ItemKey(row.Raw(upc)), weekNo, units, unitPrice, null, null, null, reader.Line));
            return true;
        });
    }
}
