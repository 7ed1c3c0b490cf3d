using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Tests.Reading;

public class DateParsingTests
{
    private const string Seed = "(1234567890,987654321)";

    public static TheoryData<string, DateTime> IsoForms => new()
    {
        { "2021-03-04", new DateTime(2021, 3, 4) },
        { "2021-03-04 05:06", new DateTime(2021, 3, 4, 5, 6, 0) },
        { "2021-03-04 05:06:07", new DateTime(2021, 3, 4, 5, 6, 7) },
        { "2021-03-04T05:06:07", new DateTime(2021, 3, 4, 5, 6, 7) },
        { "2021-03-04T05:06", new DateTime(2021, 3, 4, 5, 6, 0) },
        { "2021-03-04 05:06:07.1", new DateTime(2021, 3, 4, 5, 6, 7).AddTicks(1_000_000) },
        { "2021-03-04 05:06:07.123", new DateTime(2021, 3, 4, 5, 6, 7, 123) },
        { "2021-03-04T05:06:07.1234567", new DateTime(2021, 3, 4, 5, 6, 7).AddTicks(1_234_567) },
        { "2021-03-04 05:06:07.0000001", new DateTime(2021, 3, 4, 5, 6, 7).AddTicks(1) },
        { "2020-02-29 23:59:59", new DateTime(2020, 2, 29, 23, 59, 59) },
        { "2000-02-29", new DateTime(2000, 2, 29) },
        { "0001-01-01", DateTime.MinValue },
        { "9999-12-31 23:59:59.9999999", DateTime.MaxValue },
    };

    [Theory]
    [MemberData(nameof(IsoForms))]
    public void TryParseIso_IsoForms_GiveTheDateAndTime(string text, DateTime expected)
    {
        Assert.True(DateParsing.TryParseIso(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
        Assert.Equal(DateTimeKind.Unspecified, value.Kind);

        Assert.True(DateParsing.TryParse(Encoding.ASCII.GetBytes(text), null, out var viaTryParse));
        Assert.Equal(expected, viaTryParse);
    }

    [Theory]
    [InlineData("2021-02-29")]
    [InlineData("1900-02-29")]
    [InlineData("2021-04-31")]
    [InlineData("2021-13-01")]
    [InlineData("2021-00-10")]
    [InlineData("2021-01-00")]
    [InlineData("0000-01-01")]
    [InlineData("2021-03-04 24:00")]
    [InlineData("2021-03-04 23:60")]
    [InlineData("2021-03-04 23:59:60")]
    [InlineData("2021-1-5")]
    [InlineData("2021-01-5")]
    [InlineData("21-01-05")]
    [InlineData("2021/01/05")]
    [InlineData("2021-01-05 5:06")]
    [InlineData("2021-01-05 05:6")]
    [InlineData("2021-01-05 05:06:7")]
    [InlineData("2021-01-05x05:06")]
    [InlineData("2021-01-05 ")]
    [InlineData("2021-01-05 05:06:")]
    [InlineData("2021-01-05 05:06:07.")]
    [InlineData("2021-01-05 05:06:07.12345678")]
    [InlineData("2021-01-05 05:06:07,5")]
    [InlineData("2021-01-05 05:06:07Z")]
    [InlineData("2021-01-05T05:06:07+01:00")]
    [InlineData("2021-01-0a")]
    [InlineData("+021-01-05")]
    [InlineData("")]
    [InlineData("2021-01-05 05:06:07.1x")]
    public void TryParseIso_InvalidOrNonIsoText_IsRejected(string text)
    {
        Assert.False(DateParsing.TryParseIso(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(default, value);
    }

    [Theory]
    [InlineData("05/01/2021 13:45", "dd/MM/yyyy HH:mm", 2021, 1, 5, 13, 45)]
    [InlineData("20210105", "yyyyMMdd", 2021, 1, 5, 0, 0)]
    [InlineData("1/5/2021 1:45 PM", "M/d/yyyy h:mm tt", 2021, 1, 5, 13, 45)]
    [InlineData(" 05/01/2021 13:45 ", "dd/MM/yyyy HH:mm", 2021, 1, 5, 13, 45)]
    public void TryParse_ExplicitFormat_ParsesWithInvariantCulture(string text, string format, int year, int month, int day, int hour, int minute)
    {
        Assert.True(DateParsing.TryParse(Encoding.UTF8.GetBytes(text), [format], out var value));
        Assert.Equal(new DateTime(year, month, day, hour, minute, 0), value);
    }

    [Theory]
    [InlineData("31/02/2021 10:00", "dd/MM/yyyy HH:mm")]
    [InlineData("2021-01-05", "dd/MM/yyyy HH:mm")]
    [InlineData("20210229", "yyyyMMdd")]
    [InlineData("2021010", "yyyyMMdd")]
    public void TryParse_TextNotInTheFormat_IsRejected(string text, string format) =>
        Assert.False(DateParsing.TryParse(Encoding.UTF8.GetBytes(text), [format], out _));

    [Fact]
    public void TryParse_SeveralFormats_TriesEachInTurnIncludingIso()
    {
        string[] formats = ["yyyyMMdd", "iso", "dd/MM/yyyy HH:mm"];

        Assert.True(DateParsing.TryParse("20210105"u8, formats, out var compact));
        Assert.Equal(new DateTime(2021, 1, 5), compact);
        Assert.True(DateParsing.TryParse("2021-01-05T07:08:09.5"u8, formats, out var iso));
        Assert.Equal(new DateTime(2021, 1, 5, 7, 8, 9, 500), iso);
        Assert.True(DateParsing.TryParse("05/01/2021 13:45"u8, formats, out var european));
        Assert.Equal(new DateTime(2021, 1, 5, 13, 45, 0), european);
        Assert.False(DateParsing.TryParse("2021-02-29"u8, formats, out _));
    }

    [Fact]
    public void TryParse_ExplicitFormatsAndOverlongText_IsRejectedWithoutThrowing() =>
        Assert.False(DateParsing.TryParse(Encoding.ASCII.GetBytes(new string('1', 65)), ["yyyyMMdd"], out _));

    [Fact]
    public void TryParse_NoFormats_UsesIsoOnly()
    {
        Assert.True(DateParsing.TryParse("2021-01-05"u8, [], out var value));
        Assert.Equal(new DateTime(2021, 1, 5), value);
        Assert.False(DateParsing.TryParse("20210105"u8, [], out _));
    }

    [Property(MaxTest = 300, Replay = Seed, QuietOnSuccess = true)]
    public Property TryParseIso_AnySecondPrecisionTime_RoundTripsItsIsoText() =>
        Prop.ForAll(Times(), time =>
        {
            var text = time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            return DateParsing.TryParseIso(Encoding.ASCII.GetBytes(text), out var value) && value == time;
        });

    [Property(MaxTest = 300, Replay = Seed, QuietOnSuccess = true)]
    public Property TryParseIso_AnyTimeWithSevenDigitFraction_RoundTripsItsTicks() =>
        Prop.ForAll(Times().Zip(Gen.Choose(0, 9_999_999).ToArbitrary()), pair =>
        {
            var time = pair.Item1.AddTicks(pair.Item2);
            var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
            return DateParsing.TryParseIso(Encoding.ASCII.GetBytes(text), out var value) && value == time;
        });

    /// <summary>Times to the second from 1900-01-01 through 2100-12-31 23:59:59.</summary>
    private static Arbitrary<DateTime> Times()
    {
        var first = new DateTime(1900, 1, 1);
        var days = (int)(new DateTime(2101, 1, 1) - first).TotalDays;
        return (from day in Gen.Choose(0, days - 1)
                from second in Gen.Choose(0, 86_399)
                select first.AddDays(day).AddSeconds(second)).ToArbitrary();
    }
}
