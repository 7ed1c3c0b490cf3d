using System.Globalization;

namespace PromoPilot.Storage.Campaigns;

/// <summary>One user of a saved target list: the offer the budget optimizer chose for them and its expected cost and profit.</summary>
public sealed record CampaignTargetRow(int UserKey, string OfferId, double ExpectedCost, double ExpectedProfit);

/// <summary>A campaign's saved target list (what <c>promopilot campaign optimize ID --save</c> chose).</summary>
/// <param name="CampaignId">The campaign.</param>
/// <param name="Budget">The budget the optimizer was given.</param>
/// <param name="ProfileVersion">The profile version the users were chosen from.</param>
/// <param name="SavedAt">When it was saved.</param>
/// <param name="Users">The chosen users, by user key.</param>
public sealed record CampaignTargetList(string CampaignId, double Budget, int ProfileVersion, DateTimeOffset SavedAt, IReadOnlyList<CampaignTargetRow> Users);

/// <summary>
/// The campaign_target_lists table: the users the budget optimizer chose for a campaign, so the launch assigns
/// treatment and holdout over exactly them. Saving replaces the campaign's previous list.
/// </summary>
public static class CampaignTargetListTable
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS campaign_target_lists (
            campaign_id VARCHAR NOT NULL, user_key INTEGER NOT NULL, offer_id VARCHAR NOT NULL, expected_cost DOUBLE NOT NULL,
            expected_profit DOUBLE NOT NULL, budget DOUBLE NOT NULL, profile_version INTEGER NOT NULL, saved_at TIMESTAMPTZ NOT NULL);
        """;

    /// <summary>Replaces the campaign's target list with <paramref name="list"/>, in one transaction.</summary>
    /// <exception cref="ArgumentException">The list has no users (an empty list would read as "no list": the launch would target everyone).</exception>
    public static void Save(DuckDbStore store, CampaignTargetList list)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(list);
        if (list.Users.Count == 0)
        {
            throw new ArgumentException($"campaign '{list.CampaignId}': the target list has no users; nothing was saved.", nameof(list));
        }

        store.Execute(Create);
        store.Execute("BEGIN TRANSACTION");
        try
        {
            store.Execute("DELETE FROM campaign_target_lists WHERE campaign_id = $id", ("id", list.CampaignId));
            using (var appender = store.Connection.CreateAppender("campaign_target_lists"))
            {
                foreach (var u in list.Users)
                {
                    appender.CreateRow()
                        .AppendValue(list.CampaignId).AppendValue(u.UserKey).AppendValue(u.OfferId).AppendValue(u.ExpectedCost).AppendValue(u.ExpectedProfit)
                        .AppendValue(list.Budget).AppendValue(list.ProfileVersion).AppendValue(list.SavedAt.UtcDateTime)
                        .EndRow();
                }
            }

            store.Execute("COMMIT");
        }
        catch
        {
            store.Execute("ROLLBACK");
            throw;
        }
    }

    /// <summary>The campaign's saved target list, or null when none was saved.</summary>
    public static CampaignTargetList? Load(DuckDbStore store, string campaignId)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(campaignId);
        if (store.Scalar<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'campaign_target_lists'") == 0)
        {
            return null;
        }

        var rows = store.Query(
            "SELECT * FROM campaign_target_lists WHERE campaign_id = $id ORDER BY user_key", ("id", campaignId));
        if (rows.Count == 0)
        {
            return null;
        }

        var first = rows[0];
        return new CampaignTargetList(
            campaignId,
            Convert.ToDouble(first["budget"], CultureInfo.InvariantCulture),
            Convert.ToInt32(first["profile_version"], CultureInfo.InvariantCulture),
            first["saved_at"] switch
            {
                DateTimeOffset o => o.ToUniversalTime(),
                DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                var other => throw new InvalidOperationException($"campaign_target_lists.saved_at: unexpected value {other}"),
            },
            [.. rows.Select(r => new CampaignTargetRow(
                Convert.ToInt32(r["user_key"], CultureInfo.InvariantCulture), (string)r["offer_id"]!,
                Convert.ToDouble(r["expected_cost"], CultureInfo.InvariantCulture), Convert.ToDouble(r["expected_profit"], CultureInfo.InvariantCulture)))]);
    }
}
