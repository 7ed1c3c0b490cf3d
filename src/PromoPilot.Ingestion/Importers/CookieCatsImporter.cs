using System.Text.Json.Nodes;
using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Importers;

/// <summary>
/// Cookie Cats mobile-game A/B test (Tactile Entertainment, via DataCamp): players randomly given the first
/// progress gate at level 30 (control) or level 40 at install, with 14 days of play and retention outcomes.
/// </summary>
/// <remarks>
/// One campaign, <see cref="CampaignId"/> (type experiment), arms gate_30 (control) and gate_40 from the version
/// column; each row is one exposure of the player (userid, pseudonymized) without a timestamp or revenue. The
/// outcomes JSON keeps sum_gamerounds, retention_1 and retention_7 under their source names. The generic outcome
/// columns are mapped as: Visited = retention_1 (the player came back one day after install) and
/// Converted = retention_7 (came back after seven days, the test's primary metric); the two are not nested
/// (some players return on day 7 but not day 1). Revenue is null: the data has no money. The extreme
/// sum_gamerounds value (49,854) is a real player and is accepted; only negative round counts are rejected.
/// Rows with an unknown version are quarantined naming that column.
/// </remarks>
public sealed class CookieCatsImporter : IDatasetImporter
{
    public const string CampaignId = "cookie_cats_gate";

    public const string ControlArm = "gate_30";

    public const string TreatmentArm = "gate_40";

    public string Kind => "cookie-cats";

    public string Dataset => "cookie_cats";

    public IReadOnlyList<string> InputFiles(string input) => [InputFolder.SingleFile(input, "cookie_cats.csv")];

    public void Import(ImportContext context)
    {
        var writer = context.Writer;
        var campaignKey = writer.CampaignKey(CampaignId);
        writer.Upsert(new CampaignRecord(
            campaignKey,
            CampaignId,
            Name: "Cookie Cats: first gate at level 30 vs level 40",
            CampaignType: "experiment",
            AttributesJson: new JsonObject
            {
                ["arms"] = new JsonArray(ControlArm, TreatmentArm),
                ["control"] = ControlArm,
                ["randomized"] = true,
                ["outcome_window_days"] = 14,
                ["visited"] = "retention_1",
                ["converted"] = "retention_7",
            }.ToJsonString()));

        using var reader = CsvReader.Open(InputFiles(context.Input)[0]);
        var f = new FieldReader(reader);
        int userid = f.Column("userid"), version = f.Column("version"), rounds = f.Column("sum_gamerounds"),
            retention1 = f.Column("retention_1"), retention7 = f.Column("retention_7");

        context.ReadAll(reader, row =>
        {
            row.Int64(userid, min: 0);
            var arm = row.Text(version, required: true);
            var played = row.Int64(rounds, min: 0, max: int.MaxValue);
            var day1 = row.Bool(retention1);
            var day7 = row.Bool(retention7);
            if (row.Failed)
            {
                return false;
            }

            if (arm is not (ControlArm or TreatmentArm))
            {
                return row.Reject(version, $"unknown arm '{arm}' (expected {ControlArm} or {TreatmentArm})");
            }

            writer.Write(new ExposureRecord(
                campaignKey,
                context.UserKey(row.Raw(userid)),
                arm,
                IsControl: arm == ControlArm,
                ExposedAt: null,
                Visited: day1,
                Converted: day7,
                Revenue: null,
                OutcomesJson: Attributes.Of(("sum_gamerounds", played), ("retention_1", day1), ("retention_7", day7)),
                SourceLine: reader.Line));
            return true;
        }, userid);
    }
}
