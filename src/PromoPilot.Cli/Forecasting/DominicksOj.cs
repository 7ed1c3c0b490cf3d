using System.Globalization;
using System.IO.Compression;

namespace PromoPilot.Cli.Forecasting;

/// <summary>One store × brand weekly series of Dominick's orange juice (bayesm orangeJuice): units = exp(logmove).</summary>
internal sealed record OjSeries(int Store, int Brand, int FirstWeek, double[] Units);

/// <summary>
/// Reads oj_yx.csv(.gz) of ../shared/data/dominicks_oj (the host reads files; models get arrays). The protocol of issue
/// 10: store × brand weekly unit series whose last 52 weeks have no gap; each series is its gap-free tail.
/// </summary>
internal static class DominicksOj
{
    public const int RequiredTail = 52;

    public static IReadOnlyList<OjSeries> ReadEligible(string input)
    {
        var path = new[] { Path.Combine(input, "oj_yx.csv.gz"), Path.Combine(input, "oj_yx.csv"), input }
            .FirstOrDefault(File.Exists) ?? throw new FileNotFoundException($"{input}: no oj_yx.csv(.gz) here (see ../shared/data/dominicks_oj/README.md).");
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var header = (reader.ReadLine() ?? throw new InvalidDataException($"{path}: empty file.")).Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"{path}: no column '{name}'.");
        var (cStore, cBrand, cWeek, cMove) = (Col("store"), Col("brand"), Col("week"), Col("logmove"));
        var weeks = new Dictionary<(int Store, int Brand), SortedDictionary<int, double>>();
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(',');
            var key = (int.Parse(f[cStore], CultureInfo.InvariantCulture), int.Parse(f[cBrand], CultureInfo.InvariantCulture));
            if (!weeks.TryGetValue(key, out var series))
            {
                weeks[key] = series = [];
            }

            series[int.Parse(f[cWeek], CultureInfo.InvariantCulture)] = Math.Exp(double.Parse(f[cMove], CultureInfo.InvariantCulture));
        }

        var eligible = new List<OjSeries>();
        foreach (var ((store, brand), series) in weeks.OrderBy(k => k.Key))
        {
            var last = series.Keys.Max();
            var first = last;
            while (series.ContainsKey(first - 1))
            {
                first--;
            }

            if (last - first + 1 >= RequiredTail)
            {
                eligible.Add(new OjSeries(store, brand, first, Enumerable.Range(first, last - first + 1).Select(w => series[w]).ToArray()));
            }
        }

        return eligible;
    }
}
