using System.Globalization;
using System.Text;

namespace PromoPilot.Core.Rules;

/// <summary>
/// Splits rule text into <see cref="RuleToken"/>s. Whitespace (spaces, tabs, line breaks) separates tokens and is
/// otherwise ignored. Keywords (<c>and or not in between true false</c>) are case-insensitive; identifiers are ASCII
/// letters, digits and underscores, not starting with a digit. Any text that is not a rule gives a
/// <see cref="RuleSyntaxException"/>, never another exception.
/// </summary>
public static class RuleTokenizer
{
    /// <summary>The reserved words, lower case (matched case-insensitively).</summary>
    public static IReadOnlyList<string> Keywords { get; } = ["and", "or", "not", "in", "between", "true", "false"];

    /// <summary>All tokens of <paramref name="text"/>, ending with one <see cref="RuleTokenKind.End"/> token.</summary>
    /// <exception cref="RuleSyntaxException">A character, number or string that is not valid rule text.</exception>
    public static IReadOnlyList<RuleToken> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new LineMap(text);
        var tokens = new List<RuleToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(Make(RuleTokenKind.End, string.Empty, i, lines));
                return tokens;
            }

            var c = text[i];
            var start = i;
            if (IsDigit(c) || (c == '-' && i + 1 < text.Length && IsDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i, lines));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(ReadString(text, ref i, lines));
            }
            else if (IsIdentifierStart(c))
            {
                while (i < text.Length && IsIdentifierPart(text[i]))
                {
                    i++;
                }

                var word = text[start..i];
                tokens.Add(Make(KeywordKind(word), word, start, lines));
            }
            else
            {
                var (kind, length) = (c, i + 1 < text.Length ? text[i + 1] : '\0') switch
                {
                    ('(', _) => (RuleTokenKind.LeftParen, 1),
                    (')', _) => (RuleTokenKind.RightParen, 1),
                    (',', _) => (RuleTokenKind.Comma, 1),
                    ('=', '=') => (RuleTokenKind.Equal, 2),
                    ('=', _) => (RuleTokenKind.Equal, 1),
                    ('!', '=') => (RuleTokenKind.NotEqual, 2),
                    ('<', '>') => (RuleTokenKind.NotEqual, 2),
                    ('<', '=') => (RuleTokenKind.LessOrEqual, 2),
                    ('<', _) => (RuleTokenKind.Less, 1),
                    ('>', '=') => (RuleTokenKind.GreaterOrEqual, 2),
                    ('>', _) => (RuleTokenKind.Greater, 1),
                    _ => throw UnexpectedCharacter(text, i, lines),
                };
                i += length;
                tokens.Add(Make(kind, text.Substring(start, length), start, lines));
            }
        }
    }

    /// <summary>True when <paramref name="word"/> is a keyword (any case) and so cannot name a field or function.</summary>
    public static bool IsKeyword(string word) => KeywordKind(word) != RuleTokenKind.Identifier;

    /// <summary>True when <paramref name="name"/> can name a field or function: an identifier that is not a keyword.</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && IsIdentifierStart(name[0]) && name.All(IsIdentifierPart) && !IsKeyword(name);

    internal static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    internal static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c);

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static RuleTokenKind KeywordKind(string word) => word.ToLowerInvariant() switch
    {
        "and" => RuleTokenKind.And,
        "or" => RuleTokenKind.Or,
        "not" => RuleTokenKind.Not,
        "in" => RuleTokenKind.In,
        "between" => RuleTokenKind.Between,
        "true" => RuleTokenKind.True,
        "false" => RuleTokenKind.False,
        _ => RuleTokenKind.Identifier,
    };

    private static RuleToken Make(RuleTokenKind kind, string text, int offset, LineMap lines, double number = 0, string? value = null)
    {
        var (line, column) = lines.Locate(offset);
        return new RuleToken(kind, text, offset, line, column, number, value);
    }

    /// <summary>digits ['.' digits] [('e'|'E') ['+'|'-'] digits], with an optional leading '-'.</summary>
    private static RuleToken ReadNumber(string text, ref int i, LineMap lines)
    {
        var start = i;
        if (text[i] == '-')
        {
            i++;
        }

        SkipDigits(text, ref i);
        if (i < text.Length && text[i] == '.')
        {
            if (i + 1 >= text.Length || !IsDigit(text[i + 1]))
            {
                var found = i + 1 >= text.Length ? "end of rule" : DescribeCharacter(text, i + 1);
                throw Error(lines, start, $"expected a digit after '.' in the number '{text[start..(i + 1)]}', found {found}", "a digit", found);
            }

            i++;
            SkipDigits(text, ref i);
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-')
            {
                j++;
            }

            if (j < text.Length && IsDigit(text[j]))
            {
                i = j;
                SkipDigits(text, ref i);
            }
        }

        if (i < text.Length && (IsIdentifierPart(text[i]) || text[i] == '.'))
        {
            var end = i;
            while (end < text.Length && (IsIdentifierPart(text[end]) || text[end] == '.'))
            {
                end++;
            }

            var word = text[start..end];
            throw Error(lines, start, $"invalid number '{word}'", "a number", word);
        }

        var source = text[start..i];
        var value = double.Parse(source, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            throw Error(lines, start, $"the number '{source}' is out of range (largest: about 1.8e308)", "a number", source);
        }

        return Make(RuleTokenKind.Number, source, start, lines, value);
    }

    private static void SkipDigits(string text, ref int i)
    {
        while (i < text.Length && IsDigit(text[i]))
        {
            i++;
        }
    }

    /// <summary>A string in single or double quotes; escapes \\ \' \" \n \r \t \uXXXX.</summary>
    private static RuleToken ReadString(string text, ref int i, LineMap lines)
    {
        var start = i;
        var quote = text[i++];
        var value = new StringBuilder();
        while (true)
        {
            if (i >= text.Length)
            {
                throw Error(lines, start, $"unterminated string: expected a closing {quote} before the end of the rule", quote.ToString(), "end of rule");
            }

            var c = text[i];
            if (c == quote)
            {
                i++;
                return Make(RuleTokenKind.String, text[start..i], start, lines, value: value.ToString());
            }

            if (c != '\\')
            {
                value.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                throw Error(lines, start, $"unterminated string: expected a closing {quote} before the end of the rule", quote.ToString(), "end of rule");
            }

            var escape = text[i + 1];
            switch (escape)
            {
                case '\\' or '\'' or '"':
                    value.Append(escape);
                    break;
                case 'n':
                    value.Append('\n');
                    break;
                case 'r':
                    value.Append('\r');
                    break;
                case 't':
                    value.Append('\t');
                    break;
                case 'u' when i + 6 <= text.Length && ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    value.Append((char)code);
                    i += 4;
                    break;
                default:
                    var found = escape == 'u' ? text[i..Math.Min(text.Length, i + 6)] : "\\" + escape;
                    throw Error(lines, i, $"invalid escape '{found}' in a string: use \\\\, \\', \\\", \\n, \\r, \\t or \\u followed by 4 hex digits", "an escape", found);
            }

            i += 2;
        }
    }

    private static RuleSyntaxException UnexpectedCharacter(string text, int i, LineMap lines)
    {
        var found = DescribeCharacter(text, i);
        var hint = text[i] switch
        {
            '&' => ": write 'and'",
            '|' => ": write 'or'",
            '!' => ": write 'not' or '!='",
            _ => string.Empty,
        };
        return Error(lines, i, $"unexpected character {found}{hint}", null, found.Trim('\''));
    }

    /// <summary>'x' for a printable character, U+0001 for a control or other invisible one.</summary>
    private static string DescribeCharacter(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            return $"'{text.AsSpan(i, 2)}'";
        }

        return char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) || c == '\uFEFF'
            ? string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}")
            : "'" + c + "'";
    }

    private static RuleSyntaxException Error(LineMap lines, int offset, string reason, string? expected, string? found)
    {
        var (line, column) = lines.Locate(offset);
        return new RuleSyntaxException(RuleErrorKind.Syntax, line, column, reason, expected, found);
    }

    /// <summary>Offsets to 1-based line and column; a line ends at \n, \r\n or a lone \r.</summary>
    private sealed class LineMap
    {
        private readonly List<int> _starts = [0];

        public LineMap(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public (int Line, int Column) Locate(int offset)
        {
            var index = _starts.BinarySearch(offset);
            var line = index >= 0 ? index : ~index - 1;
            return (line + 1, offset - _starts[line] + 1);
        }
    }
}
