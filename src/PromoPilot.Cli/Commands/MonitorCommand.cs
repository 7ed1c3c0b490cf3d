using System.CommandLine;
using System.Globalization;
using PromoPilot.Measurement.Monitoring;
using PromoPilot.Server.Monitoring;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot monitor: drift, calibration and forecast-vs-actual over a store (docs/monitoring.md).</summary>
internal static class MonitorCommand
{
    public static Command Create(CliConsole console)
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var command = new Command("monitor", "Model drift (PSI per feature and for the score, against the training reference), calibration drift from outcomes, and forecast versus actual for every read-out campaign.")
        {
            db, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var report = ModelMonitor.Run(store, console.Clock.GetUtcNow());
            if (parse.GetValue(json))
            {
                console.WriteJson(ModelMonitor.ToJson(report));
                return 0;
            }

            if (report.Models.Count == 0)
            {
                console.Tables.WriteLine("no model with a saved training reference (promopilot decide fit-effect saves one).");
            }

            foreach (var model in report.Models)
            {
                var table = new Table().Title($"{model.Name} v{model.Version}: {ModelMonitor.Text(model.Status)}").AddColumns("quantity", "psi", "status", "customers now", "missing");
                foreach (var q in model.Features.Append(model.Score))
                {
                    table.AddRow(
                        Markup.Escape(q == model.Score ? "score (uplift)" : q.Name), q.Psi is { } p ? PopulationStability.Format(p) : "—",
                        q.Status is { } s ? ModelMonitor.Text(s) : "no data", q.RecentCount.ToString("N0", CultureInfo.InvariantCulture), q.RecentMissing.ToString("N0", CultureInfo.InvariantCulture));
                }

                console.Tables.Write(table);
                if (model.Calibration is { } c)
                {
                    console.Tables.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"calibration: ECE {c.Reference.Ece:F4} at training, {c.Recent.Ece:F4} on {c.Recent.Count:N0} outcomes now: {(c.Status is { } s ? ModelMonitor.Text(s) : "too few outcomes")}"));
                }
            }

            if (report.Campaigns.Count > 0)
            {
                var table = new Table().Title("forecast vs actual").AddColumns("campaign", "arm", "metric", "forecast", "interval", "actual", "covered");
                foreach (var c in report.Campaigns)
                {
                    var f = c.Comparison;
                    table.AddRow(
                        Markup.Escape(c.CampaignId), Markup.Escape(c.Arm), f.Metric, f.Forecast.ToString("N2", CultureInfo.InvariantCulture),
                        string.Create(CultureInfo.InvariantCulture, $"[{f.ForecastLow:N2}, {f.ForecastHigh:N2}]"), f.Actual.ToString("N2", CultureInfo.InvariantCulture), f.Covered ? "yes" : "no");
                }

                console.Tables.Write(table);
            }

            return 0;
        }));
        return command;
    }
}
