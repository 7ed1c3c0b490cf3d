using System.Globalization;
using System.IO.Compression;
using PromoPilot.Core.Customers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Features.Tests.Clv;

/// <summary>Reads ../shared/data/cdnow/cdnow_sample_summary.csv.gz (ID,x,t_x,T,zbar; weeks): tests read files, models never do.</summary>
internal static class CdnowSummaryFile
{
    public static string Path => SharedData.Path("cdnow", "cdnow_sample_summary.csv.gz");

    public static IReadOnlyList<RepeatPurchaseSummary> Read()
    {
        using var file = File.OpenRead(Path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var text = new StreamReader(gzip);
        var header = text.ReadLine()!.Split(',');
        Assert.Equal(["ID", "x", "t_x", "T", "zbar"], header);
        var rows = new List<RepeatPurchaseSummary>();
        while (text.ReadLine() is { Length: > 0 } line)
        {
            var f = line.Split(',');
            rows.Add(new RepeatPurchaseSummary(
                int.Parse(f[1], CultureInfo.InvariantCulture),
                double.Parse(f[2], CultureInfo.InvariantCulture),
                double.Parse(f[3], CultureInfo.InvariantCulture),
                double.Parse(f[4], CultureInfo.InvariantCulture)));
        }

        return rows;
    }
}
