namespace PromoPilot.Core.Rules;

/// <summary>
/// Turns a rule into a delegate built from closures, once; evaluating it walks no tree and allocates nothing.
/// </summary>
/// <remarks>
/// Semantics (docs/rules.md, "Missing values"): a comparison is true only when both values are present, of the same
/// kind, and the relation holds; <c>&lt; &lt;= &gt; &gt;=</c> and <c>between</c> hold for numbers only (IEEE double
/// comparison); <c>=</c>/<c>!=</c> compare strings ordinally and booleans by value; <c>in</c> is true when the value
/// is present and equals a list item; a value alone is true when it is the boolean true; <c>not</c> negates the
/// two-valued result, so <c>not clv &gt; 200</c> is true for a customer without <c>clv</c>. <c>and</c> and <c>or</c>
/// evaluate left to right and stop as soon as the result is known. Without a schema nothing is checked beforehand and
/// values of the wrong kind simply make their comparison false; pass a <see cref="RuleSchema"/> to reject such rules.
/// </remarks>
public static class RuleCompiler
{
    /// <summary>Validates <paramref name="rule"/> against <paramref name="schema"/> (when given) and compiles it.</summary>
    /// <exception cref="RuleSyntaxException">The rule does not fit the schema.</exception>
    public static Func<IRuleContext, bool> Compile(RuleCondition rule, RuleSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        schema?.Validate(rule);
        return Condition(rule);
    }

    /// <summary>The comparison the compiled rule applies to two values (the semantics above).</summary>
    public static bool Compare(RuleValue left, RuleComparisonOperator op, RuleValue right)
    {
        if (left.Kind != right.Kind || left.Kind == RuleValueKind.Missing)
        {
            return false;
        }

        if (left.Kind == RuleValueKind.Number)
        {
            return CompareNumbers(left.RawNumber, op, right.RawNumber);
        }

        return op switch
        {
            RuleComparisonOperator.Equal => left.Equals(right),
            RuleComparisonOperator.NotEqual => !left.Equals(right),
            _ => false,
        };
    }

    private static bool CompareNumbers(double left, RuleComparisonOperator op, double right) => op switch
    {
        RuleComparisonOperator.Equal => left == right,
        RuleComparisonOperator.NotEqual => left != right,
        RuleComparisonOperator.Less => left < right,
        RuleComparisonOperator.LessOrEqual => left <= right,
        RuleComparisonOperator.Greater => left > right,
        _ => left >= right,
    };

    private static Func<IRuleContext, bool> Condition(RuleCondition condition) => condition switch
    {
        RuleOr or => Or([.. or.Operands.Select(Condition)]),
        RuleAnd and => And([.. and.Operands.Select(Condition)]),
        RuleNot not => Not(Condition(not.Operand)),
        RuleComparison comparison => Comparison(comparison),
        RuleIn @in => In(Operand(@in.Operand), [.. @in.Values.Select(v => v.Value)]),
        RuleBetween between => Between(Operand(between.Operand), Operand(between.Low), Operand(between.High)),
        RuleTest test => Test(Operand(test.Operand)),
        _ => throw new ArgumentException($"Unknown rule node {condition.GetType().Name}.", nameof(condition)),
    };

    private static Func<IRuleContext, bool> Or(Func<IRuleContext, bool>[] operands)
    {
        if (operands.Length == 2)
        {
            var (a, b) = (operands[0], operands[1]);
            return context => a(context) || b(context);
        }

        return context =>
        {
            foreach (var operand in operands)
            {
                if (operand(context))
                {
                    return true;
                }
            }

            return false;
        };
    }

    private static Func<IRuleContext, bool> And(Func<IRuleContext, bool>[] operands)
    {
        if (operands.Length == 2)
        {
            var (a, b) = (operands[0], operands[1]);
            return context => a(context) && b(context);
        }

        return context =>
        {
            foreach (var operand in operands)
            {
                if (!operand(context))
                {
                    return false;
                }
            }

            return true;
        };
    }

    private static Func<IRuleContext, bool> Not(Func<IRuleContext, bool> operand) => context => !operand(context);

    private static Func<IRuleContext, bool> Comparison(RuleComparison comparison)
    {
        var op = comparison.Operator;
        if (comparison.Right is RuleNumber right && comparison.Left is not RuleLiteral)
        {
            return NumberConstant(comparison.Left, op, right.Number);
        }

        if (comparison.Left is RuleNumber left && comparison.Right is not RuleLiteral)
        {
            return NumberConstant(comparison.Right, Mirror(op), left.Number);
        }

        var (l, r) = (Operand(comparison.Left), Operand(comparison.Right));
        return context => Compare(l(context), op, r(context));
    }

    /// <summary>operand op constant; a field is read in the same delegate (no second delegate call per customer).</summary>
    private static Func<IRuleContext, bool> NumberConstant(RuleOperand operand, RuleComparisonOperator op, double constant) => operand is RuleField field
        ? NumberConstant(new FieldReader(field.Name), op, constant)
        : NumberConstant(new DelegateReader(Operand(operand)), op, constant);

    /// <summary>value op constant, with the operator chosen once so the delegate does one test and one comparison.</summary>
    private static Func<IRuleContext, bool> NumberConstant<TReader>(TReader value, RuleComparisonOperator op, double constant)
        where TReader : struct, IReader => op switch
    {
        RuleComparisonOperator.Equal => context => value.Read(context) is { Kind: RuleValueKind.Number } v && v.RawNumber == constant,
        RuleComparisonOperator.NotEqual => context => value.Read(context) is { Kind: RuleValueKind.Number } v && v.RawNumber != constant,
        RuleComparisonOperator.Less => context => value.Read(context) is { Kind: RuleValueKind.Number } v && v.RawNumber < constant,
        RuleComparisonOperator.LessOrEqual => context => value.Read(context) is { Kind: RuleValueKind.Number } v && v.RawNumber <= constant,
        RuleComparisonOperator.Greater => context => value.Read(context) is { Kind: RuleValueKind.Number } v && v.RawNumber > constant,
        _ => context => value.Read(context) is { Kind: RuleValueKind.Number } v && v.RawNumber >= constant,
    };

    /// <summary>The operator with its sides swapped: 3 &lt; x is x &gt; 3.</summary>
    private static RuleComparisonOperator Mirror(RuleComparisonOperator op) => op switch
    {
        RuleComparisonOperator.Less => RuleComparisonOperator.Greater,
        RuleComparisonOperator.LessOrEqual => RuleComparisonOperator.GreaterOrEqual,
        RuleComparisonOperator.Greater => RuleComparisonOperator.Less,
        RuleComparisonOperator.GreaterOrEqual => RuleComparisonOperator.LessOrEqual,
        _ => op,
    };

    private static Func<IRuleContext, bool> In(Func<IRuleContext, RuleValue> operand, RuleValue[] values)
    {
        if (values.All(v => v.Kind == RuleValueKind.String))
        {
            var set = values.Select(v => v.String).ToHashSet(StringComparer.Ordinal);
            return context => operand(context) is { Kind: RuleValueKind.String } v && set.Contains(v.RawText!);
        }

        return context =>
        {
            var value = operand(context);
            if (value.IsMissing)
            {
                return false;
            }

            foreach (var item in values)
            {
                if (value.Equals(item))
                {
                    return true;
                }
            }

            return false;
        };
    }

    private static Func<IRuleContext, bool> Between(Func<IRuleContext, RuleValue> operand, Func<IRuleContext, RuleValue> low, Func<IRuleContext, RuleValue> high) =>
        context => operand(context) is { Kind: RuleValueKind.Number } v
            && low(context) is { Kind: RuleValueKind.Number } l
            && high(context) is { Kind: RuleValueKind.Number } h
            && l.RawNumber <= v.RawNumber && v.RawNumber <= h.RawNumber;

    private static Func<IRuleContext, bool> Test(Func<IRuleContext, RuleValue> operand) =>
        context => operand(context) is { Kind: RuleValueKind.Boolean } v && v.Boolean;

    private static Func<IRuleContext, RuleValue> Operand(RuleOperand operand)
    {
        switch (operand)
        {
            case RuleLiteral literal:
                var value = literal.Value;
                return _ => value;
            case RuleField field:
                var name = field.Name;
                return context => context.TryGetField(name, out var v) ? v : RuleValue.Missing;
            case RuleCall call:
                var function = call.Name;
                var arguments = Array.AsReadOnly(call.Arguments.Select(a => a.Value).ToArray());
                return context => context.TryCall(function, arguments, out var v) ? v : RuleValue.Missing;
            default:
                throw new ArgumentException($"Unknown rule operand {operand.GetType().Name}.", nameof(operand));
        }
    }

    /// <summary>Reads an operand's value; a struct so the JIT specializes <see cref="NumberConstant{TReader}"/> per reader.</summary>
    private interface IReader
    {
        RuleValue Read(IRuleContext context);
    }

    private readonly struct FieldReader(string name) : IReader
    {
        public RuleValue Read(IRuleContext context) => context.TryGetField(name, out var v) ? v : RuleValue.Missing;
    }

    private readonly struct DelegateReader(Func<IRuleContext, RuleValue> read) : IReader
    {
        public RuleValue Read(IRuleContext context) => read(context);
    }
}
