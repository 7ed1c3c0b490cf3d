using System.Globalization;
using System.Text;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Dashboard;

/// <summary>One line of a line chart: its name (legend), colour, and points in x order.</summary>
internal sealed record ChartLine(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false, bool Markers = false);

/// <summary>
/// Server-rendered SVG line charts (calibration plots, Qini curves, series over time) in the style of
/// <see cref="Svg"/>: an <c>img</c> role with a title, axes with four ticks, a legend; the numbers also go in a table beside it.
/// </summary>
internal static class SvgLines
{
    public const string Blue = "#0a58ca";
    public const string Orange = "#b35900";
    public const string Grey = "#6e7781";
    public const string Green = "#116329";

    private const int Width = 720;

    /// <summary>Lines over a shared x and y range (a range of at least the given minimums, e.g. [0, 1] for a calibration plot).</summary>
    public static string Lines(
        string title, IReadOnlyList<ChartLine> series, Func<double, string> formatX, Func<double, string> formatY,
        string xLabel, string yLabel, (double Min, double Max)? fixedRange = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (points.Count == 0)
        {
            return Note("No data to chart.");
        }

        const int height = 320, left = 70, right = 20, top = 20, bottom = 70;
        var (minX, maxX) = fixedRange ?? (points.Min(p => p.X), points.Max(p => p.X));
        var (minY, maxY) = fixedRange ?? (Math.Min(0, points.Min(p => p.Y)), points.Max(p => p.Y));
        if (maxX <= minX)
        {
            maxX = minX + 1;
        }

        if (maxY <= minY)
        {
            maxY = minY + 1;
        }

        var plotWidth = Width - left - right;
        var plotHeight = height - top - bottom;
        double X(double v) => left + (v - minX) / (maxX - minX) * plotWidth;
        double Y(double v) => top + (maxY - v) / (maxY - minY) * plotHeight;
        var id = "l" + Convert.ToHexStringLower(BitConverter.GetBytes(title.GetHashCode(StringComparison.Ordinal)));
        var svg = new StringBuilder(8192).Append(Invariant,
            $"<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\"><title id=\"{id}\">{E(title)}</title>");
        for (var t = 0; t <= 4; t++)
        {
            var vy = minY + (maxY - minY) * t / 4;
            var vx = minX + (maxX - minX) * t / 4;
            svg.Append(Invariant, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{F(Y(vy))}\" y2=\"{F(Y(vy))}\" stroke=\"#d0d7de\"/>");
            svg.Append(Invariant, $"<text x=\"{left - 6}\" y=\"{F(Y(vy) + 4)}\" text-anchor=\"end\">{E(formatY(vy))}</text>");
            svg.Append(Invariant, $"<text x=\"{F(X(vx))}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\">{E(formatX(vx))}</text>");
        }

        svg.Append(Invariant, $"<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{top + plotHeight}\" stroke=\"{Grey}\"/>");
        svg.Append(Invariant, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{top + plotHeight}\" y2=\"{top + plotHeight}\" stroke=\"{Grey}\"/>");
        svg.Append(Invariant, $"<text x=\"{left + plotWidth / 2}\" y=\"{top + plotHeight + 34}\" text-anchor=\"middle\">{E(xLabel)}</text>");
        svg.Append(Invariant, $"<text x=\"14\" y=\"{top + plotHeight / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {top + plotHeight / 2})\">{E(yLabel)}</text>");
        foreach (var s in series)
        {
            var visible = s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            if (visible.Count == 0)
            {
                continue;
            }

            var path = string.Join(" ", visible.Select(p => $"{F(X(p.X))},{F(Y(p.Y))}"));
            svg.Append(Invariant, $"<polyline points=\"{path}\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"5 4\"" : "")}><title>{E(s.Name)}</title></polyline>");
            if (s.Markers)
            {
                foreach (var p in visible)
                {
                    svg.Append(Invariant, $"<circle cx=\"{F(X(p.X))}\" cy=\"{F(Y(p.Y))}\" r=\"4\" fill=\"{s.Colour}\"><title>{E(s.Name)}: {E(formatX(p.X))}, {E(formatY(p.Y))}</title></circle>");
                }
            }
        }

        var legendX = left;
        foreach (var s in series)
        {
            svg.Append(Invariant, $"<line x1=\"{legendX}\" x2=\"{legendX + 20}\" y1=\"{height - 14}\" y2=\"{height - 14}\" stroke=\"{s.Colour}\" stroke-width=\"3\"{(s.Dashed ? " stroke-dasharray=\"5 4\"" : "")}/>");
            svg.Append(Invariant, $"<text x=\"{legendX + 26}\" y=\"{height - 10}\">{E(s.Name)}</text>");
            legendX += 40 + (int)(s.Name.Length * 6.5);
        }

        return svg.Append("</svg>").ToString();
    }

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
