using System.Globalization;

namespace PromoPilot.Core.Rules;

/// <summary>A field a rule may read, with the kind of its values.</summary>
public sealed record RuleFieldSpec(string Name, RuleValueKind Kind, string Description = "");

/// <summary>A parameter of a rule function: its name (for messages) and the kind of literal it takes.</summary>
public sealed record RuleParameterSpec(string Name, RuleValueKind Kind);

/// <summary>A function a rule may call: its parameters and the kind of value it returns.</summary>
public sealed record RuleFunctionSpec(string Name, RuleValueKind Returns, IReadOnlyList<RuleParameterSpec> Parameters, string Description = "")
{
    /// <summary>The signature as messages show it: <c>affinity(category: string)</c>.</summary>
    public string Signature => $"{Name}({string.Join(", ", Parameters.Select(p => $"{p.Name}: {KindName(p.Kind)}"))})";

    internal static string KindName(RuleValueKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>
/// The fields and functions rules may use, with their kinds. <see cref="Validate"/> checks a parsed rule against it
/// before evaluation, so a misspelt field, a wrong argument or <c>segment &gt; 3</c> is reported with its column
/// instead of silently matching nobody.
/// </summary>
/// <remarks>
/// Type rules: <c>&lt; &lt;= &gt; &gt;=</c> and <c>between</c> take numbers; <c>=</c> and <c>!=</c> take two values of
/// the same kind; every value in an <c>in</c> list has the kind of the value tested; a value standing alone as a
/// condition must be a boolean; function arguments have their parameter's kind. Unknown names get a suggestion: the
/// known name of the same role at the smallest Levenshtein distance (ignoring case), when that distance is at most a
/// third of the name's length (at least 1, at most 3).
/// </remarks>
public sealed class RuleSchema
{
    private readonly Dictionary<string, RuleFieldSpec> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RuleFunctionSpec> _functions = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">A name that is not a valid identifier, a name used twice, or a kind of <see cref="RuleValueKind.Missing"/>.</exception>
    public RuleSchema(IEnumerable<RuleFieldSpec> fields, IEnumerable<RuleFunctionSpec>? functions = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            ArgumentNullException.ThrowIfNull(field, nameof(fields));
            CheckName(field.Name, nameof(fields));
            CheckKind(field.Kind, $"field '{field.Name}'", nameof(fields));
            _fields.Add(field.Name, field);
        }

        foreach (var function in functions ?? [])
        {
            ArgumentNullException.ThrowIfNull(function, nameof(functions));
            CheckName(function.Name, nameof(functions));
            CheckKind(function.Returns, $"the result of '{function.Name}'", nameof(functions));
            ArgumentNullException.ThrowIfNull(function.Parameters, nameof(functions));
            foreach (var parameter in function.Parameters)
            {
                ArgumentNullException.ThrowIfNull(parameter, nameof(functions));
                CheckKind(parameter.Kind, $"parameter '{parameter.Name}' of '{function.Name}'", nameof(functions));
            }

            _functions.Add(function.Name, function);
        }

        void CheckName(string name, string parameter)
        {
            RuleField.CheckName(name, parameter);
            if (_fields.ContainsKey(name) || _functions.ContainsKey(name))
            {
                throw new ArgumentException($"The name '{name}' is declared twice.", parameter);
            }
        }

        static void CheckKind(RuleValueKind kind, string what, string parameter)
        {
            if (kind is not (RuleValueKind.Number or RuleValueKind.String or RuleValueKind.Boolean))
            {
                throw new ArgumentException($"The kind of {what} must be Number, String or Boolean, got {kind}.", parameter);
            }
        }
    }

    public IReadOnlyCollection<RuleFieldSpec> Fields => _fields.Values;

    public IReadOnlyCollection<RuleFunctionSpec> Functions => _functions.Values;

    /// <summary>Checks names, argument lists and kinds of <paramref name="rule"/>; reports the first problem in text order.</summary>
    /// <exception cref="RuleSyntaxException">An unknown field or function, a wrong argument count, or values of the wrong kind.</exception>
    public void Validate(RuleCondition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Check(rule);
    }

    /// <summary>Levenshtein (edit) distance: insertions, deletions and substitutions of one character each cost 1.</summary>
    public static int EditDistance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="name"/> ignoring case, if close enough (see remarks on the class).</summary>
    public static string? Suggest(string name, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(candidates);
        var limit = Math.Clamp(name.Length / 3, 1, 3);
        var lower = name.ToLowerInvariant();
        return candidates
            .Select(c => (Name: c, Distance: EditDistance(lower, c.ToLowerInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    private void Check(RuleCondition condition)
    {
        switch (condition)
        {
            case RuleOr or:
                foreach (var operand in or.Operands)
                {
                    Check(operand);
                }

                break;
            case RuleAnd and:
                foreach (var operand in and.Operands)
                {
                    Check(operand);
                }

                break;
            case RuleNot not:
                Check(not.Operand);
                break;
            case RuleComparison comparison:
                CheckComparison(comparison);
                break;
            case RuleIn @in:
                var kind = KindOf(@in.Operand);
                foreach (var value in @in.Values)
                {
                    if (value.Value.Kind != kind)
                    {
                        throw Error(RuleErrorKind.Type, value, $"the list holds {Describe(value)}, but {Is(@in.Operand, kind)}", RuleValue.Describe(kind), value.ToString());
                    }
                }

                break;
            case RuleBetween between:
                foreach (var operand in (RuleOperand[])[between.Operand, between.Low, between.High])
                {
                    RequireNumber(operand, KindOf(operand), "'between'");
                }

                break;
            case RuleTest test:
                var tested = KindOf(test.Operand);
                if (tested != RuleValueKind.Boolean)
                {
                    throw Error(RuleErrorKind.Type, test.Operand, $"{(test.Operand is RuleLiteral ? Describe(test.Operand) + " is" : Is(test.Operand, tested) + ",")} not a condition: compare it with a value", "a condition", test.Operand.ToString());
                }

                break;
            default:
                throw new ArgumentException($"Unknown rule node {condition.GetType().Name}.", nameof(condition));
        }
    }

    private void CheckComparison(RuleComparison comparison)
    {
        var left = KindOf(comparison.Left);
        var right = KindOf(comparison.Right);
        if (comparison.Operator is RuleComparisonOperator.Equal or RuleComparisonOperator.NotEqual)
        {
            if (left != right)
            {
                throw Error(RuleErrorKind.Type, comparison.Right, $"cannot compare {WithKind(comparison.Left, left)} with {WithKind(comparison.Right, right)}", RuleValue.Describe(left), comparison.Right.ToString());
            }

            return;
        }

        var symbol = $"'{RulePrinter.Symbol(comparison.Operator)}'";
        RequireNumber(comparison.Left, left, symbol);
        RequireNumber(comparison.Right, right, symbol);
    }

    private static void RequireNumber(RuleOperand operand, RuleValueKind kind, string op)
    {
        if (kind != RuleValueKind.Number)
        {
            throw Error(RuleErrorKind.Type, operand, $"{op} compares numbers, but {Is(operand, kind)}", "a number", operand.ToString());
        }
    }

    private RuleValueKind KindOf(RuleOperand operand)
    {
        switch (operand)
        {
            case RuleLiteral literal:
                return literal.Value.Kind;
            case RuleField field:
                if (_fields.TryGetValue(field.Name, out var spec))
                {
                    return spec.Kind;
                }

                if (_functions.TryGetValue(field.Name, out var function))
                {
                    throw Error(RuleErrorKind.UnknownField, field, $"'{field.Name}' is a function, not a field: call it as {function.Signature}", "a field", field.Name);
                }

                throw Error(RuleErrorKind.UnknownField, field, $"unknown field '{field.Name}'{Hint(Suggest(field.Name, _fields.Keys))}", "a field", field.Name);
            case RuleCall call:
                return CheckCall(call);
            default:
                throw new ArgumentException($"Unknown rule operand {operand.GetType().Name}.", nameof(operand));
        }
    }

    private RuleValueKind CheckCall(RuleCall call)
    {
        if (!_functions.TryGetValue(call.Name, out var function))
        {
            if (_fields.ContainsKey(call.Name))
            {
                throw Error(RuleErrorKind.UnknownFunction, call, $"'{call.Name}' is a field, not a function: write it without parentheses", "a function", call.Name);
            }

            throw Error(RuleErrorKind.UnknownFunction, call, $"unknown function '{call.Name}'{Hint(Suggest(call.Name, _functions.Keys))}", "a function", call.Name);
        }

        var wanted = function.Parameters.Count;
        if (call.Arguments.Count != wanted)
        {
            var takes = wanted switch
            {
                0 => "no arguments",
                1 => "1 argument",
                _ => string.Create(CultureInfo.InvariantCulture, $"{wanted} arguments"),
            };
            throw Error(RuleErrorKind.ArgumentCount, call, string.Create(CultureInfo.InvariantCulture, $"function {function.Signature} takes {takes}, found {call.Arguments.Count}"), takes, call.ToString());
        }

        for (var i = 0; i < wanted; i++)
        {
            var argument = call.Arguments[i];
            var parameter = function.Parameters[i];
            if (argument.Value.Kind != parameter.Kind)
            {
                throw Error(RuleErrorKind.Type, argument, $"argument '{parameter.Name}' of {function.Signature} must be {RuleValue.Describe(parameter.Kind)}, found {Describe(argument)}", RuleValue.Describe(parameter.Kind), argument.ToString());
            }
        }

        return function.Returns;
    }

    private static string Hint(string? suggestion) => suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";

    /// <summary>How messages name an operand: field 'clv', affinity('Bakery'), the number 3, the string 'a', the boolean true.</summary>
    private static string Describe(RuleOperand operand) => operand switch
    {
        RuleField field => $"field '{field.Name}'",
        RuleCall call => call.ToString(),
        RuleNumber => $"the number {operand}",
        RuleString => $"the string {operand}",
        _ => $"the boolean {operand}",
    };

    /// <summary>"field 'segment' is a string", or for a literal "the value is the string 'a'".</summary>
    private static string Is(RuleOperand operand, RuleValueKind kind) =>
        operand is RuleLiteral ? $"the value is {Describe(operand)}" : $"{Describe(operand)} is {RuleValue.Describe(kind)}";

    /// <summary>"field 'segment' (a string)", or for a literal just "the number 3".</summary>
    private static string WithKind(RuleOperand operand, RuleValueKind kind) =>
        operand is RuleLiteral ? Describe(operand) : $"{Describe(operand)} ({RuleValue.Describe(kind)})";

    private static RuleSyntaxException Error(RuleErrorKind kind, RuleNode node, string reason, string? expected, string? found) =>
        new(kind, node.Line, node.Column, reason, expected, found);
}
