using System.CommandLine;
using PromoPilot.Storage;

namespace PromoPilot.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create(CliConsole console)
    {
        var table = new Option<string>("--table") { Description = $"Table or view: {string.Join(", ", StoreExport.ExportableTables)}, or a feature table once built (customer_profiles, customer_segments, customer_clv, association_rules...).", Required = true };
        var format = new Option<string>("--format") { Description = "parquet or csv.", Required = true };
        format.AcceptOnlyFromAmong("parquet", "csv");
        var output = new Option<string>("--out") { Description = "The file to write.", Required = true };
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var command = new Command("export", "Write a table of the store to Parquet or CSV.") { table, format, output, db, json };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            using var store = CommonOptions.OpenStore(parse.GetValue(db)!);
            var rows = StoreExport.Export(store, parse.GetValue(table)!, parse.GetValue(format)!, parse.GetValue(output)!);
            if (parse.GetValue(json))
            {
                console.WriteJson(new { table = parse.GetValue(table), format = parse.GetValue(format), @out = Path.GetFullPath(parse.GetValue(output)!), rows });
            }
            else
            {
                console.Output.WriteLine($"{rows} rows of {parse.GetValue(table)} written to {parse.GetValue(output)}");
            }

            return 0;
        }));
        return command;
    }
}
