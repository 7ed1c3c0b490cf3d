namespace PromoPilot.Core.Rules;

/// <summary>
/// A customer rule, parsed, checked and compiled once, for example
/// <c>recency_days &gt; 90 and clv &gt; 200 and affinity('Bakery') &gt; 0.3</c>. The language is described in
/// docs/rules.md; <see cref="RuleParser"/>, <see cref="RuleSchema"/>, <see cref="RuleCompiler"/> and
/// <see cref="RulePrinter"/> are the steps, usable on their own.
/// </summary>
public sealed class Rule
{
    private Rule(RuleCondition condition, Func<IRuleContext, bool> predicate)
    {
        Condition = condition;
        Predicate = predicate;
        Text = RulePrinter.Print(condition);
        var fields = new SortedSet<string>(StringComparer.Ordinal);
        var functions = new SortedSet<string>(StringComparer.Ordinal);
        Collect(condition, fields, functions);
        Fields = [.. fields];
        Functions = [.. functions];
    }

    /// <summary>The parsed tree.</summary>
    public RuleCondition Condition { get; }

    /// <summary>The canonical text of the rule (<see cref="RulePrinter"/>).</summary>
    public string Text { get; }

    /// <summary>The compiled rule: true when a customer matches.</summary>
    public Func<IRuleContext, bool> Predicate { get; }

    /// <summary>The fields the rule reads, sorted ordinally.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The functions the rule calls, sorted ordinally.</summary>
    public IReadOnlyList<string> Functions { get; }

    /// <summary>Parses <paramref name="text"/>, validates it against <paramref name="schema"/> when given, and compiles it.</summary>
    /// <exception cref="RuleSyntaxException">The text is not a rule, or it does not fit the schema.</exception>
    public static Rule Parse(string text, RuleSchema? schema = null) => From(RuleParser.Parse(text), schema);

    /// <summary>Validates <paramref name="condition"/> against <paramref name="schema"/> when given, and compiles it.</summary>
    /// <exception cref="RuleSyntaxException">The rule does not fit the schema.</exception>
    public static Rule From(RuleCondition condition, RuleSchema? schema = null) => new(condition, RuleCompiler.Compile(condition, schema));

    /// <summary>True when <paramref name="customer"/> matches the rule.</summary>
    public bool Matches(IRuleContext customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return Predicate(customer);
    }

    public override string ToString() => Text;

    private static void Collect(RuleNode node, SortedSet<string> fields, SortedSet<string> functions)
    {
        IEnumerable<RuleNode> children = node switch
        {
            RuleOr or => or.Operands,
            RuleAnd and => and.Operands,
            RuleNot not => [not.Operand],
            RuleComparison comparison => [comparison.Left, comparison.Right],
            RuleIn @in => [@in.Operand],
            RuleBetween between => [between.Operand, between.Low, between.High],
            RuleTest test => [test.Operand],
            _ => [],
        };
        switch (node)
        {
            case RuleField field:
                fields.Add(field.Name);
                break;
            case RuleCall call:
                functions.Add(call.Name);
                break;
        }

        foreach (var child in children)
        {
            Collect(child, fields, functions);
        }
    }
}
