using System.Globalization;

namespace PromoPilot.Core.Rules;

/// <summary>The kinds of value a rule works with.</summary>
public enum RuleValueKind : byte
{
    /// <summary>No value: the customer lacks the field, or a function has no answer for them.</summary>
    Missing = 0,

    /// <summary>A finite or infinite IEEE 754 double (never NaN: NaN reads as <see cref="Missing"/>).</summary>
    Number = 1,

    /// <summary>A string, compared ordinally (case-sensitive).</summary>
    String = 2,

    /// <summary>True or false.</summary>
    Boolean = 3,
}

/// <summary>
/// A value a rule reads from a customer (a field or a function result) or writes as a literal: a number, a string,
/// a boolean, or missing. Numbers are doubles: comparisons are IEEE 754 comparisons, so a field value computed as
/// 0.30000000000000004 is greater than the literal 0.3, and -0 equals 0. NaN is not a value: <see cref="Of(double)"/>
/// turns it into <see cref="Missing"/>, so a feature that could not be computed behaves like an absent one.
/// </summary>
public readonly struct RuleValue : IEquatable<RuleValue>
{
    private readonly double _number;
    private readonly string? _text;

    private RuleValue(RuleValueKind kind, double number, string? text)
    {
        Kind = kind;
        _number = number;
        _text = text;
    }

    /// <summary>The missing value (also the default of this struct).</summary>
    public static RuleValue Missing => default;

    /// <summary>The boolean true.</summary>
    public static RuleValue True { get; } = new(RuleValueKind.Boolean, 1, null);

    /// <summary>The boolean false.</summary>
    public static RuleValue False { get; } = new(RuleValueKind.Boolean, 0, null);

    public RuleValueKind Kind { get; }

    public bool IsMissing => Kind == RuleValueKind.Missing;

    /// <summary>The number; throws unless <see cref="Kind"/> is <see cref="RuleValueKind.Number"/>.</summary>
    public double Number => Kind == RuleValueKind.Number ? _number : throw WrongKind(RuleValueKind.Number);

    /// <summary>The string; throws unless <see cref="Kind"/> is <see cref="RuleValueKind.String"/>.</summary>
    public string String => Kind == RuleValueKind.String ? _text! : throw WrongKind(RuleValueKind.String);

    /// <summary>The boolean; throws unless <see cref="Kind"/> is <see cref="RuleValueKind.Boolean"/>.</summary>
    public bool Boolean => Kind == RuleValueKind.Boolean ? _number != 0 : throw WrongKind(RuleValueKind.Boolean);

    /// <summary>Number read without a kind check (the compiled rule checks <see cref="Kind"/> first).</summary>
    internal double RawNumber => _number;

    internal string? RawText => _text;

    /// <summary>A number value; NaN gives <see cref="Missing"/>.</summary>
    public static RuleValue Of(double value) => double.IsNaN(value) ? default : new(RuleValueKind.Number, value, null);

    /// <summary>A string value.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null (use <see cref="Missing"/>).</exception>
    public static RuleValue Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(RuleValueKind.String, 0, value);
    }

    /// <summary>A boolean value.</summary>
    public static RuleValue Of(bool value) => value ? True : False;

    public static bool operator ==(RuleValue left, RuleValue right) => left.Equals(right);

    public static bool operator !=(RuleValue left, RuleValue right) => !left.Equals(right);

    /// <summary>Same kind and same content (numbers by IEEE equality, so -0 equals 0; strings ordinally).</summary>
    public bool Equals(RuleValue other) => Kind == other.Kind && Kind switch
    {
        RuleValueKind.Missing => true,
        RuleValueKind.String => string.Equals(_text, other._text, StringComparison.Ordinal),
        _ => _number == other._number,
    };

    public override bool Equals(object? obj) => obj is RuleValue other && Equals(other);

    public override int GetHashCode() => Kind switch
    {
        RuleValueKind.Missing => 0,
        RuleValueKind.String => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(_text!)),
        _ => HashCode.Combine(Kind, _number == 0 ? 0d : _number),
    };

    /// <summary>The value as rule text: <c>12.5</c>, <c>'at risk'</c>, <c>true</c>, or <c>missing</c>.</summary>
    public override string ToString() => Kind switch
    {
        RuleValueKind.Number => RulePrinter.FormatNumber(_number),
        RuleValueKind.String => RulePrinter.QuoteString(_text!),
        RuleValueKind.Boolean => _number != 0 ? "true" : "false",
        _ => "missing",
    };

    /// <summary>The kind's name with an article, for messages: "a number", "a string", "a boolean", "missing".</summary>
    public static string Describe(RuleValueKind kind) => kind switch
    {
        RuleValueKind.Number => "a number",
        RuleValueKind.String => "a string",
        RuleValueKind.Boolean => "a boolean",
        _ => "missing",
    };

    private InvalidOperationException WrongKind(RuleValueKind wanted) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The value is {Describe(Kind)}, not {Describe(wanted)}."));
}
