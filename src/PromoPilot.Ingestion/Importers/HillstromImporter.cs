using System.Text.Json.Nodes;
using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Importers;

/// <summary>
/// Hillstrom MineThatData E-Mail Challenge (2008): 64,000 recent customers of a US retailer randomly split
/// into a Mens e-mail, a Womens e-mail and a no-e-mail control, with two weeks of outcomes.
/// </summary>
/// <remarks>
/// One campaign, <see cref="CampaignId"/> (type email), with the three arms of the segment column; No E-Mail
/// is the control. The file has no customer id, so a customer's raw id is the 1-based data row number (file
/// line minus the header), pseudonymized like any other id; the bundled sample (the first rows) therefore
/// names the same customers as the full file. Pre-period features (recency, history_segment, history, mens,
/// womens, zip_code, newbie, channel) become user attributes, values as in the source (0/1 flags as
/// booleans, the `Surburban` spelling kept). Each row is one exposure without a timestamp: visited = visit,
/// converted = conversion, revenue = spend (dollars), and the outcomes JSON holds visit, conversion and
/// spend under their source names. Rows are quarantined for an unknown segment, flags other than 0/1,
/// recency outside 1–12, a negative history or spend, or spend that disagrees with conversion (spend is
/// positive exactly when a purchase was made).
/// </remarks>
public sealed class HillstromImporter : IDatasetImporter
{
    public const string CampaignId = "hillstrom_email_2008";

    public const string ControlArm = "No E-Mail";

    public static readonly IReadOnlyList<string> Arms = ["Mens E-Mail", "Womens E-Mail", ControlArm];

    public string Kind => "hillstrom";

    public string Dataset => "hillstrom";

    public IReadOnlyList<string> InputFiles(string input) => [InputFolder.SingleFile(input, "hillstrom.csv")];

    public void Import(ImportContext context)
    {
        var writer = context.Writer;
        var campaignKey = writer.CampaignKey(CampaignId);
        writer.Upsert(new CampaignRecord(
            campaignKey,
            CampaignId,
            Name: "MineThatData E-Mail Challenge (Hillstrom 2008): Mens vs Womens e-mail vs no e-mail",
            CampaignType: "email",
            AttributesJson: new JsonObject
            {
                ["arms"] = new JsonArray([.. Arms.Select(a => JsonValue.Create(a))]),
                ["control"] = ControlArm,
                ["randomized"] = true,
                ["outcome_window_days"] = 14,
                ["currency"] = "USD",
            }.ToJsonString()));

        using var reader = CsvReader.Open(InputFiles(context.Input)[0]);
        var f = new FieldReader(reader);
        int recency = f.Column("recency"), historySegment = f.Column("history_segment"), history = f.Column("history"),
            mens = f.Column("mens"), womens = f.Column("womens"), zipCode = f.Column("zip_code"), newbie = f.Column("newbie"),
            channel = f.Column("channel"), segment = f.Column("segment"), visit = f.Column("visit"),
            conversion = f.Column("conversion"), spend = f.Column("spend");

        context.ReadAll(reader, row =>
        {
            var months = row.Int32(recency, 1, 12);
            var bucket = row.Text(historySegment, required: true);
            var pastSpend = row.Decimal(history, allowNegative: false);
            var boughtMens = row.Int32(mens, 0, 1) == 1;
            var boughtWomens = row.Int32(womens, 0, 1) == 1;
            var area = row.Text(zipCode, required: true);
            var isNewbie = row.Int32(newbie, 0, 1) == 1;
            var channels = row.Text(channel, required: true);
            var arm = row.Text(segment, required: true);
            var visited = row.Int32(visit, 0, 1) == 1;
            var converted = row.Int32(conversion, 0, 1) == 1;
            var revenue = row.Decimal(spend, maxAbs: 1_000_000m, allowNegative: false);
            if (row.Failed)
            {
                return false;
            }

            if (!Arms.Contains(arm!, StringComparer.Ordinal))
            {
                return row.Reject(segment, $"unknown arm '{arm}' (expected {string.Join(", ", Arms)})");
            }

            if ((revenue > 0) != converted)
            {
                return row.Reject(spend, $"spend {revenue} disagrees with conversion {(converted ? 1 : 0)}");
            }

            var userKey = context.UserKey((reader.Line - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.SetUserAttributes(userKey, Attributes.Of(
                ("recency", months),
                ("history_segment", bucket),
                ("history", pastSpend),
                ("mens", boughtMens),
                ("womens", boughtWomens),
                ("zip_code", area),
                ("newbie", isNewbie),
                ("channel", channels)));
            writer.Write(new ExposureRecord(
                campaignKey,
                userKey,
                arm!,
                IsControl: arm == ControlArm,
                ExposedAt: null,
                Visited: visited,
                Converted: converted,
                Revenue: revenue,
                OutcomesJson: Attributes.Of(("visit", visited), ("conversion", converted), ("spend", revenue)),
                SourceLine: reader.Line));
            return true;
        });
    }
}
