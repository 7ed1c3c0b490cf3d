using PromoPilot.Core.Rules;

namespace PromoPilot.Features.Tests.Segments;

/// <summary>A customer built by hand: field values by name, functions as lambdas; records every read in order.</summary>
internal sealed class Customer : IRuleContext
{
    public Dictionary<string, RuleValue> Fields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Func<IReadOnlyList<RuleValue>, RuleValue>> Functions { get; } = new(StringComparer.Ordinal);

    public List<string> Reads { get; } = [];

    public Customer With(string field, double value) => Set(field, RuleValue.Of(value));

    public Customer With(string field, string value) => Set(field, RuleValue.Of(value));

    public Customer With(string field, bool value) => Set(field, RuleValue.Of(value));

    public Customer WithFunction(string name, Func<IReadOnlyList<RuleValue>, RuleValue> body)
    {
        Functions[name] = body;
        return this;
    }

    public bool TryGetField(string name, out RuleValue value)
    {
        Reads.Add(name);
        return Fields.TryGetValue(name, out value);
    }

    public bool TryCall(string name, IReadOnlyList<RuleValue> arguments, out RuleValue value)
    {
        Reads.Add($"{name}({string.Join(", ", arguments)})");
        value = Functions.TryGetValue(name, out var body) ? body(arguments) : RuleValue.Missing;
        return !value.IsMissing;
    }

    private Customer Set(string field, RuleValue value)
    {
        Fields[field] = value;
        return this;
    }
}

internal static class RuleTestSupport
{
    /// <summary>The profile schema the examples use (the real one is assembled by the profile features).</summary>
    public static RuleSchema Schema { get; } = new(
        [
            new("recency_days", RuleValueKind.Number),
            new("frequency", RuleValueKind.Number),
            new("monetary", RuleValueKind.Number),
            new("clv", RuleValueKind.Number),
            new("segment", RuleValueKind.String),
            new("is_member", RuleValueKind.Boolean),
        ],
        [
            new("affinity", RuleValueKind.Number, [new("category", RuleValueKind.String)]),
            new("first_purchase_within", RuleValueKind.Boolean, [new("days", RuleValueKind.Number)]),
            new("bought", RuleValueKind.Boolean, [new("category", RuleValueKind.String), new("days", RuleValueKind.Number)]),
        ]);

    /// <summary>
    /// The documented semantics written out plainly, independent of the compiler: comparisons need two present
    /// values of one kind; ordering is for numbers only; not negates; and/or as usual.
    /// </summary>
    public static bool Reference(RuleCondition condition, IRuleContext context) => condition switch
    {
        RuleOr or => or.Operands.Any(c => Reference(c, context)),
        RuleAnd and => and.Operands.All(c => Reference(c, context)),
        RuleNot not => !Reference(not.Operand, context),
        RuleComparison c => ReferenceCompare(Value(c.Left, context), c.Operator, Value(c.Right, context)),
        RuleIn @in => Value(@in.Operand, context) is var v && @in.Values.Any(item => ReferenceCompare(v, RuleComparisonOperator.Equal, item.Value)),
        RuleBetween b => Value(b.Operand, context) is { Kind: RuleValueKind.Number } x
            && Value(b.Low, context) is { Kind: RuleValueKind.Number } low
            && Value(b.High, context) is { Kind: RuleValueKind.Number } high
            && low.Number <= x.Number && x.Number <= high.Number,
        RuleTest t => Value(t.Operand, context) is { Kind: RuleValueKind.Boolean } b && b.Boolean,
        _ => throw new ArgumentException("unknown node"),
    };

    private static bool ReferenceCompare(RuleValue left, RuleComparisonOperator op, RuleValue right)
    {
        if (left.IsMissing || right.IsMissing || left.Kind != right.Kind)
        {
            return false;
        }

        switch (left.Kind)
        {
            case RuleValueKind.Number:
                var (l, r) = (left.Number, right.Number);
                return op switch
                {
                    RuleComparisonOperator.Equal => l == r,
                    RuleComparisonOperator.NotEqual => l != r,
                    RuleComparisonOperator.Less => l < r,
                    RuleComparisonOperator.LessOrEqual => l <= r,
                    RuleComparisonOperator.Greater => l > r,
                    _ => l >= r,
                };
            case RuleValueKind.String:
                var same = left.String.AsSpan().SequenceEqual(right.String);
                return op == RuleComparisonOperator.Equal ? same : op == RuleComparisonOperator.NotEqual && !same;
            default:
                var equal = left.Boolean == right.Boolean;
                return op == RuleComparisonOperator.Equal ? equal : op == RuleComparisonOperator.NotEqual && !equal;
        }
    }

    private static RuleValue Value(RuleOperand operand, IRuleContext context) => operand switch
    {
        RuleLiteral literal => literal.Value,
        RuleField field => context.TryGetField(field.Name, out var v) ? v : RuleValue.Missing,
        RuleCall call => context.TryCall(call.Name, [.. call.Arguments.Select(a => a.Value)], out var v) ? v : RuleValue.Missing,
        _ => throw new ArgumentException("unknown operand"),
    };
}
