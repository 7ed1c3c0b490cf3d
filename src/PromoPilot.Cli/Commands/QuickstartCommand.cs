using System.CommandLine;
using PromoPilot.Ingestion;
using PromoPilot.Storage;

namespace PromoPilot.Cli.Commands;

/// <summary>Imports the bundled real sample so a fresh clone shows the whole path with no servers, then designs and forecasts a sample coupon campaign on it.</summary>
internal static class QuickstartCommand
{
    /// <summary>The bundled samples, by importer kind; files live in samples/ beside the executable.</summary>
    public static readonly IReadOnlyList<(string Kind, string File)> Samples =
    [
        ("online-retail", "online_retail_sample.csv.gz"),
        ("hillstrom", "hillstrom_sample.csv.gz"),
    ];

    public static Command Create(CliConsole console)
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var samples = new Option<string>("--samples")
        {
            Description = "Folder of the bundled samples.",
            DefaultValueFactory = _ => Path.Combine(AppContext.BaseDirectory, "samples"),
        };
        var command = new Command("quickstart", "Import the bundled real sample into the store, report it, then design a sample coupon campaign under its budget and print its forecast.") { db, json, samples };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            using var store = CommonOptions.OpenStore(parse.GetValue(db)!);
            var imports = Samples
                .Select(s => ImportCommand.Run(console, store, ImporterCatalog.Create(s.Kind, null), Path.Combine(parse.GetValue(samples)!, s.File)))
                .ToList();
            var stats = StoreStatsQuery.Compute(store);
            var (forecast, lines) = QuickstartCampaign.Run(console, store, parse.GetValue(samples)!);
            if (parse.GetValue(json))
            {
                console.WriteJson(new { db = store.Path, imports = imports.Select(ImportCommand.ToJson), stats, campaign_forecast = forecast });
            }
            else
            {
                imports.ForEach(i => ImportCommand.Render(console, i));
                StatsCommand.Render(console, stats);
                console.Output.WriteLine($"Store: {store.Path}. Next: promopilot stats --db {parse.GetValue(db)}");
                foreach (var line in lines)
                {
                    console.Output.WriteLine(line);
                }
            }

            return 0;
        }));
        return command;
    }
}
