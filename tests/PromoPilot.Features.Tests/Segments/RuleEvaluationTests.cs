using PromoPilot.Core.Rules;

namespace PromoPilot.Features.Tests.Segments;

public class RuleEvaluationTests
{
    private const string Example = "recency_days > 90 and clv > 200 and affinity('Bakery') > 0.3";

    private static Customer Shopper(double recency, double clv, double bakery) => new Customer()
        .With("recency_days", recency)
        .With("clv", clv)
        .WithFunction("affinity", args => args[0].String == "Bakery" ? RuleValue.Of(bakery) : RuleValue.Of(0.0));

    [Theory]
    [InlineData(120, 250, 0.5, true)]
    [InlineData(90, 250, 0.5, false)]
    [InlineData(91, 200.01, 0.31, true)]
    [InlineData(120, 200, 0.5, false)]
    [InlineData(120, 250, 0.3, false)]
    public void Matches_ExampleRule_KnownAnswers(double recency, double clv, double bakery, bool expected)
    {
        var rule = Rule.Parse(Example, RuleTestSupport.Schema);

        Assert.Equal(expected, rule.Matches(Shopper(recency, clv, bakery)));
    }

    [Theory]
    [InlineData("at risk", 1, false, true)]
    [InlineData("At Risk", 1, false, false)]
    [InlineData("loyal", 5, false, true)]
    [InlineData("loyal", 4, false, false)]
    [InlineData("at risk", 9, true, false)]
    public void Matches_SecondExample_KnownAnswers(string segment, double frequency, bool recentFirstPurchase, bool expected)
    {
        var rule = Rule.Parse("(segment = 'at risk' or frequency >= 5) and not first_purchase_within(30)", RuleTestSupport.Schema);
        var customer = new Customer()
            .With("segment", segment)
            .With("frequency", frequency)
            .WithFunction("first_purchase_within", args => RuleValue.Of(recentFirstPurchase && args[0].Number >= 30));

        Assert.Equal(expected, rule.Matches(customer));
    }

    [Fact]
    public void Matches_Precedence_AndBeforeOrNotBeforeAnd()
    {
        var customer = new Customer().With("a", true).With("b", false).With("c", false);

        Assert.True(Rule.Parse("a or b and c").Matches(customer));
        Assert.False(Rule.Parse("(a or b) and c").Matches(customer));
        Assert.False(Rule.Parse("not a and b").Matches(customer));
        Assert.True(Rule.Parse("not (a and b)").Matches(customer));
        Assert.True(Rule.Parse("not b and not c").Matches(customer));
    }

    [Theory]
    [InlineData("clv > 200", false)]
    [InlineData("clv <= 200", false)]
    [InlineData("clv = 200", false)]
    [InlineData("clv != 200", false)]
    [InlineData("not clv > 200", true)]
    [InlineData("clv between 0 and 1000", false)]
    [InlineData("clv not between 0 and 1000", true)]
    [InlineData("segment in ('a', 'b')", false)]
    [InlineData("segment not in ('a', 'b')", true)]
    [InlineData("is_member", false)]
    [InlineData("not is_member", true)]
    [InlineData("affinity('Bakery') >= 0", false)]
    [InlineData("clv > 200 or frequency > 1", true)]
    public void Matches_MissingValues_ComparisonsAreFalseAndNotNegatesThat(string text, bool expected)
    {
        var customer = new Customer().With("frequency", 3);

        Assert.Equal(expected, Rule.Parse(text, RuleTestSupport.Schema).Matches(customer));
    }

    [Theory]
    [InlineData("segment = 'vip'", true)]
    [InlineData("segment != 'vip'", false)]
    [InlineData("segment = 'VIP'", false)]
    [InlineData("segment in ('x', 'vip')", true)]
    [InlineData("is_member = true", true)]
    [InlineData("is_member != false", true)]
    [InlineData("is_member", true)]
    [InlineData("clv = 200.5", true)]
    [InlineData("clv between 200.5 and 200.5", true)]
    [InlineData("clv between 300 and 100", false)]
    [InlineData("clv in (1, 200.5)", true)]
    [InlineData("200 < clv", true)]
    [InlineData("201 <= clv", false)]
    [InlineData("clv > -1e3", true)]
    [InlineData("clv between monetary and 500", true)]
    public void Matches_PresentValues_KnownAnswers(string text, bool expected)
    {
        var customer = new Customer().With("segment", "vip").With("is_member", true).With("clv", 200.5).With("monetary", 100);

        Assert.Equal(expected, Rule.Parse(text, RuleTestSupport.Schema).Matches(customer));
    }

    [Theory]
    [InlineData("clv = 'x'")]
    [InlineData("segment > 3")]
    [InlineData("segment < 'z'")]
    [InlineData("clv")]
    [InlineData("segment in (1, 2)")]
    [InlineData("segment between 1 and 2")]
    public void Matches_WithoutSchema_ValuesOfTheWrongKindMakeTheComparisonFalse(string text)
    {
        var customer = new Customer().With("segment", "vip").With("clv", 5);

        Assert.False(Rule.Parse(text).Matches(customer));
        Assert.True(Rule.Parse($"not ({text})").Matches(customer));
    }

    [Fact]
    public void Matches_NaNFromContext_ReadsAsMissing()
    {
        var customer = new Customer().With("clv", double.NaN);

        Assert.True(customer.Fields["clv"].IsMissing);
        Assert.False(Rule.Parse("clv != 1").Matches(customer));
    }

    [Fact]
    public void Matches_NegativeZero_EqualsZero()
    {
        Assert.True(Rule.Parse("x = 0 and x = -0 and x >= 0").Matches(new Customer().With("x", -0.0)));
    }

    [Fact]
    public void Matches_AndOr_StopAtTheFirstDecidingOperand()
    {
        var customer = new Customer().With("a", 1).With("b", 2).With("c", 3);

        Assert.False(Rule.Parse("a > 5 and b > 0 and c > 0").Matches(customer));
        Assert.Equal(["a"], customer.Reads);
        customer.Reads.Clear();

        Assert.True(Rule.Parse("a < 5 or b > 0 or f('x')").Matches(customer));
        Assert.Equal(["a"], customer.Reads);
        customer.Reads.Clear();

        Assert.False(Rule.Parse("a > 5 or b > 5 or f('x', 2)").Matches(customer));
        Assert.Equal(["a", "b", "f('x', 2)"], customer.Reads);
    }

    [Fact]
    public void Matches_FunctionArguments_ArePassedAsValues()
    {
        IReadOnlyList<RuleValue>? seen = null;
        var customer = new Customer().WithFunction("bought", args =>
        {
            seen = args;
            return RuleValue.True;
        });

        Assert.True(Rule.Parse("bought('Dairy', 30)", RuleTestSupport.Schema).Matches(customer));
        Assert.Equal([RuleValue.Of("Dairy"), RuleValue.Of(30)], seen);
    }

    [Fact]
    public void Rule_Properties_GiveCanonicalTextAndNamesUsed()
    {
        var rule = Rule.Parse("NOT segment IN ('a') AND affinity('x')>0 and clv between monetary and 5 or first_purchase_within(3)", RuleTestSupport.Schema);

        Assert.Equal("not segment in ('a') and affinity('x') > 0 and clv between monetary and 5 or first_purchase_within(3)", rule.Text);
        Assert.Equal(["clv", "monetary", "segment"], rule.Fields);
        Assert.Equal(["affinity", "first_purchase_within"], rule.Functions);
    }

    [Fact]
    public void Compare_MixedKinds_FollowsTheDocumentedTable()
    {
        var (one, two, a, yes) = (RuleValue.Of(1), RuleValue.Of(2), RuleValue.Of("a"), RuleValue.True);

        Assert.True(RuleCompiler.Compare(one, RuleComparisonOperator.Less, two));
        Assert.False(RuleCompiler.Compare(one, RuleComparisonOperator.Less, a));
        Assert.False(RuleCompiler.Compare(one, RuleComparisonOperator.NotEqual, a));
        Assert.False(RuleCompiler.Compare(RuleValue.Missing, RuleComparisonOperator.Equal, RuleValue.Missing));
        Assert.False(RuleCompiler.Compare(a, RuleComparisonOperator.Less, RuleValue.Of("b")));
        Assert.True(RuleCompiler.Compare(a, RuleComparisonOperator.NotEqual, RuleValue.Of("b")));
        Assert.True(RuleCompiler.Compare(yes, RuleComparisonOperator.Equal, RuleValue.Of(true)));
        Assert.False(RuleCompiler.Compare(yes, RuleComparisonOperator.Greater, RuleValue.False));
    }

    [Fact]
    public void RuleValue_Accessors_CheckTheKind()
    {
        Assert.Equal(2.5, RuleValue.Of(2.5).Number);
        Assert.Equal("x", RuleValue.Of("x").String);
        Assert.True(RuleValue.Of(true).Boolean);
        Assert.Throws<InvalidOperationException>(() => RuleValue.Of("x").Number);
        Assert.Throws<InvalidOperationException>(() => RuleValue.Missing.Boolean);
        Assert.Throws<ArgumentNullException>(() => RuleValue.Of((string)null!));
        Assert.Equal("'it\\'s'", RuleValue.Of("it's").ToString());
        Assert.Equal("missing", RuleValue.Missing.ToString());
    }
}
