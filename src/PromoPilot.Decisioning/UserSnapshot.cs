using PromoPilot.Core.Customers;
using PromoPilot.Core.Rules;
using PromoPilot.Decisioning.Scoring;
using PromoPilot.Features.Segments;

namespace PromoPilot.Decisioning;

/// <summary>A recommended item with its score from the recommendation model.</summary>
public sealed record ScoredItem(string ItemId, double Score);

/// <summary>
/// What the decision engine knows of a shopper before the request: the profile as of the last build (null for a
/// shopper never profiled), CLV, segment, numeric attributes (e.g. imported demographics), and their recommended items.
/// Built once when profiles load and shared by every request, so nothing is computed per request.
/// </summary>
public sealed class UserSnapshot
{
    private readonly CustomerRuleContext? _rules;
    private readonly IReadOnlyDictionary<string, double>? _attributes;
    private ShopperEffect? _effect;

    public UserSnapshot(
        string userId,
        CustomerProfile? profile = null,
        double? clv = null,
        double? probabilityAlive = null,
        string? segment = null,
        IReadOnlyDictionary<string, double>? attributes = null,
        IReadOnlyList<ScoredItem>? recommendations = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        UserId = userId;
        Profile = profile;
        Clv = clv;
        ProbabilityAlive = probabilityAlive;
        Segment = segment;
        Recommendations = recommendations ?? [];
        _attributes = attributes;
        var features = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes ?? new Dictionary<string, double>())
        {
            features[name] = value;
        }

        if (profile is not null)
        {
            foreach (var (name, value) in profile.Features())
            {
                features[name] = value;
            }

            _rules = new CustomerRuleContext(profile, clv, probabilityAlive);
        }

        if (clv is { } c)
        {
            features["clv"] = c;
        }

        if (probabilityAlive is { } p)
        {
            features["p_alive"] = p;
        }

        Features = features;
    }

    public string UserId { get; }

    public CustomerProfile? Profile { get; }

    public double? Clv { get; }

    public double? ProbabilityAlive { get; }

    public string? Segment { get; }

    /// <summary>Numeric features by name: profile features, CLV, p_alive and numeric attributes.</summary>
    public IReadOnlyDictionary<string, double> Features { get; }

    /// <summary>Recommended items, best first; empty when no model has scored the user.</summary>
    public IReadOnlyList<ScoredItem> Recommendations { get; }

    /// <summary>The same shopper with <paramref name="recommendations"/> as their recommended items.</summary>
    public UserSnapshot WithRecommendations(IReadOnlyList<ScoredItem> recommendations) =>
        new(UserId, Profile, Clv, ProbabilityAlive, Segment, _attributes, recommendations);

    /// <summary>
    /// What <paramref name="model"/> predicts for the shopper, made on first use and kept: the prediction reads only
    /// <see cref="Features"/>, which never change, so every later decision for the shopper reuses it.
    /// </summary>
    internal ShopperEffect EffectOf(LinearUpliftModel model)
    {
        var effect = _effect;
        if (effect is null || !ReferenceEquals(effect.Model, model))
        {
            effect = new ShopperEffect(model, Features);
            _effect = effect;
        }

        return effect;
    }

    /// <summary>True when the shopper has bought before (known from the profile).</summary>
    public bool HasPurchased => Profile is { Frequency: > 0 };

    /// <summary>The user's average order value, or <paramref name="fallback"/> when unknown.</summary>
    public decimal AverageOrderValue(decimal fallback) => Profile is { AverageOrderValue: > 0 } p ? p.AverageOrderValue : fallback;

    /// <summary>Share of spend in <paramref name="category"/> among the top categories; 0 when unknown.</summary>
    public double CategoryAffinity(string category)
    {
        var shares = Profile?.TopCategories;
        for (var i = 0; i < (shares?.Count ?? 0); i++) // by index: called per offer and category, so no enumerator
        {
            if (string.Equals(shares![i].Name, category, StringComparison.OrdinalIgnoreCase))
            {
                return shares[i].Share;
            }
        }

        return 0.0;
    }

    internal bool TryGetProfileField(string name, out RuleValue value)
    {
        if (_rules is not null && _rules.TryGetField(name, out value))
        {
            return true;
        }

        value = Features.TryGetValue(name, out var number) ? RuleValue.Of(number) : RuleValue.Missing;
        return !value.IsMissing;
    }

    internal bool TryCallProfile(string name, IReadOnlyList<RuleValue> arguments, out RuleValue value)
    {
        if (_rules is not null)
        {
            return _rules.TryCall(name, arguments, out value);
        }

        value = RuleValue.Missing;
        return false;
    }
}

/// <summary>Finds shoppers' snapshots; implementations must be safe for concurrent readers.</summary>
public interface IUserDirectory
{
    /// <summary>The snapshot of <paramref name="userId"/>, or null for a shopper the store does not know.</summary>
    UserSnapshot? Find(string userId);
}

/// <summary>An immutable directory over snapshots loaded up front.</summary>
public sealed class UserDirectory(IEnumerable<UserSnapshot> users) : IUserDirectory
{
    private readonly Dictionary<string, UserSnapshot> _users = users.ToDictionary(u => u.UserId, StringComparer.Ordinal);

    public int Count => _users.Count;

    public UserSnapshot? Find(string userId) => _users.GetValueOrDefault(userId);
}

/// <summary>
/// A directory that adds each known shopper's recommended items on first lookup (from a recommendation model the
/// host loaded) and keeps the enriched snapshot, so a shopper's items are computed once.
/// </summary>
public sealed class RecommendingUserDirectory(IUserDirectory inner, Func<string, IReadOnlyList<ScoredItem>> recommend, int capacity = 1_000_000) : IUserDirectory
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, UserSnapshot> _enriched = new(StringComparer.Ordinal);

    public UserSnapshot? Find(string userId)
    {
        if (_enriched.TryGetValue(userId, out var cached))
        {
            return cached;
        }

        if (inner.Find(userId) is not { } user)
        {
            return null;
        }

        var enriched = user.WithRecommendations(recommend(userId));
        if (_enriched.Count < capacity)
        {
            _enriched.TryAdd(userId, enriched);
        }

        return enriched;
    }
}
