using PromoPilot.Core.Rules;

namespace PromoPilot.Features.Tests.Segments;

public class RuleParserTests
{
    private static RuleField F(string name) => new(name);

    private static RuleNumber N(double value) => new(value);

    private static RuleString S(string text) => new(text);

    private static RuleComparison Cmp(RuleOperand left, RuleComparisonOperator op, RuleOperand right) => new(left, op, right);

    private static RuleTest T(string field) => new(F(field));

    [Fact]
    public void Parse_ExampleRule_BuildsTheExpectedTree()
    {
        var rule = RuleParser.Parse("recency_days > 90 and clv > 200 and affinity('Bakery') > 0.3");

        var expected = new RuleAnd(
        [
            Cmp(F("recency_days"), RuleComparisonOperator.Greater, N(90)),
            Cmp(F("clv"), RuleComparisonOperator.Greater, N(200)),
            Cmp(new RuleCall("affinity", [S("Bakery")]), RuleComparisonOperator.Greater, N(0.3)),
        ]);
        Assert.Equal(expected, rule);
        Assert.Equal("recency_days > 90 and clv > 200 and affinity('Bakery') > 0.3", rule.ToString());
    }

    [Fact]
    public void Parse_SecondExample_GroupsOrInsideAndWithNot()
    {
        var rule = RuleParser.Parse("(segment = 'at risk' or frequency >= 5) and not first_purchase_within(30)");

        var expected = new RuleAnd(
        [
            new RuleOr(
            [
                Cmp(F("segment"), RuleComparisonOperator.Equal, S("at risk")),
                Cmp(F("frequency"), RuleComparisonOperator.GreaterOrEqual, N(5)),
            ]),
            new RuleNot(new RuleTest(new RuleCall("first_purchase_within", [N(30)]))),
        ]);
        Assert.Equal(expected, rule);
        Assert.Equal("(segment = 'at risk' or frequency >= 5) and not first_purchase_within(30)", rule.ToString());
    }

    [Fact]
    public void Parse_AndOrWithoutParentheses_AndBindsTighter()
    {
        Assert.Equal(new RuleOr([T("a"), new RuleAnd([T("b"), T("c")])]), RuleParser.Parse("a or b and c"));
        Assert.Equal(new RuleOr([new RuleAnd([T("a"), T("b")]), T("c")]), RuleParser.Parse("a and b or c"));
    }

    [Fact]
    public void Parse_Not_BindsTighterThanAndAndOr()
    {
        Assert.Equal(new RuleAnd([new RuleNot(T("a")), T("b")]), RuleParser.Parse("not a and b"));
        Assert.Equal(new RuleOr([new RuleNot(T("a")), T("b")]), RuleParser.Parse("not a or b"));
        Assert.Equal(new RuleNot(new RuleNot(T("a"))), RuleParser.Parse("not not a"));
        Assert.Equal(new RuleNot(Cmp(F("clv"), RuleComparisonOperator.Greater, N(1))), RuleParser.Parse("not clv > 1"));
    }

    [Fact]
    public void Parse_Parentheses_OverridePrecedenceAndArePrintedOnlyWhereNeeded()
    {
        var grouped = RuleParser.Parse("(a or b) and c");
        Assert.Equal(new RuleAnd([new RuleOr([T("a"), T("b")]), T("c")]), grouped);
        Assert.Equal("(a or b) and c", grouped.ToString());

        Assert.Equal("not (a and b)", RuleParser.Parse("not (a and b)").ToString());
        Assert.Equal("a and b", RuleParser.Parse("((a) and ((b)))").ToString());
        Assert.Equal("a or b and c", RuleParser.Parse("a or (b and c)").ToString());
    }

    [Fact]
    public void Parse_ExplicitlyNestedSameOperator_KeepsTheTreeAndItsParentheses()
    {
        var rule = RuleParser.Parse("a or (b or c)");

        Assert.Equal(new RuleOr([T("a"), new RuleOr([T("b"), T("c")])]), rule);
        Assert.Equal("a or (b or c)", rule.ToString());
        Assert.Equal(new RuleOr([T("a"), T("b"), T("c")]), RuleParser.Parse("a or b or c"));
    }

    [Fact]
    public void Parse_KeywordsInAnyCase_PrintInLowerCase()
    {
        var rule = RuleParser.Parse("NOT Is_Member AND segment IN ('a') Or clv BETWEEN 1 AnD 2 or TRUE = False");

        Assert.Equal("not Is_Member and segment in ('a') or clv between 1 and 2 or true = false", rule.ToString());
    }

    [Theory]
    [InlineData("segment in ('a', 'b')", "segment in ('a', 'b')")]
    [InlineData("segment not in ('a', \"b\")", "not segment in ('a', 'b')")]
    [InlineData("clv between 10 and 20.5", "clv between 10 and 20.5")]
    [InlineData("clv not between -1 and monetary", "not clv between -1 and monetary")]
    [InlineData("clv between 1 and 2 and is_member", "clv between 1 and 2 and is_member")]
    [InlineData("x==1 and y<>2 and z!=3", "x = 1 and y != 2 and z != 3")]
    [InlineData("a<=1 and(b>=-2)", "a <= 1 and b >= -2")]
    [InlineData("f()", "f()")]
    [InlineData("bought('Bakery',30)", "bought('Bakery', 30)")]
    [InlineData("  clv\t>\n0  ", "clv > 0")]
    [InlineData("x = 007.50", "x = 7.5")]
    [InlineData("x = 1e3 or x = 2.5E-3 or x = -4e+2", "x = 1000 or x = 0.0025 or x = -400")]
    [InlineData("x = 1e21", "x = 1E+21")]
    [InlineData("x = -0", "x = -0")]
    [InlineData("true", "true")]
    public void Parse_Forms_PrintCanonically(string text, string canonical)
    {
        var rule = RuleParser.Parse(text);

        Assert.Equal(canonical, rule.ToString());
        Assert.Equal(rule, RuleParser.Parse(canonical));
    }

    [Theory]
    [InlineData(@"s = 'it\'s'", "it's")]
    [InlineData(@"s = ""say \""hi\""""", "say \"hi\"")]
    [InlineData(@"s = 'a\\b'", @"a\b")]
    [InlineData(@"s = 'tab\tnl\ncr\r'", "tab\tnl\ncr\r")]
    [InlineData(@"s = '\u00e9\u20AC'", "é€")]
    [InlineData(@"s = ""it's""", "it's")]
    [InlineData(@"s = ''", "")]
    public void Parse_StringEscapes_GiveTheirCharacters(string text, string value)
    {
        var comparison = Assert.IsType<RuleComparison>(RuleParser.Parse(text));

        Assert.Equal(value, Assert.IsType<RuleString>(comparison.Right).Text);
    }

    [Fact]
    public void Print_StringWithQuotesAndControls_EscapesThemAndRoundTrips()
    {
        var rule = new RuleComparison(F("s"), RuleComparisonOperator.Equal, S("it's a \\ \"q\"\n\u0001 é"));

        Assert.Equal(@"s = 'it\'s a \\ ""q""\n\u0001 é'", rule.ToString());
        Assert.Equal(rule, RuleParser.Parse(rule.ToString()));
    }

    [Fact]
    public void Parse_Nodes_RecordLineAndColumn()
    {
        var rule = Assert.IsType<RuleAnd>(RuleParser.Parse("clv > 1 and\n  segment = 'a'"));
        var second = Assert.IsType<RuleComparison>(rule.Operands[1]);

        Assert.Equal((1, 1), (rule.Line, rule.Column));
        Assert.Equal((2, 3), (second.Line, second.Column));
        Assert.Equal((2, 11), (second.OperatorLine, second.OperatorColumn));
        Assert.Equal((2, 13), (second.Right.Line, second.Right.Column));
    }

    [Fact]
    public void Tokenize_Rule_GivesKindsTextAndColumns()
    {
        var tokens = RuleTokenizer.Tokenize("not x >= -1.5 AND f('a')");

        Assert.Equal(
            [
                (RuleTokenKind.Not, "not", 1), (RuleTokenKind.Identifier, "x", 5), (RuleTokenKind.GreaterOrEqual, ">=", 7),
                (RuleTokenKind.Number, "-1.5", 10), (RuleTokenKind.And, "AND", 15), (RuleTokenKind.Identifier, "f", 19),
                (RuleTokenKind.LeftParen, "(", 20), (RuleTokenKind.String, "'a'", 21), (RuleTokenKind.RightParen, ")", 24),
                (RuleTokenKind.End, "", 25),
            ],
            tokens.Select(t => (t.Kind, t.Text, t.Column)));
        Assert.Equal(-1.5, tokens[3].Number);
        Assert.Equal("a", tokens[7].Value);
    }

    [Fact]
    public void Nodes_InvalidConstruction_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new RuleField("and"));
        Assert.Throws<ArgumentException>(() => new RuleField("1x"));
        Assert.Throws<ArgumentException>(() => new RuleCall("a b", []));
        Assert.Throws<ArgumentException>(() => new RuleNumber(double.NaN));
        Assert.Throws<ArgumentException>(() => new RuleNumber(double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => new RuleAnd([T("a")]));
        Assert.Throws<ArgumentException>(() => new RuleIn(F("a"), []));
        Assert.Throws<ArgumentException>(() => new RuleOr([T("a"), null!]));
    }

    [Fact]
    public void Equality_IgnoresPositionButNotContent()
    {
        var parsed = RuleParser.Parse("  a = 1");
        var built = Cmp(F("a"), RuleComparisonOperator.Equal, N(1));

        Assert.Equal(3, parsed.Column);
        Assert.Equal(built, parsed);
        Assert.Equal(built.GetHashCode(), parsed.GetHashCode());
        Assert.NotEqual<RuleCondition>(Cmp(F("a"), RuleComparisonOperator.Equal, N(2)), parsed);
        Assert.NotEqual<RuleCondition>(new RuleIn(F("a"), [N(1)]), new RuleIn(F("a"), [N(1), N(2)]));
        Assert.NotEqual<RuleOperand>(new RuleCall("f", [S("a")]), new RuleCall("f", [S("b")]));
    }
}
