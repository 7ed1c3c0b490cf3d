namespace PromoPilot.Core.Rules;

/// <summary>
/// Recursive-descent parser for rule text (grammar in docs/rules.md):
/// <code>
/// rule      = or-expr END
/// or-expr   = and-expr { "or" and-expr }
/// and-expr  = not-expr { "and" not-expr }
/// not-expr  = "not" not-expr | predicate
/// predicate = "(" or-expr ")"
///           | operand [ compare-op operand
///                     | ["not"] "in" "(" literal { "," literal } ")"
///                     | ["not"] "between" operand "and" operand ]
/// operand   = literal | identifier | identifier "(" [ literal { "," literal } ] ")"
/// literal   = number | string | "true" | "false"
/// </code>
/// <c>x not in (...)</c> and <c>x not between a and b</c> parse as <c>not x in (...)</c> and <c>not x between a and b</c>.
/// Comparisons do not chain (<c>a &lt; b &lt; c</c> is an error). Nesting of parentheses and <c>not</c> is limited to
/// <see cref="MaxDepth"/> levels so hostile input cannot exhaust the stack.
/// </summary>
public sealed class RuleParser
{
    /// <summary>The deepest nesting of parentheses and <c>not</c> accepted.</summary>
    public const int MaxDepth = 100;

    private readonly IReadOnlyList<RuleToken> _tokens;
    private int _next;
    private int _depth;

    /// <summary>Set after a predicate that is a bare operand, so a stray value after it is reported as a missing operator.</summary>
    private bool _bareOperand;

    /// <summary>Set after a comparison, so a second comparison operator is reported as a chain.</summary>
    private bool _afterComparison;

    private RuleParser(IReadOnlyList<RuleToken> tokens) => _tokens = tokens;

    /// <summary>Parses <paramref name="text"/> into its condition tree.</summary>
    /// <exception cref="RuleSyntaxException">The text is not a rule; the message gives the column, what was found and what was expected.</exception>
    public static RuleCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new RuleParser(RuleTokenizer.Tokenize(text));
        var condition = parser.ParseOr(null);
        parser.ExpectEndOf(null);
        return condition;
    }

    private RuleToken Current => _tokens[_next];

    private RuleToken Take() => _tokens[_next++];

    private RuleCondition ParseOr(RuleToken? after)
    {
        var first = ParseAnd(after);
        if (Current.Kind != RuleTokenKind.Or)
        {
            return first;
        }

        var operands = new List<RuleCondition> { first };
        while (Current.Kind == RuleTokenKind.Or)
        {
            var or = Take();
            operands.Add(ParseAnd(or));
        }

        return new RuleOr(operands) { Line = first.Line, Column = first.Column };
    }

    private RuleCondition ParseAnd(RuleToken? after)
    {
        var first = ParseNot(after);
        if (Current.Kind != RuleTokenKind.And)
        {
            return first;
        }

        var operands = new List<RuleCondition> { first };
        while (Current.Kind == RuleTokenKind.And)
        {
            var and = Take();
            operands.Add(ParseNot(and));
        }

        return new RuleAnd(operands) { Line = first.Line, Column = first.Column };
    }

    private RuleCondition ParseNot(RuleToken? after)
    {
        if (Current.Kind != RuleTokenKind.Not)
        {
            return ParsePredicate(after);
        }

        var not = Take();
        Enter(not);
        var operand = ParseNot(not);
        _depth--;
        return new RuleNot(operand) { Line = not.Line, Column = not.Column };
    }

    private RuleCondition ParsePredicate(RuleToken? after)
    {
        _bareOperand = false;
        _afterComparison = false;
        if (Current.Kind == RuleTokenKind.LeftParen)
        {
            var open = Take();
            Enter(open);
            var inner = ParseOr(open);
            ExpectEndOf(open);
            Take();
            _depth--;
            _bareOperand = false;
            _afterComparison = false;
            return inner;
        }

        var operand = ParseOperand("a condition", after);
        var start = operand;
        if (Current.IsComparison)
        {
            var op = Take();
            var right = ParseOperand("a value", op);
            _afterComparison = true;
            return new RuleComparison(start, Operator(op.Kind), right)
            {
                Line = start.Line,
                Column = start.Column,
                OperatorLine = op.Line,
                OperatorColumn = op.Column,
            };
        }

        if (Current.Kind == RuleTokenKind.Not)
        {
            var not = Take();
            if (Current.Kind is not (RuleTokenKind.In or RuleTokenKind.Between))
            {
                throw Unexpected(Current, "'in' or 'between'", $"after '{not.Text}'");
            }

            return new RuleNot(ParseMembership(operand)) { Line = operand.Line, Column = operand.Column };
        }

        if (Current.Kind is RuleTokenKind.In or RuleTokenKind.Between)
        {
            return ParseMembership(operand);
        }

        _bareOperand = true;
        return new RuleTest(operand) { Line = operand.Line, Column = operand.Column };
    }

    /// <summary>The rest of <c>operand in (...)</c> or <c>operand between low and high</c>; the current token is 'in' or 'between'.</summary>
    private RuleCondition ParseMembership(RuleOperand operand)
    {
        var keyword = Take();
        if (keyword.Kind == RuleTokenKind.In)
        {
            var open = Expect(RuleTokenKind.LeftParen, "'('", $"after '{keyword.Text}'");
            var values = ParseLiteralList(open, "after a value in the list");
            return new RuleIn(operand, values) { Line = operand.Line, Column = operand.Column };
        }

        var low = ParseOperand("a value", keyword);
        var and = Expect(RuleTokenKind.And, "'and'", $"after the lower bound of '{keyword.Text}'");
        var high = ParseOperand("a value", and);
        return new RuleBetween(operand, low, high) { Line = operand.Line, Column = operand.Column };
    }

    private RuleOperand ParseOperand(string expected, RuleToken? after)
    {
        var token = Current;
        switch (token.Kind)
        {
            case RuleTokenKind.Number or RuleTokenKind.String or RuleTokenKind.True or RuleTokenKind.False:
                return ParseLiteral(expected, after);
            case RuleTokenKind.Identifier:
                Take();
                if (Current.Kind != RuleTokenKind.LeftParen)
                {
                    return new RuleField(token.Text) { Line = token.Line, Column = token.Column };
                }

                var open = Take();
                List<RuleLiteral> arguments = [];
                if (Current.Kind == RuleTokenKind.RightParen)
                {
                    Take();
                }
                else
                {
                    arguments = ParseLiteralList(open, $"after an argument of '{token.Text}'");
                }

                return new RuleCall(token.Text, arguments) { Line = token.Line, Column = token.Column };
            default:
                throw Unexpected(token, expected, After(after));
        }
    }

    /// <summary>literal { "," literal } ")" after an opening parenthesis; consumes the closing one.</summary>
    private List<RuleLiteral> ParseLiteralList(RuleToken open, string where)
    {
        var values = new List<RuleLiteral> { ParseLiteral("a number, string or boolean", open) };
        while (true)
        {
            var token = Take();
            if (token.Kind == RuleTokenKind.RightParen)
            {
                return values;
            }

            if (token.Kind != RuleTokenKind.Comma)
            {
                throw Unexpected(token, "',' or ')'", where);
            }

            values.Add(ParseLiteral("a number, string or boolean", token));
        }
    }

    private RuleLiteral ParseLiteral(string expected, RuleToken? after)
    {
        var token = Current;
        RuleLiteral literal = token.Kind switch
        {
            RuleTokenKind.Number => new RuleNumber(token.Number),
            RuleTokenKind.String => new RuleString(token.Value!),
            RuleTokenKind.True => new RuleBoolean(true),
            RuleTokenKind.False => new RuleBoolean(false),
            _ => throw Unexpected(token, expected, After(after)),
        };
        Take();
        return literal with { Line = token.Line, Column = token.Column };
    }

    /// <summary>Checks that the current token ends an or-expression: end of rule at the top, ')' inside parentheses.</summary>
    private void ExpectEndOf(RuleToken? open)
    {
        var closing = open is null ? RuleTokenKind.End : RuleTokenKind.RightParen;
        var token = Current;
        if (token.Kind == closing)
        {
            return;
        }

        var end = open is null ? "end of rule" : "')'";
        if (token.IsComparison && _afterComparison)
        {
            throw Unexpected(token, $"'and', 'or' or {end}", null, " (comparisons cannot be chained: write a < b and b < c)");
        }

        if (_bareOperand && token.Kind is not (RuleTokenKind.End or RuleTokenKind.RightParen))
        {
            throw Unexpected(token, $"an operator, 'and', 'or' or {end}", null);
        }

        if (open is RuleToken paren && token.Kind == RuleTokenKind.End)
        {
            throw Unexpected(token, "')'", $"to close the '(' at {Place(paren)}");
        }

        throw Unexpected(token, $"'and', 'or' or {end}", null);
    }

    private RuleToken Expect(RuleTokenKind kind, string expected, string where)
    {
        if (Current.Kind != kind)
        {
            throw Unexpected(Current, expected, where);
        }

        return Take();
    }

    private void Enter(RuleToken token)
    {
        if (++_depth > MaxDepth)
        {
            throw new RuleSyntaxException(RuleErrorKind.Syntax, token.Line, token.Column, $"the rule nests deeper than {MaxDepth} levels of parentheses and 'not'", null, token.FoundText);
        }
    }

    private static string? After(RuleToken? token) => token is RuleToken t ? $"after '{t.Text}'" : null;

    private static string Place(RuleToken token) => token.Line > 1 ? $"line {token.Line}, column {token.Column}" : $"column {token.Column}";

    private static RuleSyntaxException Unexpected(RuleToken found, string expected, string? where, string suffix = "") =>
        new(RuleErrorKind.Syntax, found.Line, found.Column, $"expected {expected}{(where is null ? string.Empty : " " + where)}, found {found.Describe()}{suffix}", expected, found.FoundText);

    private static RuleComparisonOperator Operator(RuleTokenKind kind) => kind switch
    {
        RuleTokenKind.Equal => RuleComparisonOperator.Equal,
        RuleTokenKind.NotEqual => RuleComparisonOperator.NotEqual,
        RuleTokenKind.Less => RuleComparisonOperator.Less,
        RuleTokenKind.LessOrEqual => RuleComparisonOperator.LessOrEqual,
        RuleTokenKind.Greater => RuleComparisonOperator.Greater,
        _ => RuleComparisonOperator.GreaterOrEqual,
    };
}
