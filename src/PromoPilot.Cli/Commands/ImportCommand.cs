using System.CommandLine;
using System.Globalization;
using PromoPilot.Core.Storage;
using PromoPilot.Ingestion;
using PromoPilot.Storage;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create(CliConsole console)
    {
        var kind = new Option<string>("--kind") { Description = $"Source format: {string.Join("|", ImporterCatalog.Kinds)}.", Required = true };
        var input = new Option<string>("--input") { Description = "The file, or the folder of a multi-file dataset.", Required = true };
        var mapping = new Option<string?>("--mapping") { Description = "JSON mapping of your columns (with --kind mapped)." };
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var command = new Command("import", "Validate, pseudonymize and load a dataset into the store; bad rows are quarantined with their reason.")
        {
            kind, input, mapping, db, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var importer = ImporterCatalog.Create(parse.GetValue(kind)!, parse.GetValue(mapping));
            using var store = CommonOptions.OpenStore(parse.GetValue(db)!);
            var summary = Run(console, store, importer, parse.GetValue(input)!);
            if (parse.GetValue(json))
            {
                console.WriteJson(ToJson(summary));
            }
            else
            {
                Render(console, summary);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Runs an import with a progress bar on a terminal, plain log lines otherwise.</summary>
    public static ImportSummary Run(CliConsole console, DuckDbStore store, IDatasetImporter importer, string input)
    {
        var service = new ImportService(store, CommonOptions.Pseudonymizer(store.Path), console.Clock);
        if (!console.Interactive)
        {
            console.Log($"import {importer.Kind}: reading {input}");
            return service.Run(importer, input);
        }

        ImportSummary? summary = null;
        console.Progress.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"import {importer.Kind}", maxValue: 1.0);
                var progress = new Progress<ImportProgress>(p =>
                {
                    task.Description = $"{p.File} ({p.RowsRead:N0} rows)";
                    task.Value = p.TotalBytes > 0 ? Math.Min(1.0, (double)p.BytesRead / p.TotalBytes) : 0;
                });
                summary = service.Run(importer, input, progress);
                task.Value = 1.0;
            });
        return summary!;
    }

    public static object ToJson(ImportSummary s) => new
    {
        kind = s.Kind,
        rows_read = s.RowsRead,
        rows_accepted = s.RowsAccepted,
        rows_quarantined = s.RowsQuarantined,
        seconds = Math.Round(s.Seconds, 3),
        tables = s.Tables,
        dataset = s.Dataset,
        import_id = s.ImportId,
        already_imported = s.AlreadyImported,
        source = s.Source,
    };

    public static void Render(CliConsole console, ImportSummary s)
    {
        if (s.AlreadyImported)
        {
            console.Tables.MarkupLineInterpolated($"[yellow]{s.Kind}[/]: this content was already imported as import #{s.ImportId}; nothing added.");
            return;
        }

        var table = new Table().Title($"import #{s.ImportId} {s.Kind} ({s.Seconds:F2} s)").AddColumn("table").AddColumn(new TableColumn("rows").RightAligned());
        foreach (var (name, rows) in s.Tables)
        {
            table.AddRow(name, rows.ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Tables.Write(table);
        console.Tables.MarkupLineInterpolated($"read {s.RowsRead:N0} = accepted {s.RowsAccepted:N0} + quarantined {s.RowsQuarantined:N0}");
    }
}
