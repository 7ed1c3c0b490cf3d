using System.Globalization;
using System.IO.Compression;

namespace PromoPilot.Cli.Forecasting;

/// <summary>One store × brand weekly series of Dominick's orange juice (bayesm orangeJuice): units = exp(logmove).</summary>
internal sealed record OjSeries(int Store, int Brand, int FirstWeek, double[] Units);

/// <summary>One store-week-brand row: units = exp(logmove), the brand's own price (dollars per ounce), deal and feature, and the
/// profit column (bayesm: gross margin in percent of price, median 29).</summary>
internal sealed record OjRow(int Store, int Brand, int Week, double Units, double Price, double Deal, double Feat, double Profit = double.NaN);

/// <summary>
/// Reads oj_yx.csv(.gz) of ../shared/data/dominicks_oj (the host reads files; models get arrays). The protocol of issue
/// 10: store × brand weekly unit series whose last 52 weeks have no gap; each series is its gap-free tail.
/// </summary>
internal static class DominicksOj
{
    public const int RequiredTail = 52;

    /// <summary>Every row of oj_yx with its own-brand price (column price{brand}).</summary>
    public static IReadOnlyList<OjRow> ReadRows(string input)
    {
        var rows = new List<OjRow>();
        Read(input, (f, col) =>
        {
            var brand = int.Parse(f[col("brand")], CultureInfo.InvariantCulture);
            rows.Add(new OjRow(
                int.Parse(f[col("store")], CultureInfo.InvariantCulture), brand, int.Parse(f[col("week")], CultureInfo.InvariantCulture),
                Math.Exp(double.Parse(f[col("logmove")], CultureInfo.InvariantCulture)),
                double.Parse(f[col($"price{brand}")], CultureInfo.InvariantCulture),
                double.Parse(f[col("deal")], CultureInfo.InvariantCulture),
                double.Parse(f[col("feat")], CultureInfo.InvariantCulture),
                double.Parse(f[col("profit")], CultureInfo.InvariantCulture)));
        });
        return rows;
    }

    /// <summary>Store demographics of oj_storedemo.csv(.gz): store → values in the order of the returned names.</summary>
    public static (IReadOnlyList<string> Names, IReadOnlyDictionary<int, double[]> Stores) ReadStoreDemographics(string input)
    {
        string[] names = [];
        var stores = new Dictionary<int, double[]>();
        Read(input, (f, col) =>
        {
            if (names.Length == 0)
            {
                names = ["AGE60", "EDUC", "ETHNIC", "INCOME", "HHLARGE", "WORKWOM", "HVAL150", "SSTRDIST", "SSTRVOL", "CPDIST5", "CPWVOL5"];
            }

            stores[int.Parse(f[col("STORE")], CultureInfo.InvariantCulture)] = names.Select(n => double.Parse(f[col(n)], CultureInfo.InvariantCulture)).ToArray();
        }, "oj_storedemo");
        return (names, stores);
    }

    private static void Read(string input, Action<string[], Func<string, int>> row, string table = "oj_yx")
    {
        var path = new[] { Path.Combine(input, table + ".csv.gz"), Path.Combine(input, table + ".csv"), table == "oj_yx" ? input : Path.Combine(Path.GetDirectoryName(input) ?? ".", table + ".csv.gz") }
            .FirstOrDefault(File.Exists) ?? throw new FileNotFoundException($"{input}: no {table}.csv(.gz) here (see ../shared/data/dominicks_oj/README.md).");
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var header = (reader.ReadLine() ?? throw new InvalidDataException($"{path}: empty file.")).Split(',');
        var columns = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        int Col(string name) => columns.TryGetValue(name, out var i) ? i : throw new InvalidDataException($"{path}: no column '{name}'.");
        while (reader.ReadLine() is { } line)
        {
            row(line.Split(','), Col);
        }
    }

    /// <summary>
    /// The eligible series at a level: "item-store" (store × brand, the protocol), "item" (brand totals over
    /// the stores reporting that week) or "store" (store totals over brands). Store 0 or brand 0 marks a total.
    /// </summary>
    public static IReadOnlyList<OjSeries> ReadEligible(string input, string level = "item-store")
    {
        var keyOf = level switch
        {
            "item-store" => (Func<int, int, (int, int)>)((store, brand) => (store, brand)),
            "item" => (_, brand) => (0, brand),
            "store" => (store, _) => (store, 0),
            _ => throw new ArgumentException($"--level '{level}' is not one of item, store, item-store."),
        };
        var weeks = new Dictionary<(int Store, int Brand), SortedDictionary<int, double>>();
        Read(input, (f, col) =>
        {
            var key = keyOf(int.Parse(f[col("store")], CultureInfo.InvariantCulture), int.Parse(f[col("brand")], CultureInfo.InvariantCulture));
            if (!weeks.TryGetValue(key, out var series))
            {
                weeks[key] = series = [];
            }

            var week = int.Parse(f[col("week")], CultureInfo.InvariantCulture);
            series[week] = series.GetValueOrDefault(week) + Math.Exp(double.Parse(f[col("logmove")], CultureInfo.InvariantCulture));
        });
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
