namespace PromoPilot.Core.Rules;

/// <summary>
/// A node of a parsed rule. Nodes are immutable; <see cref="Line"/> and <see cref="Column"/> say where the parser
/// found them (0 for nodes built in code) and take no part in equality, so a parsed rule equals the same rule built by
/// hand. <see cref="ToString"/> is the canonical text (<see cref="RulePrinter"/>).
/// </summary>
public abstract record RuleNode
{
    /// <summary>1-based line where the node starts in the rule text; 0 when built in code.</summary>
    public int Line { get; init; }

    /// <summary>1-based column where the node starts in its line; 0 when built in code.</summary>
    public int Column { get; init; }

    public virtual bool Equals(RuleNode? other) => other is not null && EqualityContract == other.EqualityContract;

    public override int GetHashCode() => EqualityContract.GetHashCode();

    /// <summary>The node as canonical rule text.</summary>
    public sealed override string ToString() => RulePrinter.Print(this);

    internal static IReadOnlyList<T> Freeze<T>(IEnumerable<T> items, int minimum, string parameter, string what)
        where T : RuleNode
    {
        ArgumentNullException.ThrowIfNull(items, parameter);
        T[] copy = [.. items];
        if (copy.Length < minimum)
        {
            throw new ArgumentException($"{what} needs at least {minimum}, got {copy.Length}.", parameter);
        }

        if (Array.IndexOf(copy, null) >= 0)
        {
            throw new ArgumentException($"{what} contains null.", parameter);
        }

        return Array.AsReadOnly(copy);
    }

    internal static int Hash<T>(IReadOnlyList<T> items)
    {
        var hash = default(HashCode);
        foreach (var item in items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }
}

/// <summary>A node that is true or false for a customer: the whole rule, or a part of it.</summary>
public abstract record RuleCondition : RuleNode;

/// <summary><c>a or b or ...</c>: true when any operand is (evaluated left to right, stopping at the first true).</summary>
public sealed record RuleOr : RuleCondition
{
    public RuleOr(IEnumerable<RuleCondition> operands) => Operands = Freeze(operands, 2, nameof(operands), "'or'");

    public IReadOnlyList<RuleCondition> Operands { get; }

    public bool Equals(RuleOr? other) => base.Equals(other) && Operands.SequenceEqual(other!.Operands);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Hash(Operands));
}

/// <summary><c>a and b and ...</c>: true when every operand is (evaluated left to right, stopping at the first false).</summary>
public sealed record RuleAnd : RuleCondition
{
    public RuleAnd(IEnumerable<RuleCondition> operands) => Operands = Freeze(operands, 2, nameof(operands), "'and'");

    public IReadOnlyList<RuleCondition> Operands { get; }

    public bool Equals(RuleAnd? other) => base.Equals(other) && Operands.SequenceEqual(other!.Operands);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Hash(Operands));
}

/// <summary><c>not a</c>: true when the operand is false (including when it is false because a value is missing).</summary>
public sealed record RuleNot : RuleCondition
{
    public RuleNot(RuleCondition operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        Operand = operand;
    }

    public RuleCondition Operand { get; }
}

/// <summary>The comparison operators.</summary>
public enum RuleComparisonOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>
/// <c>left op right</c>: true only when both values are present, of the same kind, and the relation holds. Ordering
/// operators hold for numbers only; <c>=</c> and <c>!=</c> for any kind.
/// </summary>
public sealed record RuleComparison : RuleCondition
{
    public RuleComparison(RuleOperand left, RuleComparisonOperator @operator, RuleOperand right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (!Enum.IsDefined(@operator))
        {
            throw new ArgumentException($"Unknown comparison operator {@operator}.", nameof(@operator));
        }

        Left = left;
        Operator = @operator;
        Right = right;
    }

    public RuleOperand Left { get; }

    public RuleComparisonOperator Operator { get; }

    public RuleOperand Right { get; }

    /// <summary>Where the operator was written (1-based; 0 when built in code).</summary>
    public int OperatorColumn { get; init; }

    /// <summary>Line of the operator (1-based; 0 when built in code).</summary>
    public int OperatorLine { get; init; }

    public bool Equals(RuleComparison? other) =>
        base.Equals(other) && Left.Equals(other!.Left) && Operator == other.Operator && Right.Equals(other.Right);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Left, Operator, Right);
}

/// <summary><c>operand in (v1, v2, ...)</c>: true when the operand is present and equals one of the literals.</summary>
public sealed record RuleIn : RuleCondition
{
    public RuleIn(RuleOperand operand, IEnumerable<RuleLiteral> values)
    {
        ArgumentNullException.ThrowIfNull(operand);
        Operand = operand;
        Values = Freeze(values, 1, nameof(values), "'in'");
    }

    public RuleOperand Operand { get; }

    public IReadOnlyList<RuleLiteral> Values { get; }

    public bool Equals(RuleIn? other) => base.Equals(other) && Operand.Equals(other!.Operand) && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Operand, Hash(Values));
}

/// <summary><c>operand between low and high</c>: true when all three are numbers and low &lt;= operand &lt;= high.</summary>
public sealed record RuleBetween : RuleCondition
{
    public RuleBetween(RuleOperand operand, RuleOperand low, RuleOperand high)
    {
        ArgumentNullException.ThrowIfNull(operand);
        ArgumentNullException.ThrowIfNull(low);
        ArgumentNullException.ThrowIfNull(high);
        Operand = operand;
        Low = low;
        High = high;
    }

    public RuleOperand Operand { get; }

    public RuleOperand Low { get; }

    public RuleOperand High { get; }
}

/// <summary>A value used as a condition on its own (<c>is_member</c>, <c>first_purchase_within(30)</c>): true when it is the boolean true.</summary>
public sealed record RuleTest : RuleCondition
{
    public RuleTest(RuleOperand operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        Operand = operand;
    }

    public RuleOperand Operand { get; }
}

/// <summary>A node that gives a value: a literal, a field, or a function call.</summary>
public abstract record RuleOperand : RuleNode;

/// <summary>A value written in the rule.</summary>
public abstract record RuleLiteral : RuleOperand
{
    public abstract RuleValue Value { get; }
}

/// <summary>A number literal: finite (the parser rejects literals that overflow a double).</summary>
public sealed record RuleNumber : RuleLiteral
{
    public RuleNumber(double number)
    {
        if (!double.IsFinite(number))
        {
            throw new ArgumentException($"A number literal must be finite, got {number}.", nameof(number));
        }

        Number = number;
    }

    public double Number { get; }

    public override RuleValue Value => RuleValue.Of(Number);
}

/// <summary>A string literal (the text between the quotes, escapes resolved).</summary>
public sealed record RuleString : RuleLiteral
{
    public RuleString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    public string Text { get; }

    public override RuleValue Value => RuleValue.Of(Text);
}

/// <summary><c>true</c> or <c>false</c>.</summary>
public sealed record RuleBoolean(bool Truth) : RuleLiteral
{
    public override RuleValue Value => RuleValue.Of(Truth);
}

/// <summary>A profile field by name (case-sensitive).</summary>
public sealed record RuleField : RuleOperand
{
    public RuleField(string name) => Name = CheckName(name, nameof(name));

    public string Name { get; }

    internal static string CheckName(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        if (!RuleTokenizer.IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid name: ASCII letters, digits and '_', not starting with a digit, not a keyword.", parameter);
        }

        return name;
    }
}

/// <summary><c>name(arg, ...)</c>: a function of the customer with literal arguments.</summary>
public sealed record RuleCall : RuleOperand
{
    public RuleCall(string name, IEnumerable<RuleLiteral> arguments)
    {
        Name = RuleField.CheckName(name, nameof(name));
        Arguments = Freeze(arguments, 0, nameof(arguments), "a call");
    }

    public string Name { get; }

    public IReadOnlyList<RuleLiteral> Arguments { get; }

    public bool Equals(RuleCall? other) =>
        base.Equals(other) && string.Equals(Name, other!.Name, StringComparison.Ordinal) && Arguments.SequenceEqual(other.Arguments);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), StringComparer.Ordinal.GetHashCode(Name), Hash(Arguments));
}
