namespace PromoPilot.Core.Rules;

/// <summary>
/// One customer as a rule sees them: field values by name and function results by name and arguments.
/// Return false (or <see cref="RuleValue.Missing"/>) for a field the customer lacks or a call without an answer:
/// every comparison with a missing value is false (see docs/rules.md).
/// </summary>
/// <remarks>
/// A compiled rule calls these once per field or call it reaches, in order, and stops early (<c>and</c>/<c>or</c>
/// short-circuit). Argument lists passed to <see cref="TryCall"/> are the rule's literals, the same read-only
/// instance on every call, so an implementation may cache on it.
/// </remarks>
public interface IRuleContext
{
    /// <summary>The value of profile field <paramref name="name"/>; false when the customer lacks it.</summary>
    bool TryGetField(string name, out RuleValue value);

    /// <summary>The result of function <paramref name="name"/> on <paramref name="arguments"/>; false when there is none.</summary>
    bool TryCall(string name, IReadOnlyList<RuleValue> arguments, out RuleValue value);
}
