using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using PromoPilot.Decisioning.Scoring;

namespace PromoPilot.Decisioning.Tests;

/// <summary>The unpenalized fit against statsmodels' Logit on the same design (Fixtures/reference_linear_uplift.py).</summary>
public class LinearUpliftReferenceTests
{
    [Fact]
    public void Fit_HillstromSample_MatchesStatsmodelsLogit()
    {
        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference_linear_uplift.json")))!;
        var features = reference["features"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        var rows = new List<IReadOnlyDictionary<string, double>>();
        var treated = new List<bool>();
        var visited = new List<bool>();
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(Sample()), CompressionMode.Decompress)))
        {
            var header = reader.ReadLine()!.Split(',');
            int Column(string name) => Array.IndexOf(header, name);
            while (reader.ReadLine() is { } line)
            {
                var cells = SplitCsv(line);
                rows.Add(features.ToDictionary(f => f, f => double.Parse(cells[Column(f)], CultureInfo.InvariantCulture)));
                treated.Add(cells[Column("segment")] != "No E-Mail");
                visited.Add(cells[Column("visit")] == "1");
            }
        }

        var model = LinearUpliftModel.Fit(features, rows, treated, visited, new LinearUpliftOptions { Ridge = 0, Tolerance = 1e-12 });
        var v = model.Values;
        Assert.Equal(reference["rows"]!.GetValue<int>(), v.Rows);
        Assert.Equal(reference["baseline_intercept"]!.GetValue<double>(), v.BaselineIntercept, 1e-6);
        Assert.Equal(reference["treatment_intercept"]!.GetValue<double>(), v.TreatmentIntercept, 1e-6);
        for (var j = 0; j < features.Count; j++)
        {
            Assert.Equal(reference["baseline"]![j]!.GetValue<double>(), v.Baseline[j], 1e-6);
            Assert.Equal(reference["treatment"]![j]!.GetValue<double>(), v.Treatment[j], 1e-6);
        }
    }

    /// <summary>Splits one CSV line, honouring double-quoted fields ("7) $1,000 +").</summary>
    private static string[] SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }

    private static string Sample()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PromoPilot.slnx")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("repository root not found"), "samples", "hillstrom_sample.csv.gz");
    }
}
