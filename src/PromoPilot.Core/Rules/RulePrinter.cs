using System.Globalization;
using System.Text;

namespace PromoPilot.Core.Rules;

/// <summary>
/// Writes a rule as canonical text: keywords in lower case, one space around operators and keywords, strings in single
/// quotes, numbers in their shortest round-trip form, parentheses only where the tree needs them (precedence
/// <c>not</c> &gt; <c>and</c> &gt; <c>or</c>; an <c>and</c> directly inside an <c>and</c>, or an <c>or</c> inside an
/// <c>or</c>, keeps its parentheses so the tree survives the round trip). Parsing the printed text gives back an equal
/// tree, and printing that gives the same text.
/// </summary>
public static class RulePrinter
{
    private const int OrLevel = 1;
    private const int AndLevel = 2;
    private const int NotLevel = 3;
    private const int PredicateLevel = 4;

    public static string Print(RuleNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = new StringBuilder();
        Write(text, node, OrLevel);
        return text.ToString();
    }

    /// <summary>A number as rule text: shortest round-trip form, invariant culture ("0.3", "-12", "1E+21").</summary>
    public static string FormatNumber(double number) => number.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A string as a single-quoted rule literal; \ and ' escaped, control and lone surrogate characters as escapes.</summary>
    public static string QuoteString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quoted = new StringBuilder(text.Length + 2).Append('\'');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                || (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]));
            _ = c switch
            {
                '\\' => quoted.Append("\\\\"),
                '\'' => quoted.Append("\\'"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                _ when char.IsControl(c) || (char.IsSurrogate(c) && !paired) => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('\'').ToString();
    }

    /// <summary>The operator's text: =, !=, &lt;, &lt;=, &gt;, &gt;=.</summary>
    public static string Symbol(RuleComparisonOperator op) => op switch
    {
        RuleComparisonOperator.Equal => "=",
        RuleComparisonOperator.NotEqual => "!=",
        RuleComparisonOperator.Less => "<",
        RuleComparisonOperator.LessOrEqual => "<=",
        RuleComparisonOperator.Greater => ">",
        RuleComparisonOperator.GreaterOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown comparison operator."),
    };

    private static int Level(RuleNode node) => node switch
    {
        RuleOr => OrLevel,
        RuleAnd => AndLevel,
        RuleNot => NotLevel,
        _ => PredicateLevel,
    };

    private static void Write(StringBuilder text, RuleNode node, int minimum)
    {
        var parenthesize = Level(node) < minimum;
        if (parenthesize)
        {
            text.Append('(');
        }

        switch (node)
        {
            case RuleOr or:
                Join(text, or.Operands, " or ", AndLevel);
                break;
            case RuleAnd and:
                Join(text, and.Operands, " and ", NotLevel);
                break;
            case RuleNot not:
                text.Append("not ");
                Write(text, not.Operand, NotLevel);
                break;
            case RuleComparison comparison:
                Write(text, comparison.Left, PredicateLevel);
                text.Append(' ').Append(Symbol(comparison.Operator)).Append(' ');
                Write(text, comparison.Right, PredicateLevel);
                break;
            case RuleIn @in:
                Write(text, @in.Operand, PredicateLevel);
                text.Append(" in (");
                Join(text, @in.Values, ", ", PredicateLevel);
                text.Append(')');
                break;
            case RuleBetween between:
                Write(text, between.Operand, PredicateLevel);
                text.Append(" between ");
                Write(text, between.Low, PredicateLevel);
                text.Append(" and ");
                Write(text, between.High, PredicateLevel);
                break;
            case RuleTest test:
                Write(text, test.Operand, PredicateLevel);
                break;
            case RuleNumber number:
                text.Append(FormatNumber(number.Number));
                break;
            case RuleString @string:
                text.Append(QuoteString(@string.Text));
                break;
            case RuleBoolean boolean:
                text.Append(boolean.Truth ? "true" : "false");
                break;
            case RuleField field:
                text.Append(field.Name);
                break;
            case RuleCall call:
                text.Append(call.Name).Append('(');
                Join(text, call.Arguments, ", ", PredicateLevel);
                text.Append(')');
                break;
            default:
                throw new ArgumentException($"Unknown rule node {node.GetType().Name}.", nameof(node));
        }

        if (parenthesize)
        {
            text.Append(')');
        }
    }

    private static void Join<T>(StringBuilder text, IReadOnlyList<T> nodes, string separator, int minimum)
        where T : RuleNode
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (i > 0)
            {
                text.Append(separator);
            }

            Write(text, nodes[i], minimum);
        }
    }
}
