namespace PromoPilot.Core.Rules;

/// <summary>The kinds of token in rule text.</summary>
public enum RuleTokenKind
{
    End,
    Number,
    String,
    Identifier,
    And,
    Or,
    Not,
    In,
    Between,
    True,
    False,
    LeftParen,
    RightParen,
    Comma,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>
/// One token of rule text: its kind, the source text it was read from, where it starts (0-based
/// <paramref name="Offset"/>, 1-based <paramref name="Line"/> and <paramref name="Column"/>), and for numbers and
/// strings their value (<paramref name="Number"/>, <paramref name="Value"/> with escapes resolved).
/// </summary>
public readonly record struct RuleToken(RuleTokenKind Kind, string Text, int Offset, int Line, int Column, double Number = 0, string? Value = null)
{
    /// <summary>True for the six comparison operators.</summary>
    public bool IsComparison => Kind is >= RuleTokenKind.Equal and <= RuleTokenKind.GreaterOrEqual;

    /// <summary>How a message names the token: 'and', '200', the string 'abc', end of rule.</summary>
    internal string Describe() => Kind switch
    {
        RuleTokenKind.End => "end of rule",
        RuleTokenKind.String => "the string " + Text,
        _ => "'" + Text + "'",
    };

    /// <summary>The <see cref="RuleSyntaxException.Found"/> text: the source text, or "end of rule".</summary>
    internal string FoundText => Kind == RuleTokenKind.End ? "end of rule" : Text;
}
