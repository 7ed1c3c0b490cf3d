using PromoPilot.Core.Rules;
using PromoPilot.Features.Segments;

namespace PromoPilot.Decisioning;

/// <summary>
/// A shopper in a request as campaign audience rules see them: the profile fields and functions
/// (<see cref="CustomerRuleContext"/>), numeric attributes, and the request's own fields (<see cref="RequestFields"/>).
/// </summary>
public sealed class DecisionRuleContext(UserSnapshot? user, DecisionRequest request, IReadOnlyDictionary<string, double> online) : IRuleContext
{
    /// <summary>Fields every request carries, with what they mean.</summary>
    public static readonly IReadOnlyList<RuleFieldSpec> RequestFields =
    [
        new("channel", RuleValueKind.String, "the request's channel (web, app...)"),
        new("placement", RuleValueKind.String, "the slot to fill"),
        new("page", RuleValueKind.String, "the page or screen"),
        new("cart_value", RuleValueKind.Number, "the cart's value before discounts"),
        new("cart_items", RuleValueKind.Number, "units in the cart"),
        new("is_member", RuleValueKind.Boolean, "the shopper is a member"),
        new("has_purchased", RuleValueKind.Boolean, "the shopper has bought before"),
        new("known", RuleValueKind.Boolean, "the store has a profile or attributes for the shopper"),
        new("segment", RuleValueKind.String, "the shopper's named segment"),
        new("online_views", RuleValueKind.Number, "views since the profile was built (event API)"),
        new("online_cart_adds", RuleValueKind.Number, "cart adds since the profile was built (event API)"),
        new("online_purchases", RuleValueKind.Number, "purchases since the profile was built (event API)"),
    ];

    /// <summary>The schema audience rules are checked against: profile fields, request fields and the given numeric attributes.</summary>
    public static RuleSchema Schema(IEnumerable<string>? numericAttributes = null)
    {
        var fields = CustomerRuleContext.Schema.Fields.Concat(RequestFields).ToList();
        var known = fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        fields.AddRange((numericAttributes ?? []).Where(known.Add).Select(n => new RuleFieldSpec(n, RuleValueKind.Number, "numeric user attribute")));
        return new RuleSchema(fields, CustomerRuleContext.Schema.Functions);
    }

    public bool TryGetField(string name, out RuleValue value)
    {
        value = name switch
        {
            "channel" => request.Channel is { } c ? RuleValue.Of(c) : RuleValue.Missing,
            "placement" => RuleValue.Of(request.Placement),
            "page" => request.Page is { } p ? RuleValue.Of(p) : RuleValue.Missing,
            "cart_value" => RuleValue.Of((double)request.CartValue),
            "cart_items" => RuleValue.Of(request.Cart?.Sum(l => (double)l.Quantity) ?? 0.0),
            "is_member" => RuleValue.Of(request.IsMember),
            "has_purchased" => RuleValue.Of((user?.HasPurchased ?? false) || online.GetValueOrDefault("purchases") > 0),
            "known" => RuleValue.Of(user is not null),
            "segment" => user?.Segment is { } s ? RuleValue.Of(s) : RuleValue.Missing,
            "online_views" => RuleValue.Of(online.GetValueOrDefault("views")),
            "online_cart_adds" => RuleValue.Of(online.GetValueOrDefault("cart_adds")),
            "online_purchases" => RuleValue.Of(online.GetValueOrDefault("purchases")),
            _ => RuleValue.Missing,
        };
        if (!value.IsMissing)
        {
            return true;
        }

        return user is not null && user.TryGetProfileField(name, out value);
    }

    public bool TryCall(string name, IReadOnlyList<RuleValue> arguments, out RuleValue value)
    {
        if (user is not null)
        {
            return user.TryCallProfile(name, arguments, out value);
        }

        value = RuleValue.Missing;
        return false;
    }
}
