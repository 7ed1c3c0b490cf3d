using System.Globalization;
using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Importers;

/// <summary>
/// CDNOW master transaction log (Fader &amp; Hardie): the 69,659 purchases of the 23,570 customers who first bought
/// at the online music store CDNOW in 1997 Q1, followed to June 1998. USD. --input is the folder or the
/// cdnow_master.csv(.gz) file itself.
/// </summary>
/// <remarks>
/// <para>Each row is one purchase record and becomes one order and one <see cref="EventType.Purchase"/> event;
/// rows of the same customer on the same day stay separate orders, as in the source (sum them per day for the
/// daily transactions of BG/NBD-style models). The order id is the row's 1-based position after the header line (the
/// source has no order number, and an id built from the customer id would leak it).</para>
/// <para>The customer id is pseudonymized from its raw text, leading zeros included ("00002"). The date
/// (yyyymmdd, no time) is the order time at midnight. The products are unknown: the event has no item.
/// Quantity is number_of_cds; the dollar_value of the row is kept exactly in <see cref="EventRecord.Value"/>,
/// and the unit price is dollar_value / number_of_cds rounded to 4 decimals, so that
/// round(quantity × unit price, 2) gives the amount back to the cent (quantities are below 100).</para>
/// <para>80 rows have dollar_value 0 (one CD each): they are real records of the source (free or fully
/// discounted items) and are accepted as zero-price purchases. 255 rows repeat another row exactly
/// (same customer, day, quantity and amount); the source lists them as separate purchases, so they are kept.</para>
/// <para>cdnow_sample_summary.csv.gz, in the same folder, is a per-customer summary of a different sample
/// (other ids), not events, and is not read.</para>
/// </remarks>
public sealed class CdnowImporter : IDatasetImporter
{
    public const string Currency = "USD";

    private static readonly string[] DateFormats = ["yyyyMMdd"];

    public string Kind => "cdnow";

    public string Dataset => "cdnow";

    public IReadOnlyList<string> InputFiles(string input) => [InputFolder.SingleFile(input, "cdnow_master.csv")];

    public void Import(ImportContext context)
    {
        var writer = context.Writer;
        using var reader = CsvReader.Open(InputFiles(context.Input)[0]);
        var f = new FieldReader(reader);
        int customer = f.Column("customer_id"), date = f.Column("date"), cds = f.Column("number_of_cds"), dollars = f.Column("dollar_value");

        context.ReadAll(reader, row =>
        {
            var customerId = row.Text(customer, required: true);
            var at = row.Timestamp(date, DateFormats, min: new DateTime(1990, 1, 1), max: new DateTime(2100, 1, 1));
            var quantity = row.Int64(cds, -1_000_000, 1_000_000);
            var amount = row.Decimal(dollars, maxAbs: 1_000_000m, allowNegative: false);
            if (row.Failed)
            {
                return false;
            }

            if (quantity <= 0)
            {
                return row.Reject(cds, $"number of CDs {quantity} on a purchase");
            }

            var userKey = context.UserKey(customerId!);
            var orderId = (reader.Line - 1).ToString(CultureInfo.InvariantCulture);
            var orderKey = context.OrderKey(orderId);
            writer.Upsert(new OrderRecord(orderKey, orderId, userKey, at, Currency, Channel: Channel.Web));
            var unitPrice = Math.Round(amount / quantity, 4, MidpointRounding.AwayFromZero);
            writer.Write(new EventRecord(EventType.Purchase, userKey, null, at, quantity, unitPrice, Value: (double)amount, OrderKey: orderKey, Channel: Channel.Web, SourceLine: reader.Line));
            return true;
        }, customer);
    }
}
