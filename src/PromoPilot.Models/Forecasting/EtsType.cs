namespace PromoPilot.Models.Forecasting;

/// <summary>How the error enters an ETS model: added to the one-step forecast, or proportional to it.</summary>
public enum EtsError
{
    Additive,
    Multiplicative,
}

/// <summary>The trend component of an ETS model (multiplicative trends are not offered, as in forecast::ets by default).</summary>
public enum EtsTrend
{
    None,
    Additive,
    AdditiveDamped,
}

/// <summary>The seasonal component of an ETS model.</summary>
public enum EtsSeason
{
    None,
    Additive,
    Multiplicative,
}

/// <summary>
/// One ETS(error, trend, season) class of Hyndman, Koehler, Ord &amp; Snyder (2008), written as forecast::ets writes it:
/// "ANN", "AAdN", "MAM", ...
/// </summary>
public readonly record struct EtsType(EtsError Error, EtsTrend Trend, EtsSeason Season)
{
    public bool HasTrend => Trend != EtsTrend.None;

    public bool IsDamped => Trend == EtsTrend.AdditiveDamped;

    public bool HasSeason => Season != EtsSeason.None;

    /// <summary>Additive error with no multiplicative component: the linear homoscedastic class with analytic intervals.</summary>
    public bool IsLinear => Error == EtsError.Additive && Season != EtsSeason.Multiplicative;

    /// <summary>
    /// Class 1 of Hyndman et al. (2008), §6.3, and the non-seasonal part of class 2 (MNN, MAN, MAdN): forecast variances
    /// in closed form, checked against forecast.ets. (Seasonal class 2, e.g. MNA, is simulated: our closed form did not
    /// reproduce forecast.ets's there.)
    /// </summary>
    public bool HasAnalyticVariance => IsLinear || !HasSeason;

    /// <summary>True when the model needs strictly positive data (any multiplicative component).</summary>
    public bool NeedsPositiveData => Error == EtsError.Multiplicative || Season == EtsSeason.Multiplicative;

    /// <summary>Every type without a multiplicative trend (the 18 classes forecast::ets searches by default, before restrictions).</summary>
    public static IReadOnlyList<EtsType> All { get; } =
        (from e in new[] { EtsError.Additive, EtsError.Multiplicative }
         from t in new[] { EtsTrend.None, EtsTrend.Additive, EtsTrend.AdditiveDamped }
         from s in new[] { EtsSeason.None, EtsSeason.Additive, EtsSeason.Multiplicative }
         select new EtsType(e, t, s)).ToArray();

    public override string ToString() =>
        (Error == EtsError.Additive ? "A" : "M")
        + Trend switch { EtsTrend.None => "N", EtsTrend.Additive => "A", _ => "Ad" }
        + Season switch { EtsSeason.None => "N", EtsSeason.Additive => "A", _ => "M" };

    /// <summary>Parses "ANN", "AAdN", "MAM" (case-insensitive).</summary>
    public static EtsType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim().ToUpperInvariant();
        var ok = s.Length is 3 or 4 && (s.Length == 3 || s[2] == 'D');
        if (ok)
        {
            var error = s[0] switch { 'A' => EtsError.Additive, 'M' => EtsError.Multiplicative, _ => (EtsError?)null };
            var trend = s[1] switch { 'N' when s.Length == 3 => EtsTrend.None, 'A' => s.Length == 4 ? EtsTrend.AdditiveDamped : EtsTrend.Additive, _ => (EtsTrend?)null };
            var season = s[^1] switch { 'N' => EtsSeason.None, 'A' => EtsSeason.Additive, 'M' => EtsSeason.Multiplicative, _ => (EtsSeason?)null };
            if (error is { } e && trend is { } t && season is { } z)
            {
                return new EtsType(e, t, z);
            }
        }

        throw new ArgumentException($"'{text}' is not an ETS type: error A|M, trend N|A|Ad, season N|A|M (e.g. ANN, AAdN, MAM).", nameof(text));
    }
}
