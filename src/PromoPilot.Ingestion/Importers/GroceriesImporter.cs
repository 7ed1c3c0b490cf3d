using System.Globalization;
using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Importers;

/// <summary>
/// Groceries (arules, Hahsler, Hornik &amp; Reutterer 2006): 9,835 point-of-sale baskets of one month at a local
/// grocery outlet, over 169 item categories with a 2-level hierarchy. The input is the dataset's folder.
/// </summary>
/// <remarks>
/// <para>groceries_item_info.csv gives the items: the label is the item id and title, and the hierarchy
/// becomes the category path "level1 &gt; level2" ("fresh products &gt; cheese").</para>
/// <para>groceries_long.csv (basket_id, item) gives one order per basket (order id = basket id) and one
/// <see cref="EventType.Purchase"/> event per basket × item. The data have no customers, times, prices or
/// quantities: events have no user and no timestamp, and quantity 1 means "in the basket".</para>
/// <para>Two labels carry a trailing space in the source ("cream cheese ", "roll products "), in both files;
/// labels are trimmed like every text field, so they still join.</para>
/// <para>groceries.csv (one basket per line, items comma-separated) holds the same 9,835 baskets in wide form;
/// reading it too would count every purchase twice, and its lines carry no basket id, so the long file, which
/// names each basket, is the one read.</para>
/// </remarks>
public sealed class GroceriesImporter : IDatasetImporter
{
    public string Kind => "groceries";

    public string Dataset => "groceries";

    public IReadOnlyList<string> InputFiles(string input) =>
        [InputFolder.Require(input, "groceries_item_info.csv"), InputFolder.Require(input, "groceries_long.csv")];

    public void Import(ImportContext context)
    {
        var files = InputFiles(context.Input);
        ImportItems(context, files[0]);
        ImportBaskets(context, files[1]);
    }

    private static void ImportItems(ImportContext context, string path)
    {
        var writer = context.Writer;
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int label = f.Column("labels"), level2 = f.Column("level2"), level1 = f.Column("level1");

        context.ReadAll(reader, row =>
        {
            var name = row.Text(label, required: true);
            var sub = row.Text(level2);
            var top = row.Text(level1);
            if (row.Failed)
            {
                return false;
            }

            if (sub is null && top is not null)
            {
                return row.Reject(level2, "sub-category missing under a top category");
            }

            var path = top is null ? sub : sub is null ? top : top + ItemRecord.CategorySeparator + sub;
            writer.Upsert(new ItemRecord(context.ItemKey(name!), name!, Title: name, CategoryPath: path));
            return true;
        });
    }

    private static void ImportBaskets(ImportContext context, string path)
    {
        var writer = context.Writer;
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int basket = f.Column("basket_id"), item = f.Column("item");
        var orders = new HashSet<long>();

        context.ReadAll(reader, row =>
        {
            var basketId = row.Int64(basket, 1, long.MaxValue);
            var label = row.Text(item, required: true);
            if (row.Failed)
            {
                return false;
            }

            var orderId = basketId.ToString(CultureInfo.InvariantCulture);
            var orderKey = context.OrderKey(orderId);
            if (orders.Add(orderKey))
            {
                writer.Upsert(new OrderRecord(orderKey, orderId, UserKey: null, OrderedAt: null, Channel: Channel.Store));
            }

            writer.Write(new EventRecord(EventType.Purchase, null, context.ItemKey(label!), null, OrderKey: orderKey, Channel: Channel.Store, SourceLine: reader.Line));
            return true;
        });
    }
}
