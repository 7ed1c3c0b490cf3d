using System.Text.Json;
using PromoPilot.Core.Customers;

namespace PromoPilot.Storage.Queries;

/// <summary>The versioned customer_profiles table.</summary>
public static class ProfileTable
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS profile_versions (
            version INTEGER PRIMARY KEY, as_of TIMESTAMP NOT NULL, dataset VARCHAR, built_at TIMESTAMPTZ, customers BIGINT);
        CREATE TABLE IF NOT EXISTS customer_profiles (
            version INTEGER NOT NULL, user_key INTEGER NOT NULL, recency_days DOUBLE, frequency INTEGER, monetary DECIMAL(18,4),
            aov DECIMAL(18,4), tenure_days DOUBLE, inter_purchase_days DOUBLE, r_score TINYINT, f_score TINYINT, m_score TINYINT,
            rfm_group VARCHAR, discount_share DOUBLE, discount_depth DOUBLE, coupon_redemptions INTEGER, views BIGINT,
            cart_adds BIGINT, top_categories JSON, top_brands JSON);
        """;

    /// <returns>The new version number.</returns>
    public static int Save(DuckDbStore store, DateTime asOf, string? dataset, DateTimeOffset builtAt, IReadOnlyList<CustomerProfile> profiles)
    {
        store.Execute(Create);
        store.Execute("BEGIN TRANSACTION");
        try
        {
            var version = store.Scalar<int>("SELECT coalesce(max(version), 0) + 1 FROM profile_versions");
            store.Execute(
                "INSERT INTO profile_versions VALUES ($v, $as_of, $dataset, $built, $n)",
                ("v", version), ("as_of", asOf), ("dataset", dataset), ("built", builtAt.UtcDateTime), ("n", (long)profiles.Count));
            using (var appender = store.Connection.CreateAppender("customer_profiles"))
            {
                foreach (var p in profiles)
                {
                    appender.CreateRow()
                        .AppendValue(version).AppendValue(p.UserKey).AppendValue(p.RecencyDays).AppendValue(p.Frequency)
                        .AppendValue(p.Monetary).AppendValue(p.AverageOrderValue).AppendValue(p.TenureDays).AppendValue(p.InterPurchaseDays)
                        .AppendValue((sbyte)p.RecencyScore).AppendValue((sbyte)p.FrequencyScore).AppendValue((sbyte)p.MonetaryScore)
                        .AppendValue(p.RfmGroup).AppendValue(p.DiscountShare).AppendValue(p.DiscountDepth).AppendValue(p.CouponRedemptions)
                        .AppendValue(p.Views).AppendValue(p.CartAdds)
                        .AppendValue(JsonSerializer.Serialize(p.TopCategories.Select(s => new { name = s.Name, share = s.Share })))
                        .AppendValue(JsonSerializer.Serialize(p.TopBrands.Select(s => new { name = s.Name, share = s.Share })))
                        .EndRow();
                }
            }

            store.Execute("COMMIT");
            return version;
        }
        catch
        {
            store.Execute("ROLLBACK");
            throw;
        }
    }

    /// <summary>The profiles of one build (the latest when <paramref name="version"/> is null), or null when none was built.</summary>
    public static (int Version, DateTime AsOf, IReadOnlyList<CustomerProfile> Profiles)? Load(DuckDbStore store, int? version = null)
    {
        store.Execute(Create);
        var chosen = version ?? store.Scalar<int>("SELECT coalesce(max(version), 0) FROM profile_versions");
        var header = store.Query("SELECT as_of FROM profile_versions WHERE version = $v", ("v", chosen));
        if (header.Count == 0)
        {
            return null;
        }

        var profiles = store.Query("SELECT * FROM customer_profiles WHERE version = $v ORDER BY user_key", ("v", chosen)).Select(r => new CustomerProfile(
            (int)r["user_key"]!, (double)r["recency_days"]!, (int)r["frequency"]!, (decimal)r["monetary"]!, (decimal)r["aov"]!,
            (double)r["tenure_days"]!, (double?)r["inter_purchase_days"], (sbyte)r["r_score"]!, (sbyte)r["f_score"]!, (sbyte)r["m_score"]!,
            (string)r["rfm_group"]!, (double)r["discount_share"]!, (double)r["discount_depth"]!, (int)r["coupon_redemptions"]!,
            (long)r["views"]!, (long)r["cart_adds"]!, Shares((string?)r["top_categories"]), Shares((string?)r["top_brands"]))).ToList();
        return (chosen, (DateTime)header[0]["as_of"]!, profiles);
    }

    private static List<ShareOf> Shares(string? json) =>
        json is null ? [] : [.. JsonSerializer.Deserialize<List<JsonShare>>(json)!.Select(s => new ShareOf(s.name, s.share))];

    private sealed record JsonShare(string name, double share);
}
