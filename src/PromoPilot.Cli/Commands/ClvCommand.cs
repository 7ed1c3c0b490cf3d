using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PromoPilot.Core.Customers;
using PromoPilot.Features.Clv;
using PromoPilot.Ingestion.Reading;
using PromoPilot.Storage;
using PromoPilot.Storage.Queries;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

/// <summary>
/// promopilot clv: fits BG/NBD and Gamma-Gamma to a per-customer summary file (--input) or to the store's orders (--db),
/// reports the parameters and the holdout check, and with --db writes per-customer predictions to customer_clv.
/// </summary>
internal static class ClvCommand
{
    private const double HorizonWeeks = 52;

    public static Command Create(CliConsole console)
    {
        var input = new Option<string?>("--input")
        {
            Description = "A per-customer summary CSV (gzip allowed) with columns x, t_x, T and optionally zbar, x_holdout, duration_holdout "
                + "(lifetimes names frequency, recency, monetary_value, frequency_holdout also work). Without it the store's orders are used.",
        };
        var db = CommonOptions.Db();
        var dataset = new Option<string?>("--dataset") { Description = "With --db: the dataset whose orders are summarized (needed when the store holds several)." };
        var asOf = new Option<string?>("--as-of") { Description = "With --db: the last day of data used, yyyy-MM-dd (default: the dataset's last purchase day)." };
        var holdoutDays = new Option<int>("--holdout-days") { Description = "With --db: hold out the last N days to check the forecast (default 0: none)." };
        var json = CommonOptions.Json();
        var command = new Command("clv", "Customer lifetime value: BG/NBD purchase model and Gamma-Gamma spend model (weeks), with a holdout check.")
        {
            input, db, dataset, asOf, holdoutDays, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var clock = Stopwatch.StartNew();
            var path = parse.GetValue(input);
            var (result, report) = path is not null
                ? FromFile(path)
                : FromStore(console, parse.GetValue(db)!, parse.GetValue(dataset), parse.GetValue(asOf), parse.GetValue(holdoutDays));
            report["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                Render(console, result, report);
            }

            return 0;
        }));
        return command;
    }

    private static (ClvResult, Dictionary<string, object?>) FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        var customers = ReadSummary(path);
        var result = ClvAnalysis.Run(customers, new ClvOptions { Horizon = HorizonWeeks });
        return (result, Report(result));
    }

    private static (ClvResult, Dictionary<string, object?>) FromStore(CliConsole console, string path, string? datasetName, string? asOfText, int holdoutDays)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no store here; import something first (promopilot quickstart).");
        }

        if (holdoutDays < 0)
        {
            throw new ArgumentException($"--holdout-days must be 0 or more, not {holdoutDays}.");
        }

        using var store = CommonOptions.OpenStore(path);
        var datasets = RepeatPurchaseQuery.Datasets(store);
        if (datasets.Count == 0)
        {
            throw new ArgumentException($"{path}: no purchase orders of known customers in the store; import orders first.");
        }

        var names = string.Join(", ", datasets.Select(d => d.Dataset));
        var chosen = datasetName is null
            ? datasets.Count == 1 ? datasets[0] : throw new ArgumentException($"the store holds orders of several datasets ({names}): choose one with --dataset.")
            : datasets.FirstOrDefault(d => d.Dataset == datasetName) is { Dataset: not null } found ? found : throw new ArgumentException($"--dataset '{datasetName}' has no purchase orders here (datasets: {names}).");
        var asOf = chosen.Last;
        if (asOfText is not null && !DateTime.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf))
        {
            throw new ArgumentException($"--as-of '{asOfText}' is not a date yyyy-MM-dd.");
        }

        console.Log($"clv {chosen.Dataset}: summarizing orders up to {asOf:yyyy-MM-dd}" + (holdoutDays > 0 ? $", last {holdoutDays} days held out" : ""));
        var data = RepeatPurchaseQuery.Load(store, chosen.Dataset, asOf, holdoutDays);
        var summaries = data.Customers.Select(c => c.Summary).ToList();
        var result = ClvAnalysis.Run(summaries, new ClvOptions { Horizon = HorizonWeeks });
        var rows = data.Customers.Select((c, i) => new CustomerClvRow(
            c.UserKey, c.Summary, result.Customers[i].ProbabilityAlive, result.Customers[i].ExpectedPurchases,
            result.Customers[i].ExpectedSpend, result.Customers[i].Clv)).ToList();
        CustomerClvTable.Replace(store, data.Dataset, data.CalibrationEnd, HorizonWeeks, rows);

        var report = Report(result);
        report["dataset"] = data.Dataset;
        report["as_of"] = data.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        report["calibration_end"] = data.CalibrationEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        report["holdout_days"] = data.HoldoutDays;
        report["table"] = CustomerClvTable.Name;
        report["total_clv"] = rows.Any(r => r.Clv is not null) ? Math.Round(rows.Sum(r => r.Clv ?? 0), 2) : null;
        return (result, report);
    }

    /// <summary>Reads x, t_x, T (+ zbar, x_holdout, duration_holdout); a bad row stops with its file, line, column and reason.</summary>
    internal static List<RepeatPurchaseSummary> ReadSummary(string path)
    {
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        var x = Column(f, "x", "frequency");
        var tx = Column(f, "t_x", "recency");
        var age = Column(f, "T");
        var zbar = OptionalColumn(f, "zbar", "monetary_value");
        var xHoldout = OptionalColumn(f, "x_holdout", "frequency_holdout", "x_star");
        var duration = OptionalColumn(f, "duration_holdout", "t_star");
        if ((xHoldout < 0) != (duration < 0))
        {
            throw new InvalidDataException($"{reader.FileName}: line 1: the holdout needs both x_holdout and duration_holdout columns.");
        }

        var rows = new List<RepeatPurchaseSummary>();
        while (reader.Read())
        {
            if (reader.Error == RecordError.EmptyLine)
            {
                continue;
            }

            if (reader.Error != RecordError.None)
            {
                throw new InvalidDataException($"{reader.FileName}: line {reader.Line}: {reader.Error.Describe()}.");
            }

            f.Reset();
            var row = new RepeatPurchaseSummary(
                f.Int32(x, 0, int.MaxValue),
                f.Double(tx, 0),
                f.Double(age, 0),
                zbar < 0 || f.IsEmpty(zbar) ? 0 : f.Double(zbar),
                xHoldout < 0 ? null : f.Int32(xHoldout, 0, int.MaxValue),
                duration < 0 ? null : f.Double(duration, 0));
            if (!f.Failed && row.Recency > row.Age)
            {
                f.Reject(tx, $"t_x {row.Recency.ToString(CultureInfo.InvariantCulture)} is after T {row.Age.ToString(CultureInfo.InvariantCulture)}");
            }

            if (f.Failed)
            {
                throw new InvalidDataException($"{reader.FileName}: line {reader.Line}: column '{f.ErrorColumn}': {f.ErrorReason}.");
            }

            rows.Add(row);
        }

        return rows;
    }

    private static int Column(FieldReader f, params string[] names)
    {
        var found = OptionalColumn(f, names);
        return found >= 0 ? found : f.Column(names[0]);
    }

    private static int OptionalColumn(FieldReader f, params string[] names)
    {
        foreach (var name in names)
        {
            // Exact case first: "T" and "t" differ in some exports only by case.
            var exact = f.Reader.Header.ToList().IndexOf(name);
            if (exact >= 0)
            {
                return exact;
            }
        }

        return names.Select(f.OptionalColumn).FirstOrDefault(i => i >= 0, -1);
    }

    private static Dictionary<string, object?> Report(ClvResult result)
    {
        var bg = result.BgNbd;
        var gg = result.GammaGamma;
        var h = result.Holdout;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["bgnbd"] = new
            {
                r = bg.Parameters.R,
                alpha = bg.Parameters.Alpha,
                a = bg.Parameters.A,
                b = bg.Parameters.B,
                loglik = bg.LogLikelihood,
                converged = bg.Converged,
                std_errors = bg.StandardErrors is { } se ? new { r = se.R, alpha = se.Alpha, a = se.A, b = se.B } : null,
            },
            ["gamma_gamma"] = gg is null ? null : new
            {
                p = gg.Parameters.P,
                q = gg.Parameters.Q,
                gamma = gg.Parameters.Gamma,
                loglik = gg.LogLikelihood,
                converged = gg.Converged,
                customers = gg.Customers,
                std_errors = gg.StandardErrors is { } se2 ? new { p = se2.P, q = se2.Q, gamma = se2.Gamma } : null,
                population_mean_spend = gg.Parameters.HasFiniteMean ? gg.Parameters.PopulationMeanSpend : (double?)null,
            },
            ["holdout"] = h is null ? null : new
            {
                customers = h.Customers,
                expected = Math.Round(h.Expected, 3),
                actual = h.Actual,
                relative_error = h.RelativeError is { } e ? Math.Round(e, 5) : (double?)null,
                groups = h.Groups.Select(g => new { x = g.Frequency, customers = g.Customers, expected = Math.Round(g.Expected, 3), actual = g.Actual }),
            },
            ["customers"] = bg.Customers,
            ["repeat_buyers"] = bg.RepeatBuyers,
            ["spend_excluded"] = result.SpendExcluded,
            ["horizon_weeks"] = HorizonWeeks,
        };
    }

    private static void Render(CliConsole console, ClvResult result, Dictionary<string, object?> report)
    {
        var bg = result.BgNbd;
        var parameters = new Table().Title("BG/NBD" + (bg.Converged ? "" : " (not converged)")).AddColumns("parameter", "estimate", "std. error");
        AddRow(parameters, "r", bg.Parameters.R, bg.StandardErrors?.R);
        AddRow(parameters, "alpha", bg.Parameters.Alpha, bg.StandardErrors?.Alpha);
        AddRow(parameters, "a", bg.Parameters.A, bg.StandardErrors?.A);
        AddRow(parameters, "b", bg.Parameters.B, bg.StandardErrors?.B);
        parameters.AddRow("log-likelihood", F(bg.LogLikelihood), "");
        console.Tables.Write(parameters);
        if (result.GammaGamma is { } gg)
        {
            var spend = new Table().Title("Gamma-Gamma" + (gg.Converged ? "" : " (not converged)")).AddColumns("parameter", "estimate", "std. error");
            AddRow(spend, "p", gg.Parameters.P, gg.StandardErrors?.P);
            AddRow(spend, "q", gg.Parameters.Q, gg.StandardErrors?.Q);
            AddRow(spend, "gamma", gg.Parameters.Gamma, gg.StandardErrors?.Gamma);
            spend.AddRow("log-likelihood", F(gg.LogLikelihood), "");
            console.Tables.Write(spend);
        }

        if (result.Holdout is { } h)
        {
            var holdout = new Table().Title("holdout purchases").AddColumns("calibration x", "customers", "expected", "actual");
            foreach (var g in h.Groups)
            {
                holdout.AddRow(g.Frequency, g.Customers.ToString("N0", CultureInfo.InvariantCulture), g.Expected.ToString("N1", CultureInfo.InvariantCulture), g.Actual.ToString("N0", CultureInfo.InvariantCulture));
            }

            holdout.AddRow("total", h.Customers.ToString("N0", CultureInfo.InvariantCulture), h.Expected.ToString("N1", CultureInfo.InvariantCulture), h.Actual.ToString("N0", CultureInfo.InvariantCulture));
            console.Tables.Write(holdout);
        }

        var facts = report.Where(kv => kv.Key is not ("bgnbd" or "gamma_gamma" or "holdout") && kv.Value is not null)
            .Select(kv => $"{kv.Key} {Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}");
        console.Tables.WriteLine(string.Join(", ", facts));
    }

    private static void AddRow(Table table, string name, double estimate, double? error) =>
        table.AddRow(name, F(estimate), error is { } e ? F(e) : "");

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
