using System.Text.Json.Nodes;
using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Importers;

/// <summary>
/// UCI In-Vehicle Coupon Recommendation (Wang et al. 2017): Mechanical Turk respondents saying whether they would
/// accept a coupon in a described driving scenario. Stated preferences, not observed redemptions.
/// </summary>
/// <remarks>
/// Every row is one response of the single campaign <see cref="CampaignId"/> (type survey): offer type = the
/// coupon column, accepted = Y. The file has no respondent id, so responses have no user. The context JSON holds
/// every other column under its original name (including the source's misspelling `passanger`): the integer
/// columns (temperature, has_children, toCoupon_GEQ*min, direction_same, direction_opp) as JSON numbers, the rest
/// as the source's strings; empty values (car in most rows, some habit frequencies) are left out of the object,
/// not written as null. Columns beyond the UCI set are kept as strings. The 74 rows that repeat an earlier row are
/// kept: different respondents can give identical answers. Rows are quarantined for a missing coupon, Y or an
/// integer column that is not 0/1 (temperature: not within -100..150 °F), or direction_opp ≠ 1 − direction_same.
/// </remarks>
public sealed class InVehicleCouponImporter : IDatasetImporter
{
    public const string CampaignId = "in_vehicle_coupon_survey";

    private static readonly string[] FlagColumns =
    [
        "has_children", "toCoupon_GEQ5min", "toCoupon_GEQ15min", "toCoupon_GEQ25min", "direction_same", "direction_opp",
    ];

    private static readonly string[] TextColumns =
    [
        "destination", "passanger", "weather", "time", "expiration", "gender", "age", "maritalStatus", "education",
        "occupation", "income", "car", "Bar", "CoffeeHouse", "CarryAway", "RestaurantLessThan20", "Restaurant20To50",
    ];

    public string Kind => "in-vehicle-coupon";

    public string Dataset => "in_vehicle_coupon";

    public IReadOnlyList<string> InputFiles(string input) => [InputFolder.SingleFile(input, "in-vehicle-coupon-recommendation.csv")];

    public void Import(ImportContext context)
    {
        var writer = context.Writer;
        var campaignKey = writer.CampaignKey(CampaignId);
        writer.Upsert(new CampaignRecord(
            campaignKey,
            CampaignId,
            Name: "In-vehicle coupon recommendation survey (UCI, Wang et al. 2017)",
            CampaignType: "survey",
            AttributesJson: new JsonObject
            {
                ["design"] = "stated-preference survey (Amazon Mechanical Turk)",
                ["offer_type"] = "coupon",
                ["accepted"] = "Y",
            }.ToJsonString()));

        using var reader = CsvReader.Open(InputFiles(context.Input)[0]);
        var f = new FieldReader(reader);
        int coupon = f.Column("coupon"), y = f.Column("Y"), temperature = f.Column("temperature"),
            directionSame = f.Column("direction_same"), directionOpp = f.Column("direction_opp");
        var integers = new HashSet<int>(FlagColumns.Select(f.Column)) { temperature };
        foreach (var name in TextColumns)
        {
            f.Column(name);
        }

        var contextColumns = Enumerable.Range(0, reader.Header.Count).Where(i => i != coupon && i != y).ToArray();
        var values = new (string Name, object? Value)[contextColumns.Length];

        context.ReadAll(reader, row =>
        {
            var offerType = row.Text(coupon, required: true);
            var accepted = row.Int32(y, 0, 1) == 1;
            for (var n = 0; n < contextColumns.Length; n++)
            {
                var column = contextColumns[n];
                values[n] = (reader.Header[column], column == temperature ? row.Int64(column, -100, 150)
                    : integers.Contains(column) ? row.Int64(column, 0, 1)
                    : (object?)row.Text(column));
            }

            if (row.Failed)
            {
                return false;
            }

            if (row.Int64(directionSame) + row.Int64(directionOpp) != 1)
            {
                return row.Reject(directionOpp, "direction_opp is not 1 - direction_same");
            }

            writer.Write(new ResponseRecord(campaignKey, UserKey: null, offerType!, accepted, Attributes.Of(values) ?? "{}", reader.Line));
            return true;
        });
    }
}
