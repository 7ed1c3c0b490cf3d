using System.Globalization;
using System.Text;
using PromoPilot.Models.Forecasting;

namespace PromoPilot.Cli.Forecasting;

/// <summary>
/// `forecast eval --dump-models FILE`: each series' automatic ETS fit on its first origin's training part (all but the
/// last <c>heldOut</c> weeks), with the AICc and log-likelihood of every candidate type fitted alone, in the columns of
/// bench/forecast/ets_models.R, so a per-series comparison with forecast::ets is a join on store and brand.
/// </summary>
internal static class EtsModelDump
{
    private static readonly string[] Types = ["ANN", "AAN", "AAdN", "MNN", "MAN", "MAdN"];

    public static void Write(string path, IReadOnlyList<OjSeries> series, int heldOut)
    {
        var options = new EtsOptions { Period = 1 };
        var text = new StringBuilder("store,brand,n,model,alpha,beta,phi,l,b,loglik,aicc");
        foreach (var t in Types)
        {
            text.Append(CultureInfo.InvariantCulture, $",aicc_{t},loglik_{t}");
        }

        text.AppendLine();
        foreach (var s in series)
        {
            var n = s.Units.Length - heldOut;
            if (n < 5)
            {
                continue;
            }

            var train = s.Units.AsSpan(0, n);
            var model = Ets.Fit(train, options);
            var p = model.Parameters;
            text.Append(CultureInfo.InvariantCulture, $"{s.Store},{s.Brand},{n},{model.Type},{p.Alpha:R},{(model.Type.HasTrend ? p.Beta.ToString("R", CultureInfo.InvariantCulture) : "NA")},{(model.Type.IsDamped ? p.Phi.ToString("R", CultureInfo.InvariantCulture) : "NA")},{p.Level:R},{(model.Type.HasTrend ? p.Slope.ToString("R", CultureInfo.InvariantCulture) : "NA")},{model.LogLikelihood:R},{model.Aicc:R}");
            foreach (var t in Types)
            {
                try
                {
                    var one = Ets.Fit(train, options with { Type = EtsType.Parse(t) });
                    text.Append(CultureInfo.InvariantCulture, $",{one.Aicc:R},{one.LogLikelihood:R}");
                }
                catch (ArgumentException)
                {
                    text.Append(",NA,NA");
                }
            }

            text.AppendLine();
        }

        File.WriteAllText(path, text.ToString());
    }
}
