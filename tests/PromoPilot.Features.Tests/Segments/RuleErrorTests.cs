using PromoPilot.Core.Rules;

namespace PromoPilot.Features.Tests.Segments;

public class RuleErrorTests
{
    public static TheoryData<string, int, string> SyntaxErrors => new()
    {
        { "recency_days > 90 and clv > and x", 29, "expected a value after '>', found 'and'" },
        { "", 1, "expected a condition, found end of rule" },
        { "   ", 4, "expected a condition, found end of rule" },
        { "and = 1", 1, "expected a condition, found 'and'" },
        { "clv > 1 and", 12, "expected a condition after 'and', found end of rule" },
        { "clv > 1 or or x", 12, "expected a condition after 'or', found 'or'" },
        { "not", 4, "expected a condition after 'not', found end of rule" },
        { "(clv > 1", 9, "expected ')' to close the '(' at column 1, found end of rule" },
        { "(a and (b or c)", 16, "expected ')' to close the '(' at column 1, found end of rule" },
        { "clv > 1)", 8, "expected 'and', 'or' or end of rule, found ')'" },
        { "x = 1 2", 7, "expected 'and', 'or' or end of rule, found '2'" },
        { "(x = 1 y)", 8, "expected 'and', 'or' or ')', found 'y'" },
        { "1 < clv < 5", 9, "expected 'and', 'or' or end of rule, found '<' (comparisons cannot be chained: write a < b and b < c)" },
        { "clv 200", 5, "expected an operator, 'and', 'or' or end of rule, found '200'" },
        { "segment in 'a'", 12, "expected '(' after 'in', found the string 'a'" },
        { "segment in ()", 13, "expected a number, string or boolean after '(', found ')'" },
        { "segment in ('a' 'b')", 17, "expected ',' or ')' after a value in the list, found the string 'b'" },
        { "segment in ('a', clv)", 18, "expected a number, string or boolean after ',', found 'clv'" },
        { "clv between 1 or 2", 15, "expected 'and' after the lower bound of 'between', found 'or'" },
        { "clv between and 2", 13, "expected a value after 'between', found 'and'" },
        { "clv between 1 and", 18, "expected a value after 'and', found end of rule" },
        { "clv not > 3", 9, "expected 'in' or 'between' after 'not', found '>'" },
        { "affinity(category) > 0.3", 10, "expected a number, string or boolean after '(', found 'category'" },
        { "affinity('a' 'b')", 14, "expected ',' or ')' after an argument of 'affinity', found the string 'b'" },
        { "affinity('a'", 13, "expected ',' or ')' after an argument of 'affinity', found end of rule" },
        { "clv > 1 && x", 9, "unexpected character '&': write 'and'" },
        { "a || b", 3, "unexpected character '|': write 'or'" },
        { "!a", 1, "unexpected character '!': write 'not' or '!='" },
        { "clv # 2", 5, "unexpected character '#'" },
        { "x = \u0001", 5, "unexpected character U+0001" },
        { "x = - 5", 5, "unexpected character '-'" },
        { "segment = 'at risk", 11, "unterminated string: expected a closing ' before the end of the rule" },
        { "segment = \"at risk\\\"", 11, "unterminated string: expected a closing \" before the end of the rule" },
        { @"s = 'a\q'", 7, @"invalid escape '\q' in a string: use \\, \', \"", \n, \r, \t or \u followed by 4 hex digits" },
        { @"s = '\u12G4'", 6, @"invalid escape '\u12G4' in a string: use \\, \', \"", \n, \r, \t or \u followed by 4 hex digits" },
        { "x = 5.", 5, "expected a digit after '.' in the number '5.', found end of rule" },
        { "x = 5.e3", 5, "expected a digit after '.' in the number '5.', found 'e'" },
        { "x = 12abc", 5, "invalid number '12abc'" },
        { "x = 1.2.3", 5, "invalid number '1.2.3'" },
        { "x = 1e999", 5, "the number '1e999' is out of range (largest: about 1.8e308)" },
    };

    public static TheoryData<string, RuleErrorKind, int, string> SchemaErrors => new()
    {
        { "recncy_days > 90", RuleErrorKind.UnknownField, 1, "unknown field 'recncy_days' (did you mean 'recency_days'?)" },
        { "clv > 1 and xyz > 1", RuleErrorKind.UnknownField, 13, "unknown field 'xyz'" },
        { "CLV > 1", RuleErrorKind.UnknownField, 1, "unknown field 'CLV' (did you mean 'clv'?)" },
        { "affinity > 1", RuleErrorKind.UnknownField, 1, "'affinity' is a function, not a field: call it as affinity(category: string)" },
        { "clv > 1 and afinity('Bakery') > 0.3", RuleErrorKind.UnknownFunction, 13, "unknown function 'afinity' (did you mean 'affinity'?)" },
        { "clv() > 1", RuleErrorKind.UnknownFunction, 1, "'clv' is a field, not a function: write it without parentheses" },
        { "affinity('a', 'b') > 1", RuleErrorKind.ArgumentCount, 1, "function affinity(category: string) takes 1 argument, found 2" },
        { "not first_purchase_within()", RuleErrorKind.ArgumentCount, 5, "function first_purchase_within(days: number) takes 1 argument, found 0" },
        { "affinity(3) > 1", RuleErrorKind.Type, 10, "argument 'category' of affinity(category: string) must be a string, found the number 3" },
        { "bought('x', '30')", RuleErrorKind.Type, 13, "argument 'days' of bought(category: string, days: number) must be a number, found the string '30'" },
        { "segment > 3", RuleErrorKind.Type, 1, "'>' compares numbers, but field 'segment' is a string" },
        { "clv <= 'a'", RuleErrorKind.Type, 8, "'<=' compares numbers, but the value is the string 'a'" },
        { "segment = 3", RuleErrorKind.Type, 11, "cannot compare field 'segment' (a string) with the number 3" },
        { "is_member != clv", RuleErrorKind.Type, 14, "cannot compare field 'is_member' (a boolean) with field 'clv' (a number)" },
        { "segment in ('a', 3)", RuleErrorKind.Type, 18, "the list holds the number 3, but field 'segment' is a string" },
        { "segment between 1 and 2", RuleErrorKind.Type, 1, "'between' compares numbers, but field 'segment' is a string" },
        { "clv between 1 and true", RuleErrorKind.Type, 19, "'between' compares numbers, but the value is the boolean true" },
        { "clv", RuleErrorKind.Type, 1, "field 'clv' is a number, not a condition: compare it with a value" },
        { "is_member and affinity('x')", RuleErrorKind.Type, 15, "affinity('x') is a number, not a condition: compare it with a value" },
        { "3", RuleErrorKind.Type, 1, "the number 3 is not a condition: compare it with a value" },
    };

    [Theory]
    [MemberData(nameof(SyntaxErrors))]
    public void Parse_InvalidText_ThrowsWithColumnAndMessage(string text, int column, string message)
    {
        var error = Assert.Throws<RuleSyntaxException>(() => RuleParser.Parse(text));

        Assert.Equal(RuleErrorKind.Syntax, error.Kind);
        Assert.Equal(1, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Equal(message, error.Reason);
        Assert.Equal($"column {column}: {message}", error.Message);
    }

    [Theory]
    [MemberData(nameof(SchemaErrors))]
    public void Validate_RuleNotFittingSchema_ThrowsWithKindColumnAndMessage(string text, RuleErrorKind kind, int column, string message)
    {
        var rule = RuleParser.Parse(text);

        var error = Assert.Throws<RuleSyntaxException>(() => RuleTestSupport.Schema.Validate(rule));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(column, error.Column);
        Assert.Equal($"column {column}: {message}", error.Message);
        Assert.Equal(error.Message, Assert.Throws<RuleSyntaxException>(() => Rule.Parse(text, RuleTestSupport.Schema)).Message);
    }

    [Fact]
    public void Parse_ValueMissingAfterOperator_ReportsExpectedAndFound()
    {
        var error = Assert.Throws<RuleSyntaxException>(() => RuleParser.Parse("recency_days > and clv > 1"));

        Assert.Equal("column 16: expected a value after '>', found 'and'", error.Message);
        Assert.Equal("a value", error.Expected);
        Assert.Equal("and", error.Found);
        Assert.IsAssignableFrom<FormatException>(error);
    }

    [Fact]
    public void Parse_ErrorAtEndOfText_FoundIsEndOfRule()
    {
        var error = Assert.Throws<RuleSyntaxException>(() => RuleParser.Parse("(clv > 1"));

        Assert.Equal("')'", error.Expected);
        Assert.Equal("end of rule", error.Found);
    }

    [Fact]
    public void Parse_ErrorOnSecondLine_GivesLineAndColumn()
    {
        var error = Assert.Throws<RuleSyntaxException>(() => RuleParser.Parse("clv > 1 and\r\n  segment = "));

        Assert.Equal((2, 13), (error.Line, error.Column));
        Assert.Equal("line 2, column 13: expected a value after '=', found end of rule", error.Message);
    }

    [Fact]
    public void Parse_UnclosedParenthesisOnEarlierLine_NamesItsLine()
    {
        var error = Assert.Throws<RuleSyntaxException>(() => RuleParser.Parse("a and\n (b or c"));

        Assert.Equal("line 2, column 9: expected ')' to close the '(' at line 2, column 2, found end of rule", error.Message);
    }

    [Fact]
    public void Validate_UnknownFieldOnSecondLine_GivesLineAndColumn()
    {
        var error = Assert.Throws<RuleSyntaxException>(() => Rule.Parse("clv > 1\nand recncy_days > 3", RuleTestSupport.Schema));

        Assert.Equal("line 2, column 5: unknown field 'recncy_days' (did you mean 'recency_days'?)", error.Message);
        Assert.Equal("recncy_days", error.Found);
        Assert.Equal("a field", error.Expected);
    }

    [Fact]
    public void Validate_NodeBuiltInCode_MessageHasNoPlace()
    {
        var rule = new RuleComparison(new RuleField("nope"), RuleComparisonOperator.Equal, new RuleNumber(1));

        var error = Assert.Throws<RuleSyntaxException>(() => RuleTestSupport.Schema.Validate(rule));

        Assert.Equal("unknown field 'nope'", error.Message);
        Assert.Equal(0, error.Column);
    }

    [Fact]
    public void Parse_NestingAtTheLimit_ParsesAndOneDeeperFails()
    {
        var limit = RuleParser.MaxDepth;
        Assert.Equal("a", RuleParser.Parse(new string('(', limit) + "a" + new string(')', limit)).ToString());
        Assert.IsType<RuleNot>(RuleParser.Parse(string.Concat(Enumerable.Repeat("not ", limit)) + "a"));

        var error = Assert.Throws<RuleSyntaxException>(() => RuleParser.Parse(new string('(', limit + 1) + "a" + new string(')', limit + 1)));
        Assert.Equal($"column {limit + 1}: the rule nests deeper than {limit} levels of parentheses and 'not'", error.Message);
        Assert.Throws<RuleSyntaxException>(() => RuleParser.Parse(string.Concat(Enumerable.Repeat("not ", limit + 1)) + "a"));
    }

    [Fact]
    public void Parse_LongFlatChain_DoesNotNest()
    {
        var text = string.Join(" or ", Enumerable.Range(0, 100_000).Select(i => $"x = {i}"));

        var rule = Assert.IsType<RuleOr>(RuleParser.Parse(text));

        Assert.Equal(100_000, rule.Operands.Count);
        Assert.Equal(text, rule.ToString());
    }

    [Theory]
    [InlineData("recncy_days", "recency_days")]
    [InlineData("frequncy", "frequency")]
    [InlineData("Segment", "segment")]
    [InlineData("cl", "clv")]
    [InlineData("monetry_value", null)]
    [InlineData("zzz", null)]
    public void Suggest_MisspeltName_GivesTheClosestKnownOneWithinTheLimit(string name, string? expected)
    {
        string[] known = ["recency_days", "frequency", "monetary", "clv", "segment"];

        Assert.Equal(expected, RuleSchema.Suggest(name, known));
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("abc", "", 3)]
    [InlineData("recency_days", "recncy_days", 1)]
    public void EditDistance_KnownPairs_GiveTheLevenshteinDistance(string a, string b, int distance)
    {
        Assert.Equal(distance, RuleSchema.EditDistance(a, b));
        Assert.Equal(distance, RuleSchema.EditDistance(b, a));
    }

    [Fact]
    public void Schema_InvalidDeclarations_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new RuleSchema([new("a", RuleValueKind.Number), new("a", RuleValueKind.String)]));
        Assert.Throws<ArgumentException>(() => new RuleSchema([new("a", RuleValueKind.Number)], [new("a", RuleValueKind.Number, [])]));
        Assert.Throws<ArgumentException>(() => new RuleSchema([new("a", RuleValueKind.Missing)]));
        Assert.Throws<ArgumentException>(() => new RuleSchema([new("not", RuleValueKind.Number)]));
        Assert.Throws<ArgumentException>(() => new RuleSchema([], [new("f", RuleValueKind.Number, [new("p", RuleValueKind.Missing)])]));
    }
}
