using PromoPilot.Core.Customers;
using PromoPilot.Core.Rules;

namespace PromoPilot.Features.Segments;

/// <summary>
/// A profiled customer as audience rules see them: every numeric profile feature by name, <c>rfm_group</c>,
/// <c>clv</c> and <c>p_alive</c> (missing until CLV was computed), and the functions <c>affinity(category)</c>
/// and <c>brand_affinity(brand)</c> (share of spend among the customer's top five, else 0).
/// </summary>
public sealed class CustomerRuleContext(CustomerProfile profile, double? clv = null, double? probabilityAlive = null) : IRuleContext
{
    private readonly IReadOnlyDictionary<string, double> _features = profile.Features();

    /// <summary>The fields and functions a customer rule may use, for validation before evaluation.</summary>
    public static RuleSchema Schema { get; } = new(
        [
            .. CustomerProfile.FeatureNames.Select(n => new RuleFieldSpec(n, RuleValueKind.Number)),
            new RuleFieldSpec("rfm_group", RuleValueKind.String, "named RFM group, e.g. 'Champions', 'At risk'"),
            new RuleFieldSpec("clv", RuleValueKind.Number, "expected discounted value (promopilot clv)"),
            new RuleFieldSpec("p_alive", RuleValueKind.Number, "probability the customer is still active (promopilot clv)"),
        ],
        [
            new RuleFunctionSpec("affinity", RuleValueKind.Number, [new RuleParameterSpec("category", RuleValueKind.String)], "share of spend in a top-level category"),
            new RuleFunctionSpec("brand_affinity", RuleValueKind.Number, [new RuleParameterSpec("brand", RuleValueKind.String)], "share of spend on a brand"),
        ]);

    public bool TryGetField(string name, out RuleValue value)
    {
        value = name switch
        {
            "rfm_group" => RuleValue.Of(profile.RfmGroup),
            "clv" => clv is { } c ? RuleValue.Of(c) : RuleValue.Missing,
            "p_alive" => probabilityAlive is { } p ? RuleValue.Of(p) : RuleValue.Missing,
            _ => _features.TryGetValue(name, out var number) ? RuleValue.Of(number) : RuleValue.Missing,
        };
        return !value.IsMissing;
    }

    public bool TryCall(string name, IReadOnlyList<RuleValue> arguments, out RuleValue value)
    {
        var shares = name switch
        {
            "affinity" => profile.TopCategories,
            "brand_affinity" => profile.TopBrands,
            _ => null,
        };
        if (shares is null || arguments is not [{ Kind: RuleValueKind.String } argument])
        {
            value = RuleValue.Missing;
            return false;
        }

        value = RuleValue.Of(shares.FirstOrDefault(s => string.Equals(s.Name, argument.String, StringComparison.OrdinalIgnoreCase))?.Share ?? 0.0);
        return true;
    }
}
