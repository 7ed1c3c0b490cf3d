using System.Globalization;
using System.Xml.Linq;
using PromoPilot.Server.Dashboard;

namespace PromoPilot.Server.Tests;

/// <summary>The one line-chart renderer: accessible name, colours, dashes, markers, axis titles, fixed range and marker line.</summary>
public sealed class ChartsTests
{
    private static string Format(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    [Fact]
    public void Lines_TwoSeries_IsWellFormedImgNamedByItsTitle()
    {
        var svg = Charts.Lines("Qini & friends", [new LineSeries("a", [(0, 0), (1, 2)]), new LineSeries("b", [(0, 0), (1, 1)], Dashed: true)], Format, Format);

        var root = XElement.Parse(svg);
        Assert.Equal("img", (string?)root.Attribute("role"));
        var title = root.Elements().First(e => e.Name.LocalName == "title");
        Assert.Equal((string?)root.Attribute("aria-labelledby"), (string?)title.Attribute("id"));
        Assert.Equal("Qini & friends", title.Value);
    }

    [Fact]
    public void Lines_ColoursDashesAndMarkers_AreDrawnAsAsked()
    {
        var svg = Charts.Lines("t", [
            new LineSeries("default", [(0, 1), (1, 2)]),
            new LineSeries("reference", [(0, 0), (1, 1)], Dashed: true, Colour: Charts.Grey),
            new LineSeries("dots", [(0, 0.5), (0.5, 0.7), (1, 0.9)], Markers: true, Colour: "#123456"),
        ], Format, Format);

        var paths = XElement.Parse(svg).Descendants().Where(e => e.Name.LocalName == "path").ToList();
        Assert.Equal(["default", "reference", "dots"], paths.Select(p => p.Value));
        Assert.Equal([Charts.Palette[0], Charts.Grey, "#123456"], paths.Select(p => (string?)p.Attribute("stroke")));
        Assert.Equal([false, true, false], paths.Select(p => p.Attribute("stroke-dasharray") is not null));
        var circles = XElement.Parse(svg).Descendants().Where(e => e.Name.LocalName == "circle").ToList();
        Assert.Equal(3, circles.Count);
        Assert.All(circles, c => Assert.Equal("#123456", (string?)c.Attribute("fill")));
        Assert.Equal("dots: 0.5, 0.7", circles[1].Value);
    }

    [Fact]
    public void Lines_AxisLabelsAndMarker_AppearOnlyWhenGiven()
    {
        LineSeries[] series = [new LineSeries("s", [(0, 1), (10, 3)])];
        var plain = Charts.Lines("t", series, Format, Format);
        var labelled = Charts.Lines("t", series, Format, Format, "days", "revenue", markerX: 4, markerLabel: "launch");
        var outside = Charts.Lines("t", series, Format, Format, markerX: 11, markerLabel: "launch");

        Assert.DoesNotContain(">days<", plain, StringComparison.Ordinal);
        Assert.DoesNotContain(">launch<", plain, StringComparison.Ordinal);
        Assert.Contains(">days<", labelled, StringComparison.Ordinal);
        Assert.Contains(">revenue<", labelled, StringComparison.Ordinal);
        Assert.Contains(">launch<", labelled, StringComparison.Ordinal);
        Assert.DoesNotContain(">launch<", outside, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "M80,240 L390,130")]
    [InlineData(false, "M80,240 L700,20")]
    public void Lines_FixedRange_PlacesPointsOnThatRangeElseOnTheData(bool fixedRange, string expected)
    {
        // The plot spans x 80..700 and y 240 (bottom) ..20 (top): with [0, 1] on both axes (0.5, 0.5) lands half-way
        // across and half-way up; without, the data's own range puts it in the top right corner.
        var svg = Charts.Lines("t", [new LineSeries("d", [(0, 0), (0.5, 0.5)])], Format, Format, fixedRange: fixedRange ? (0, 1) : null);

        var d = (string?)XElement.Parse(svg).Descendants().Single(e => e.Name.LocalName == "path").Attribute("d");
        Assert.Equal(expected, d);
    }

    [Fact]
    public void Lines_NoFinitePoint_ShowsANoteInsteadOfAChart()
    {
        var html = Charts.Lines("t", [new LineSeries("nan", [(double.NaN, 1)])], Format, Format);

        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.Contains("No data to chart.", html, StringComparison.Ordinal);
    }
}
