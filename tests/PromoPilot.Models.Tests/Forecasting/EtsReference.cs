using System.Text.Json;
using System.Text.Json.Serialization;

namespace PromoPilot.Models.Tests.Forecasting;

/// <summary>The fixture written by Fixtures/reference_ets.R (forecast::ets 8.20 on series shipped with R).</summary>
internal sealed record EtsReference(
    Dictionary<string, ReferenceSeries> Series,
    List<ReferenceFit> Fixed,
    Dictionary<string, ReferenceAuto> Auto,
    ReferenceCroston Croston)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString };

    public static EtsReference Instance { get; } = JsonSerializer.Deserialize<EtsReference>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference_ets.json")), Options)!;
}

internal sealed record ReferenceSeries(int Period, double[] Values);

internal sealed record ReferenceFit(
    string Series, string Type, int Period, double Alpha, double Beta, double Gamma, double Phi, double Level, double Slope, double[] Seasonal,
    double Loglik, double Aic, double Aicc, double Bic, double Sigma2, int Horizon, double[] Mean, double[] Lower80, double[] Upper80, double[] Lower95, double[] Upper95,
    double[] SimLower80, double[] SimUpper80, double[] SimLower95, double[] SimUpper95)
{
    public override string ToString() => $"{Series} {Type}";
}

internal sealed record ReferenceAuto(string Chosen, double Aicc, Dictionary<string, double> Candidates);

internal sealed record ReferenceCroston(double[] Values, double Alpha, double[] Mean);
