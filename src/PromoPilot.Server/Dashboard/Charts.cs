using System.Globalization;
using System.Text;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Dashboard;

/// <summary>One line of a line chart: its name (in the legend), points in x order, and a dashed stroke for references.</summary>
internal sealed record LineSeries(string Name, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

/// <summary>
/// More server-rendered SVG charts beside <see cref="Svg"/>: lines (uplift and Qini curves, arms over time, sequential
/// boundaries) and a scatter coloured by group (segments on their principal components). Each is an <c>img</c> with a
/// title; colours come from a palette that keeps 3:1 against white for lines and marks, and every series is also named
/// in a legend.
/// </summary>
internal static class Charts
{
    private const int Width = 720;

    /// <summary>Line and mark colours, each at least 3:1 against white.</summary>
    public static readonly string[] Palette = ["#0a58ca", "#b35900", "#117733", "#882255", "#4a5360", "#332288", "#8a6d00", "#a40e26"];

    /// <summary>Lines over a shared x axis, with an optional vertical marker (a launch) and horizontal zero line when y spans it.</summary>
    public static string Lines(string title, IReadOnlyList<LineSeries> series, Func<double, string> formatX, Func<double, string> formatY, double? markerX = null, string? markerLabel = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (points.Count == 0)
        {
            return Note("No data to chart.");
        }

        const int height = 300, left = 80, right = 20, top = 20, bottom = 60;
        var (minX, maxX) = (points.Min(p => p.X), points.Max(p => p.X));
        var (minY, maxY) = (Math.Min(0, points.Min(p => p.Y)), Math.Max(0, points.Max(p => p.Y)));
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
        var svg = Open(title, height);
        for (var t = 0; t <= 4; t++)
        {
            var v = minY + (maxY - minY) * t / 4;
            svg.Append(Invariant, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" stroke=\"#d0d7de\"/><text x=\"{left - 6}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\">{E(formatY(v))}</text>");
            var x = minX + (maxX - minX) * t / 4;
            svg.Append(Invariant, $"<text x=\"{F(X(x))}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\">{E(formatX(x))}</text>");
        }

        svg.Append(Invariant, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{F(Y(0))}\" y2=\"{F(Y(0))}\" stroke=\"#6e7781\"/>");
        if (markerX is { } m && m >= minX && m <= maxX)
        {
            svg.Append(Invariant, $"<line x1=\"{F(X(m))}\" x2=\"{F(X(m))}\" y1=\"{top}\" y2=\"{top + plotHeight}\" stroke=\"#a40e26\" stroke-dasharray=\"5 3\"/><text x=\"{F(X(m) + 4)}\" y=\"{top + 12}\">{E(markerLabel)}</text>");
        }

        for (var i = 0; i < series.Count; i++)
        {
            var colour = Palette[i % Palette.Length];
            var path = string.Join(' ', series[i].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).Select((p, j) => $"{(j == 0 ? 'M' : 'L')}{F(X(p.X))},{F(Y(p.Y))}"));
            svg.Append(Invariant, $"<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(series[i].Dashed ? " stroke-dasharray=\"6 4\"" : "")}><title>{E(series[i].Name)}</title></path>");
        }

        Legend(svg, [.. series.Select(s => s.Name)], height - 22);
        return Close(svg);
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
        var svg = Open(title, height);
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

        Legend(svg, groups, height - 26);
        return Close(svg);
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<string> names, int y)
    {
        var x = 60.0;
        for (var i = 0; i < names.Count; i++)
        {
            var label = names[i].Length > 28 ? names[i][..27] + "…" : names[i];
            svg.Append(Invariant, $"<rect x=\"{F(x)}\" y=\"{y - 9}\" width=\"12\" height=\"12\" fill=\"{Palette[i % Palette.Length]}\"/><text x=\"{F(x + 16)}\" y=\"{y + 1}\">{E(label)}</text>");
            x += 30 + (label.Length * 6.5);
            if (x > Width - 120 && i < names.Count - 1)
            {
                x = 60;
                y += 16;
            }
        }
    }

    private static StringBuilder Open(string title, int height)
    {
        var id = "g" + Convert.ToHexStringLower(BitConverter.GetBytes(title.GetHashCode(StringComparison.Ordinal)));
        return new StringBuilder(16384).Append(Invariant,
            $"<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}\" viewBox=\"0 0 {Width} {height + 20}\" width=\"{Width}\" height=\"{height + 20}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}\">{E(title)}</title>");
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
