using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PromoPilot.Core.Rules;

namespace PromoPilot.Features.Tests.Segments;

public class RulePropertyTests
{
    private const string Seed = "(1234567890,987654321)";

    /// <summary>Four number fields, three string fields, three boolean fields (see <see cref="FieldKind"/>).</summary>
    private static readonly string[] FieldNames = ["a", "b", "clv", "x_1", "segment", "notes", "_p", "flag", "Andy", "in2"];

    private static readonly string[] FunctionNames = ["f", "g", "affinity", "unknown_fn"];

    private static readonly double[] SmallNumbers = [-1, 0, 0.5, 1, 2, 3];

    private static readonly string[] SmallStrings = ["a", "b", "at risk", ""];

    [Property(MaxTest = 500, Replay = Seed, QuietOnSuccess = true)]
    public Property Print_ParsePrint_IsAFixedPointAndGivesAnEqualTree() =>
        Prop.ForAll(Conditions().ToArbitrary(), rule =>
        {
            var text = RulePrinter.Print(rule);
            var parsed = RuleParser.Parse(text);

            Assert.Equal(text, RulePrinter.Print(parsed));
            Assert.Equal(rule, parsed);
        });

    [Property(MaxTest = 500, Replay = Seed, QuietOnSuccess = true)]
    public Property Compile_AnyRuleOnAnyCustomer_AgreesWithTheReferenceEvaluator() =>
        Prop.ForAll(Conditions().Zip(Contexts()).ToArbitrary(), pair =>
        {
            var (rule, customer) = pair;
            var expected = RuleTestSupport.Reference(rule, customer);

            Assert.Equal(expected, RuleCompiler.Compile(rule)(customer));
            Assert.Equal(expected, Rule.Parse(RulePrinter.Print(rule)).Matches(customer));
        });

    /// <summary>Random text, biased toward rule characters: tokenizing and parsing either succeed or throw RuleSyntaxException with a place inside the text.</summary>
    [Property(MaxTest = 2000, Replay = Seed, QuietOnSuccess = true)]
    public Property Tokenize_AnyString_ThrowsNothingButRuleSyntaxException() =>
        Prop.ForAll(RandomText().ToArbitrary(), text =>
        {
            CheckOnlySyntaxErrors(text, () => RuleTokenizer.Tokenize(text));
            CheckOnlySyntaxErrors(text, () =>
            {
                var rule = RuleParser.Parse(text);
                Assert.Equal(rule, RuleParser.Parse(rule.ToString()));
            });
        });

    /// <summary>Well-formed rules with one token deleted, duplicated or swapped: still only RuleSyntaxException, or a rule that round-trips.</summary>
    [Property(MaxTest = 1000, Replay = Seed, QuietOnSuccess = true)]
    public Property Parse_MutatedRule_ThrowsNothingButRuleSyntaxException() =>
        Prop.ForAll(Mutated().ToArbitrary(), text =>
            CheckOnlySyntaxErrors(text, () =>
            {
                var rule = RuleParser.Parse(text);
                Assert.Equal(rule, RuleParser.Parse(rule.ToString()));
            }));

    private static void CheckOnlySyntaxErrors(string text, Action action)
    {
        try
        {
            action();
        }
        catch (RuleSyntaxException e)
        {
            var lines = text.ReplaceLineEndings("\n").Split('\n');
            Assert.InRange(e.Line, 1, lines.Length);
            Assert.InRange(e.Column, 1, lines[e.Line - 1].Length + 1);
            Assert.StartsWith(e.Line > 1 ? $"line {e.Line}, column {e.Column}: " : $"column {e.Column}: ", e.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(e.Reason));
        }
    }

    private static Gen<RuleCondition> Conditions() => Gen.Choose(0, 4).SelectMany(Condition);

    private static Gen<RuleCondition> Condition(int depth)
    {
        if (depth == 0)
        {
            return Predicate();
        }

        var inner = Condition(depth - 1);
        return Gen.Frequency(
            (3, Predicate()),
            (1, Gen.Choose(2, 4).SelectMany(n => Gen.ArrayOf(inner, n)).Select(items => (RuleCondition)new RuleOr(items))),
            (1, Gen.Choose(2, 4).SelectMany(n => Gen.ArrayOf(inner, n)).Select(items => (RuleCondition)new RuleAnd(items))),
            (1, inner.Select(c => (RuleCondition)new RuleNot(c))));
    }

    /// <summary>
    /// Mostly well-typed predicates (both sides of one kind, as a schema would demand) so that a fair share of the
    /// rules hold; some with operands of any kind, which a rule compiled without a schema must also get right.
    /// </summary>
    private static Gen<RuleCondition> Predicate()
    {
        var typed = Gen.Elements(RuleValueKind.Number, RuleValueKind.Number, RuleValueKind.String, RuleValueKind.Boolean)
            .SelectMany(kind => PredicateOf(Operand(kind), Literal(kind), kind));
        var untyped = PredicateOf(Operand(null), Literal(null), null);
        var test = Gen.Frequency((3, Operand(RuleValueKind.Boolean)), (1, Operand(null))).Select(o => (RuleCondition)new RuleTest(o));
        return Gen.Frequency((6, typed), (2, untyped), (2, test));
    }

    private static Gen<RuleCondition> PredicateOf(Gen<RuleOperand> operand, Gen<RuleLiteral> literal, RuleValueKind? kind)
    {
        RuleComparisonOperator[] operators = kind is RuleValueKind.String or RuleValueKind.Boolean
            ? [RuleComparisonOperator.Equal, RuleComparisonOperator.NotEqual, RuleComparisonOperator.Equal, RuleComparisonOperator.Less]
            : Enum.GetValues<RuleComparisonOperator>();
        var comparison =
            from left in operand
            from op in Gen.Elements(operators)
            from right in operand
            select (RuleCondition)new RuleComparison(left, op, right);
        var @in =
            from tested in operand
            from values in Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(literal, n))
            select (RuleCondition)new RuleIn(tested, values);
        var between =
            from tested in operand
            from low in operand
            from high in operand
            select (RuleCondition)new RuleBetween(tested, low, high);
        return kind is null or RuleValueKind.Number
            ? Gen.Frequency((4, comparison), (2, @in), (2, between))
            : Gen.Frequency((4, comparison), (2, @in));
    }

    /// <summary>A field of <paramref name="kind"/> (any field when null), a literal, or a call.</summary>
    private static Gen<RuleOperand> Operand(RuleValueKind? kind) => Gen.Frequency(
        (4, Gen.Elements(kind is RuleValueKind k ? FieldNames.Where(f => FieldKind(f) == k) : FieldNames).Select(name => (RuleOperand)new RuleField(name))),
        (3, Literal(kind).Select(l => (RuleOperand)l)),
        (2, from name in Gen.Elements(FunctionNames)
            from arguments in Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(Literal(null), n))
            select (RuleOperand)new RuleCall(name, arguments)));

    /// <summary>Fields are declared with a kind; the random customers mostly keep to it.</summary>
    private static RuleValueKind FieldKind(string name) => Array.IndexOf(FieldNames, name) switch
    {
        < 4 => RuleValueKind.Number,
        < 7 => RuleValueKind.String,
        _ => RuleValueKind.Boolean,
    };

    private static Gen<RuleLiteral> Literal(RuleValueKind? kind) => kind switch
    {
        RuleValueKind.Number => Number().Select(n => (RuleLiteral)new RuleNumber(n)),
        RuleValueKind.String => Text().Select(s => (RuleLiteral)new RuleString(s)),
        RuleValueKind.Boolean => Gen.Elements(true, false).Select(b => (RuleLiteral)new RuleBoolean(b)),
        _ => Gen.Frequency((3, Literal(RuleValueKind.Number)), (3, Literal(RuleValueKind.String)), (1, Literal(RuleValueKind.Boolean))),
    };

    /// <summary>Mostly a few small values (so comparisons often hold), sometimes awkward doubles.</summary>
    private static Gen<double> Number() => Gen.Frequency(
        (6, Gen.Elements(SmallNumbers)),
        (1, Gen.Elements(-0.0, 1e21, -1e-7, 0.1 + 0.2, 123456.789, double.MaxValue, -double.MaxValue, double.Epsilon, 5e-324)),
        (2, from mantissa in Gen.Choose(-1_000_000, 1_000_000)
            from exponent in Gen.Choose(-30, 30)
            select mantissa * Math.Pow(10, exponent)));

    private static Gen<string> Text() => Gen.Frequency(
        (5, Gen.Elements(SmallStrings)),
        (2, Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(Gen.Elements("x", "'", "\"", "\\", "\n", "\r", "\t", "\u0001", "\u007f", "é", "\U0001F600", "\uD800", "\uDC00", " ", "and", "\\u0041"), n))
            .Select(parts => string.Concat(parts))));

    /// <summary>A value of <paramref name="kind"/> from the same small pools as the literals; sometimes missing, sometimes of another kind.</summary>
    private static Gen<RuleValue> Value(RuleValueKind? kind)
    {
        var number = Gen.Elements(SmallNumbers).Select(RuleValue.Of);
        var text = Gen.Elements(SmallStrings).Select(RuleValue.Of);
        var boolean = Gen.Elements(true, false).Select(RuleValue.Of);
        var any = Gen.OneOf(number, text, boolean);
        var typed = kind switch
        {
            RuleValueKind.Number => number,
            RuleValueKind.String => text,
            RuleValueKind.Boolean => boolean,
            _ => any,
        };
        return Gen.Frequency((2, Gen.Constant(RuleValue.Missing)), (1, any), (9, typed));
    }

    private static Gen<RandomCustomer> Contexts() =>
        from fields in Gen.CollectToArray(FieldNames.Select(f => Value(FieldKind(f))))
        from results in Gen.ArrayOf(Value(null), 16)
        select new RandomCustomer(FieldNames.Zip(fields).Where(p => !p.Second.IsMissing).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal), results);

    private static Gen<string> RandomText()
    {
        string[] pieces =
        [
            " a", " clv", " x_1", " 9", " 0", " 1.5", " -2", " 3e2", " 1E-3", " 'at risk'", " \"it\\'s\"", " '\\u0041\\n'", "(", ")", ",", " =", " ==", " !=",
            " <", " <=", " <>", " >", " >=", " ", "  ", "\t", "\n", "\r\n", "\r", "\u00a0", " and", " OR", " not", " in", " between", " true", " False",
            " f(", " g('b'", "e", "E", "+", "00",
        ];
        string[] troublesome = ["'", "\"", "\\", "\\u", "\\q", "!", "&", "|", "#", "-", ".", "\u0000", "\uFEFF", "é", "\U0001F600", "\uD800", "1e999", "1.", "1x"];
        var piece = Gen.Frequency((20, Gen.Elements(pieces)), (1, Gen.Elements(troublesome)));
        return Gen.Choose(0, 30).SelectMany(n => Gen.ArrayOf(piece, n)).Select(parts => string.Concat(parts));
    }

    private static Gen<string> Mutated() =>
        from rule in Conditions()
        from seed in Gen.Choose(0, int.MaxValue)
        select Mutate(RulePrinter.Print(rule), seed);

    private static string Mutate(string text, int seed)
    {
        var tokens = RuleTokenizer.Tokenize(text).Where(t => t.Kind != RuleTokenKind.End).Select(t => t.Text).ToList();
        var random = new Random(seed);
        var at = random.Next(tokens.Count);
        switch (random.Next(3))
        {
            case 0:
                tokens.RemoveAt(at);
                break;
            case 1:
                tokens.Insert(at, tokens[at]);
                break;
            default:
                var other = random.Next(tokens.Count);
                (tokens[at], tokens[other]) = (tokens[other], tokens[at]);
                break;
        }

        return string.Join(' ', tokens);
    }

    /// <summary>Fields from a dictionary; a function's result is picked from <c>results</c> by a stable hash of its name and arguments.</summary>
    private sealed class RandomCustomer(Dictionary<string, RuleValue> fields, RuleValue[] results) : IRuleContext
    {
        public bool TryGetField(string name, out RuleValue value) => fields.TryGetValue(name, out value);

        public bool TryCall(string name, IReadOnlyList<RuleValue> arguments, out RuleValue value)
        {
            var key = $"{name}({string.Join(", ", arguments)})";
            var hash = 17;
            foreach (var c in key)
            {
                hash = unchecked((hash * 31) + c);
            }

            value = name == "unknown_fn" ? RuleValue.Missing : results[(hash & int.MaxValue) % results.Length];
            return !value.IsMissing;
        }

        public override string ToString() =>
            string.Join(", ", fields.Select(p => $"{p.Key}={p.Value}")) + " | calls: " + string.Join(", ", results);
    }
}
