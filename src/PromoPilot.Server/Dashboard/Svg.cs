using System.Globalization;
using System.Text;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Dashboard;

/// <summary>One row of an interval chart: a point estimate with its interval (null bounds: no interval).</summary>
internal sealed record IntervalRow(string Label, double Value, double? Low, double? High, string Series);

/// <summary>
/// Server-rendered SVG charts (no JavaScript): vertical bars, a histogram and an interval (forest) chart. Each is an
/// <c>img</c> role with a title naming what it shows; the numbers are also in a table beside it.
/// </summary>
internal static class Svg
{
    private const int Width = 720;
    private const string Blue = Charts.Blue;
    private const string Orange = Charts.Orange;

    /// <summary>Vertical bars, one per label.</summary>
    public static string Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, Func<double, string> format)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        if (labels.Count == 0)
        {
            return Note("No data to chart.");
        }

        const int height = 260, left = 70, bottom = 50, top = 20;
        var max = Math.Max(values.Max(), 0);
        var min = Math.Min(values.Min(), 0);
        var span = max - min > 0 ? max - min : 1;
        var plotWidth = Width - left - 10;
        var plotHeight = height - top - bottom;
        var step = plotWidth / (double)labels.Count;
        var svg = Open(title, height);
        double Y(double v) => top + (max - v) / span * plotHeight;
        Axis(svg, left, top, plotHeight, plotWidth, min, max, Y, format);
        var labelEvery = Math.Max(1, (int)Math.Ceiling(labels.Count / 12.0));
        for (var i = 0; i < labels.Count; i++)
        {
            var x = left + i * step + step * 0.1;
            var y0 = Y(Math.Max(values[i], 0));
            var h = Math.Abs(Y(values[i]) - Y(0));
            svg.Append(Invariant, $"<rect x=\"{F(x)}\" y=\"{F(y0)}\" width=\"{F(step * 0.8)}\" height=\"{F(h)}\" fill=\"{Blue}\"><title>{E(labels[i])}: {E(format(values[i]))}</title></rect>");
            if (i % labelEvery == 0)
            {
                svg.Append(Invariant, $"<text x=\"{F(x + step * 0.4)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{E(labels[i])}</text>");
            }
        }

        return Close(svg);
    }

    /// <summary>A histogram of <paramref name="values"/> in <paramref name="bins"/> equal bins between the 0th and 99th percentiles (the rest in the last bin).</summary>
    public static string Histogram(string title, IReadOnlyList<double> values, int bins, Func<double, string> format)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return Note("No data to chart.");
        }

        var sorted = values.Order().ToArray();
        var lo = sorted[0];
        var hi = sorted[(int)Math.Floor(0.99 * (sorted.Length - 1))];
        if (hi <= lo)
        {
            hi = sorted[^1] > lo ? sorted[^1] : lo + 1;
        }

        var counts = new double[bins];
        foreach (var v in sorted)
        {
            counts[Math.Clamp((int)((v - lo) / (hi - lo) * bins), 0, bins - 1)]++;
        }

        var width = (hi - lo) / bins;
        var labels = Enumerable.Range(0, bins).Select(b => format(lo + b * width)).ToList();
        labels[^1] = "≥" + labels[^1];
        return Bars(title, labels, counts, c => N(c));
    }

    /// <summary>Intervals per row (measured and forecast side by side), with a zero line.</summary>
    public static string Intervals(string title, IReadOnlyList<IntervalRow> rows, Func<double, string> format)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return Note("No data to chart.");
        }

        const int left = 260, rowHeight = 26, top = 20;
        var height = top + rows.Count * rowHeight + 40;
        var all = rows.SelectMany(r => new[] { r.Value, r.Low ?? r.Value, r.High ?? r.Value, 0 }).ToArray();
        var min = all.Min();
        var max = all.Max();
        var span = max - min > 0 ? max - min : 1;
        min -= span * 0.05;
        max += span * 0.05;
        span = max - min;
        var plotWidth = Width - left - 20;
        double X(double v) => left + (v - min) / span * plotWidth;
        var svg = Open(title, height);
        svg.Append(Invariant, $"<line x1=\"{F(X(0))}\" x2=\"{F(X(0))}\" y1=\"{top - 5}\" y2=\"{height - 35}\" stroke=\"#6e7781\" stroke-dasharray=\"4 3\"/>");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var y = top + i * rowHeight + rowHeight / 2.0;
            var colour = r.Series == "forecast" ? Orange : Blue;
            var label = r.Label.Length > 38 ? r.Label[..37] + "…" : r.Label;
            svg.Append(Invariant, $"<text x=\"{left - 8}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{E(label)}</text>");
            if (r.Low is { } low && r.High is { } high)
            {
                svg.Append(Invariant, $"<line x1=\"{F(X(low))}\" x2=\"{F(X(high))}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"{colour}\" stroke-width=\"3\"/>");
            }

            svg.Append(Invariant, $"<circle cx=\"{F(X(r.Value))}\" cy=\"{F(y)}\" r=\"5\" fill=\"{colour}\"><title>{E(r.Label)}: {E(format(r.Value))}{(r.Low is { } l && r.High is { } h ? $" [{E(format(l))}, {E(format(h))}]" : "")}</title></circle>");
        }

        svg.Append(Invariant, $"<text x=\"{F(X(min))}\" y=\"{height - 15}\">{E(format(min))}</text><text x=\"{F(X(max))}\" y=\"{height - 15}\" text-anchor=\"end\">{E(format(max))}</text>");
        var legend = left + plotWidth - 170;
        svg.Append(Invariant, $"<circle cx=\"{legend}\" cy=\"{height - 30}\" r=\"4\" fill=\"{Blue}\"/><text x=\"{legend + 8}\" y=\"{height - 26}\">measured</text>");
        svg.Append(Invariant, $"<circle cx=\"{legend + 90}\" cy=\"{height - 30}\" r=\"4\" fill=\"{Orange}\"/><text x=\"{legend + 98}\" y=\"{height - 26}\">forecast</text>");
        return Close(svg);
    }

    private static void Axis(StringBuilder svg, int left, int top, int plotHeight, int plotWidth, double min, double max, Func<double, double> y, Func<double, string> format)
    {
        for (var t = 0; t <= 4; t++)
        {
            var v = min + (max - min) * t / 4;
            svg.Append(Invariant, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{F(y(v))}\" y2=\"{F(y(v))}\" stroke=\"#d0d7de\"/>");
            svg.Append(Invariant, $"<text x=\"{left - 6}\" y=\"{F(y(v) + 4)}\" text-anchor=\"end\">{E(format(v))}</text>");
        }

        svg.Append(Invariant, $"<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{top + plotHeight}\" stroke=\"#6e7781\"/>");
    }

    /// <summary>Starts a chart: an <c>img</c> of the dashboard's width named by its title (the id is <paramref name="idPrefix"/> and a hash of the title).</summary>
    internal static StringBuilder Open(string title, int height, string idPrefix = "c")
    {
        var id = idPrefix + Convert.ToHexStringLower(BitConverter.GetBytes(title.GetHashCode(StringComparison.Ordinal)));
        return new StringBuilder(8192).Append(Invariant,
            $"<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}\">{E(title)}</title>");
    }

    internal static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    /// <summary>A coordinate with at most one decimal.</summary>
    internal static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
