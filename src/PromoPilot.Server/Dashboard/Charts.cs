using System.Globalization;
using System.Text;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Dashboard;

/// <summary>
/// One line of a line chart: its name (legend and tooltip), points in x order, a dashed stroke (references such as
/// random targeting or perfect calibration), a dot with a tooltip at each point, and its colour (null: the
/// <see cref="Charts.Palette"/> colour of its position).
/// </summary>
internal sealed record LineSeries(string Name, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false, bool Markers = false, string? Colour = null);

/// <summary>
/// More server-rendered SVG charts beside <see cref="Svg"/>: lines (uplift, Qini and calibration curves, arms over time,
/// sequential boundaries) and a scatter coloured by group (segments on their principal components). Each is an
/// <c>img</c> with a title; colours come from a palette that keeps 3:1 against white for lines and marks, and every
/// series is also named in a legend.
/// </summary>
internal static class Charts
{
    public const string Blue = "#0a58ca";
    public const string Orange = "#b35900";
    public const string Grey = "#6e7781";

    private const int Width = 720;

    /// <summary>Line and mark colours, each at least 3:1 against white.</summary>
    public static readonly string[] Palette = [Blue, Orange, "#117733", "#882255", "#4a5360", "#332288", "#8a6d00", "#a40e26"];

    /// <summary>
    /// Lines over a shared x axis: four ticks on each axis, axis titles when given, a zero line when y crosses zero, an
    /// optional vertical marker (a launch) with its label, and a legend that shows each line's colour and dash.
    /// </summary>
    /// <param name="title">The chart's accessible name.</param>
    /// <param name="series">The lines, drawn in order.</param>
    /// <param name="formatX">Formats x tick labels (and marker tooltips).</param>
    /// <param name="formatY">Formats y tick labels (and marker tooltips).</param>
    /// <param name="xLabel">Title of the x axis, if any.</param>
    /// <param name="yLabel">Title of the y axis, if any.</param>
    /// <param name="fixedRange">One range for both axes (e.g. [0, 1] for a calibration plot); null: x spans the data and y spans the data and zero.</param>
    /// <param name="markerX">Where to draw a vertical dashed marker line (ignored outside the x range).</param>
    /// <param name="markerLabel">The marker's label.</param>
    public static string Lines(
        string title, IReadOnlyList<LineSeries> series, Func<double, string> formatX, Func<double, string> formatY,
        string? xLabel = null, string? yLabel = null, (double Min, double Max)? fixedRange = null, double? markerX = null, string? markerLabel = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(formatX);
        ArgumentNullException.ThrowIfNull(formatY);
        static bool Finite((double X, double Y) p) => double.IsFinite(p.X) && double.IsFinite(p.Y);
        var points = series.SelectMany(s => s.Points).Where(Finite).ToList();
        if (points.Count == 0)
        {
            return Note("No data to chart.");
        }

        const int left = 80, right = 20, top = 20, plotHeight = 220;
        var (minX, maxX) = fixedRange ?? (points.Min(p => p.X), points.Max(p => p.X));
        var (minY, maxY) = fixedRange ?? (Math.Min(0, points.Min(p => p.Y)), Math.Max(0, points.Max(p => p.Y)));
        if (maxX <= minX)
        {
            maxX = minX + 1;
        }

        if (maxY <= minY)
        {
            maxY = minY + 1;
        }

        var plotWidth = Width - left - right;
        var bottom = top + plotHeight;
        double X(double v) => left + (v - minX) / (maxX - minX) * plotWidth;
        double Y(double v) => top + (maxY - v) / (maxY - minY) * plotHeight;
        string Colour(int i) => series[i].Colour ?? Palette[i % Palette.Length];
        string Dash(int i) => series[i].Dashed ? " stroke-dasharray=\"6 4\"" : "";

        var legend = LegendLayout([.. series.Select(s => s.Name)], left, bottom + (xLabel is null ? 38 : 56), 26);
        var svg = Svg.Open(title, legend[^1].Y + 14, "g");
        for (var t = 0; t <= 4; t++)
        {
            var vy = minY + (maxY - minY) * t / 4;
            var vx = minX + (maxX - minX) * t / 4;
            svg.Append(Invariant, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{F(Y(vy))}\" y2=\"{F(Y(vy))}\" stroke=\"#d0d7de\"/><text x=\"{left - 6}\" y=\"{F(Y(vy) + 4)}\" text-anchor=\"end\">{E(formatY(vy))}</text>");
            svg.Append(Invariant, $"<text x=\"{F(X(vx))}\" y=\"{bottom + 16}\" text-anchor=\"middle\">{E(formatX(vx))}</text>");
        }

        svg.Append(Invariant, $"<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{bottom}\" stroke=\"{Grey}\"/><line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{bottom}\" y2=\"{bottom}\" stroke=\"{Grey}\"/>");
        if (minY < 0 && maxY >= 0)
        {
            svg.Append(Invariant, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{F(Y(0))}\" y2=\"{F(Y(0))}\" stroke=\"{Grey}\"/>");
        }

        if (xLabel is not null)
        {
            svg.Append(Invariant, $"<text x=\"{left + plotWidth / 2}\" y=\"{bottom + 34}\" text-anchor=\"middle\">{E(xLabel)}</text>");
        }

        if (yLabel is not null)
        {
            svg.Append(Invariant, $"<text x=\"14\" y=\"{top + plotHeight / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {top + plotHeight / 2})\">{E(yLabel)}</text>");
        }

        if (markerX is { } m && m >= minX && m <= maxX)
        {
            svg.Append(Invariant, $"<line x1=\"{F(X(m))}\" x2=\"{F(X(m))}\" y1=\"{top}\" y2=\"{bottom}\" stroke=\"#a40e26\" stroke-dasharray=\"5 3\"/><text x=\"{F(X(m) + 4)}\" y=\"{top + 12}\">{E(markerLabel)}</text>");
        }

        for (var i = 0; i < series.Count; i++)
        {
            var visible = series[i].Points.Where(Finite).ToList();
            if (visible.Count == 0)
            {
                continue;
            }

            var path = string.Join(' ', visible.Select((p, j) => $"{(j == 0 ? 'M' : 'L')}{F(X(p.X))},{F(Y(p.Y))}"));
            svg.Append(Invariant, $"<path d=\"{path}\" fill=\"none\" stroke=\"{Colour(i)}\" stroke-width=\"2\"{Dash(i)}><title>{E(series[i].Name)}</title></path>");
            if (series[i].Markers)
            {
                foreach (var p in visible)
                {
                    svg.Append(Invariant, $"<circle cx=\"{F(X(p.X))}\" cy=\"{F(Y(p.Y))}\" r=\"4\" fill=\"{Colour(i)}\"><title>{E(series[i].Name)}: {E(formatX(p.X))}, {E(formatY(p.Y))}</title></circle>");
                }
            }
        }

        for (var i = 0; i < series.Count; i++)
        {
            var (x, y, label) = legend[i];
            svg.Append(Invariant, $"<line x1=\"{F(x)}\" x2=\"{F(x + 20)}\" y1=\"{y - 4}\" y2=\"{y - 4}\" stroke=\"{Colour(i)}\" stroke-width=\"3\"{Dash(i)}/><text x=\"{F(x + 26)}\" y=\"{y}\">{E(label)}</text>");
        }

        return Svg.Close(svg);
    }

    /// <summary>Points coloured by group (at most <see cref="Palette"/>'s length distinct colours, then repeated).</summary>
    public static string Scatter(string title, IReadOnlyList<(double X, double Y, int Group)> points, IReadOnlyList<string> groups, string xLabel, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(groups);
        if (points.Count == 0)
        {
            return Note("No data to chart.");
        }

        const int height = 420, left = 50, right = 20, top = 20, bottom = 70;

        // Robust limits: the 1st to 99th percentiles, so a few outliers do not squeeze everyone into a corner.
        static (double Low, double High) Limits(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            var low = sorted[(int)Math.Floor(0.01 * (sorted.Length - 1))];
            var high = sorted[(int)Math.Ceiling(0.99 * (sorted.Length - 1))];
            var pad = high > low ? (high - low) * 0.05 : 1;
            return (low - pad, high + pad);
        }

        var (minX, maxX) = Limits(points.Select(p => p.X));
        var (minY, maxY) = Limits(points.Select(p => p.Y));
        var plotWidth = Width - left - right;
        var plotHeight = height - top - bottom;
        double X(double v) => left + (Math.Clamp(v, minX, maxX) - minX) / (maxX - minX) * plotWidth;
        double Y(double v) => top + (maxY - Math.Clamp(v, minY, maxY)) / (maxY - minY) * plotHeight;
        var svg = Svg.Open(title, height + 20, "g");
        svg.Append(Invariant, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#d0d7de\"/>");
        svg.Append(Invariant, $"<text x=\"{left + plotWidth / 2}\" y=\"{top + plotHeight + 18}\" text-anchor=\"middle\">{E(xLabel)}</text>");
        svg.Append(Invariant, $"<text x=\"14\" y=\"{top + plotHeight / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {top + plotHeight / 2})\">{E(yLabel)}</text>");
        foreach (var group in points.GroupBy(p => p.Group).OrderBy(g => g.Key))
        {
            svg.Append(Invariant, $"<g fill=\"{Palette[group.Key % Palette.Length]}\" fill-opacity=\"0.7\">");
            foreach (var p in group)
            {
                svg.Append(Invariant, $"<circle cx=\"{F(X(p.X))}\" cy=\"{F(Y(p.Y))}\" r=\"2.5\"/>");
            }

            svg.Append("</g>");
        }

        var legend = LegendLayout(groups, 60, height - 26, 16);
        for (var i = 0; i < legend.Count; i++)
        {
            var (x, y, label) = legend[i];
            svg.Append(Invariant, $"<rect x=\"{F(x)}\" y=\"{y - 9}\" width=\"12\" height=\"12\" fill=\"{Palette[i % Palette.Length]}\"/><text x=\"{F(x + 16)}\" y=\"{y + 1}\">{E(label)}</text>");
        }

        return Svg.Close(svg);
    }

    /// <summary>Where each legend entry goes (its label cut to 28 characters, after a swatch of <paramref name="swatch"/> pixels), wrapping to a new row of 16 pixels near the right edge.</summary>
    private static List<(double X, int Y, string Label)> LegendLayout(IReadOnlyList<string> names, double start, int y, double swatch)
    {
        var entries = new List<(double X, int Y, string Label)>(names.Count);
        var x = start;
        for (var i = 0; i < names.Count; i++)
        {
            var label = names[i].Length > 28 ? names[i][..27] + "…" : names[i];
            entries.Add((x, y, label));
            x += swatch + 14 + (label.Length * 6.5);
            if (x > Width - 120 && i < names.Count - 1)
            {
                x = start;
                y += 16;
            }
        }

        return entries;
    }

    private static string F(double v) => Svg.F(v);
}
