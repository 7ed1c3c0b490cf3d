using PromoPilot.Core.Customers;

namespace PromoPilot.Storage.Queries;

/// <summary>A shopper as the decision service loads them: latest profile, CLV, and numeric attributes.</summary>
public sealed record ServingUser(string UserId, CustomerProfile? Profile, double? Clv, double? ProbabilityAlive, IReadOnlyDictionary<string, double> Attributes);

/// <summary>Loads every user with their latest profile, CLV and numeric attributes, for the decision service's memory.</summary>
public static class ServingUsersQuery
{
    /// <summary>Users of the store (all datasets); attributes that are numbers or booleans become numbers (true = 1).</summary>
    public static IReadOnlyList<ServingUser> Load(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var profiles = ProfileTable.Load(store)?.Profiles.ToDictionary(p => p.UserKey) ?? [];
        var values = CustomerClvTable.LoadValues(store);
        var users = new List<ServingUser>();
        foreach (var row in store.Query("SELECT user_key, user_id, CAST(attributes AS VARCHAR) AS attributes FROM users ORDER BY user_key"))
        {
            var key = (int)row["user_key"]!;
            var (clv, alive) = values.TryGetValue(key, out var v) ? (v.Clv, (double?)v.ProbabilityAlive) : (null, null);
            users.Add(new ServingUser((string)row["user_id"]!, profiles.GetValueOrDefault(key), clv, alive, EffectTrainingQuery.Numbers((string?)row["attributes"])));
        }

        return users;
    }
}
