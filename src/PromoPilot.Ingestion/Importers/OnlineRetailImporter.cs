using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Importers;

/// <summary>
/// UCI Online Retail (Chen, Sain &amp; Guo 2012): one invoice line per row, GBP, a UK online gift shop.
/// </summary>
/// <remarks>
/// Invoices become orders and lines become events. A leading C marks a cancellation: its lines are
/// refunds (quantity kept negative, so revenue nets by summing quantity × price) and the order links to
/// the customer's latest earlier invoice of the same products. Lines without a customer are kept as
/// anonymous orders. Negative lines outside cancellations (stock write-offs) and A-invoices (bad-debt
/// adjustments) are adjustments, not customer actions. Service codes (postage, fees...) are items
/// flagged as non-products.
/// </remarks>
public sealed class OnlineRetailImporter : IDatasetImporter
{
    public const string Currency = "GBP";

    private static readonly HashSet<string> ServiceCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "POST", "DOT", "M", "C2", "D", "S", "B", "BANK CHARGES", "AMAZONFEE", "CRUK", "PADS",
    };

    public string Kind => "online-retail";

    public string Dataset => "online_retail";

    public static bool IsProductCode(string stockCode) =>
        !ServiceCodes.Contains(stockCode) && !stockCode.StartsWith("gift_", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<string> InputFiles(string input) => [InputFolder.SingleFile(input, "online_retail.csv")];

    public void Import(ImportContext context)
    {
        var writer = context.Writer;
        var orders = new Dictionary<long, OrderDraft>();
        var items = new Dictionary<int, ItemDraft>();
        var users = new HashSet<int>();
        // (user, item) -> latest earlier purchase order, for linking cancellations to their invoice.
        var lastPurchase = new Dictionary<(int User, int Item), long>();

        using var reader = CsvReader.Open(InputFiles(context.Input)[0]);
        var f = new FieldReader(reader);
        int invoice = f.Column("InvoiceNo"), stock = f.Column("StockCode"), description = f.Column("Description"),
            quantity = f.Column("Quantity"), date = f.Column("InvoiceDate"), price = f.Column("UnitPrice"),
            customer = f.Column("CustomerID"), country = f.Column("Country");

        context.ReadAll(reader, row =>
        {
            if (row.IsEmpty(invoice) || row.IsEmpty(stock))
            {
                return row.Reject(row.IsEmpty(invoice) ? invoice : stock, "required value is missing");
            }

            var units = row.Int64(quantity, -10_000_000, 10_000_000);
            var at = row.Timestamp(date, min: new DateTime(1990, 1, 1), max: new DateTime(2100, 1, 1));
            var unitPrice = row.Decimal(price, maxAbs: 1_000_000m);
            if (row.Failed)
            {
                return false;
            }

            var invoiceNo = row.Raw(invoice);
            var isCancellation = invoiceNo[0] is (byte)'C' or (byte)'c';
            var isAdjustment = invoiceNo[0] is (byte)'A' or (byte)'a' || (!isCancellation && units < 0);
            if (unitPrice < 0 && !isAdjustment)
            {
                return row.Reject(price, $"negative unit price {unitPrice} on a sale");
            }

            if (units == 0)
            {
                return row.Reject(quantity, "quantity 0 on an invoice line");
            }

            var itemKey = context.ItemKey(row.Raw(stock));
            if (!items.TryGetValue(itemKey, out var item))
            {
                item = new ItemDraft(row.Text(stock)!);
                items.Add(itemKey, item);
            }

            item.Title ??= row.Text(description);
            if (unitPrice > 0 && !isAdjustment)
            {
                item.Price = unitPrice;
            }

            int? userKey = null;
            if (!row.IsEmpty(customer))
            {
                userKey = context.UserKey(row.Raw(customer));
                if (users.Add(userKey.Value))
                {
                    writer.SetUserAttributes(userKey.Value, Attributes.Of(("country", row.Text(country))));
                }
            }

            var orderKey = context.OrderKey(invoiceNo);
            if (!orders.TryGetValue(orderKey, out var order))
            {
                order = new OrderDraft(row.Text(invoice)!, userKey, at, isCancellation);
                orders.Add(orderKey, order);
            }

            var type = isCancellation ? EventType.Refund : isAdjustment ? EventType.Adjustment : EventType.Purchase;
            if (type == EventType.Purchase && userKey is { } buyer)
            {
                lastPurchase[(buyer, itemKey)] = orderKey;
            }
            else if (type == EventType.Refund && userKey is { } refunder && lastPurchase.TryGetValue((refunder, itemKey), out var original))
            {
                order.Link(original);
            }

            writer.Write(new EventRecord(type, userKey, itemKey, at, units, unitPrice, OrderKey: orderKey, Channel: Channel.Web, SourceLine: reader.Line));
            return true;
        }, customer);

        foreach (var (key, item) in items)
        {
            writer.Upsert(new ItemRecord(key, item.StockCode, item.Title, Price: item.Price, Currency: Currency, IsProduct: IsProductCode(item.StockCode)));
        }

        foreach (var (key, order) in orders)
        {
            writer.Upsert(new OrderRecord(key, order.InvoiceNo, order.UserKey, order.OrderedAt, Currency, Channel: Channel.Web, IsRefund: order.IsRefund, RefundOfOrderKey: order.RefundOf));
        }
    }

    /// <summary>An item as its lines describe it: the first description, the latest selling price.</summary>
    private sealed class ItemDraft(string stockCode)
    {
        public string StockCode { get; } = stockCode;

        public string? Title { get; set; }

        public decimal? Price { get; set; }
    }

    /// <summary>An order being assembled from its lines; a refund links to the invoice most of its lines came from.</summary>
    private sealed class OrderDraft(string invoiceNo, int? userKey, DateTime orderedAt, bool isRefund)
    {
        private Dictionary<long, int>? _links;

        public string InvoiceNo { get; } = invoiceNo;

        public int? UserKey { get; } = userKey;

        public DateTime OrderedAt { get; } = orderedAt;

        public bool IsRefund { get; } = isRefund;

        public long? RefundOf => _links?.OrderByDescending(l => l.Value).ThenByDescending(l => l.Key).First().Key;

        public void Link(long originalOrder)
        {
            _links ??= [];
            _links[originalOrder] = _links.GetValueOrDefault(originalOrder) + 1;
        }
    }
}
