using System.Globalization;

namespace PromoPilot.Core.Rules;

/// <summary>What kind of mistake a <see cref="RuleSyntaxException"/> reports.</summary>
public enum RuleErrorKind
{
    /// <summary>The text is not a rule: a bad character, string, number, or a token where another was expected.</summary>
    Syntax,

    /// <summary>A field the schema does not know.</summary>
    UnknownField,

    /// <summary>A function the schema does not know.</summary>
    UnknownFunction,

    /// <summary>A function called with the wrong number of arguments.</summary>
    ArgumentCount,

    /// <summary>Values of the wrong kind: <c>segment &gt; 3</c>, a number used as a condition, a string argument where a number is due.</summary>
    Type,
}

/// <summary>
/// A rule that cannot be parsed or does not fit its schema. The message starts with the place
/// ("column 18: ..." on the first line, "line 2, column 5: ..." past it, nothing for a node built in code without a
/// position), names what was found and what was expected.
/// Derives from <see cref="FormatException"/> so hosts report it as a user error.
/// </summary>
public sealed class RuleSyntaxException : FormatException
{
    public RuleSyntaxException()
        : this(RuleErrorKind.Syntax, 0, 0, "invalid rule", null, null)
    {
    }

    public RuleSyntaxException(string message)
        : this(RuleErrorKind.Syntax, 0, 0, message, null, null)
    {
    }

    public RuleSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    internal RuleSyntaxException(RuleErrorKind kind, int line, int column, string reason, string? expected, string? found)
        : base(Place(line, column) + reason)
    {
        Kind = kind;
        Line = line;
        Column = column;
        Reason = reason;
        Expected = expected;
        Found = found;
    }

    public RuleErrorKind Kind { get; }

    /// <summary>1-based line of the offending text (0 when unknown: a node built in code).</summary>
    public int Line { get; }

    /// <summary>1-based column of the offending text within its line (UTF-16 code units; a tab counts as one; 0 when unknown).</summary>
    public int Column { get; }

    /// <summary>The message without its place prefix.</summary>
    public string Reason { get; }

    /// <summary>What the parser or validator expected there ("a value", "')'", "a number"), or null where nothing in particular was.</summary>
    public string? Expected { get; }

    /// <summary>The offending text as written ("and", "end of rule", "segment"), or null.</summary>
    public string? Found { get; }

    private static string Place(int line, int column) =>
        column <= 0 ? string.Empty
        : line > 1 ? string.Create(CultureInfo.InvariantCulture, $"line {line}, column {column}: ")
        : string.Create(CultureInfo.InvariantCulture, $"column {column}: ");
}
