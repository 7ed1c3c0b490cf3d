using System.CommandLine;
using System.Globalization;
using PromoPilot.Storage;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

internal static class StatsCommand
{
    public static Command Create(CliConsole console)
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var command = new Command("stats", "Tables, row counts, date ranges and the data-quality summary of the store.") { db, json };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var stats = StoreStatsQuery.Compute(store);
            if (parse.GetValue(json))
            {
                console.WriteJson(stats);
            }
            else
            {
                Render(console, stats);
            }

            return 0;
        }));
        return command;
    }

    public static void Render(CliConsole console, StoreStats stats)
    {
        var tables = new Table().Title(stats.Db).AddColumn("table").AddColumn(new TableColumn("rows").RightAligned()).AddColumn("from").AddColumn("to");
        foreach (var t in stats.Tables)
        {
            tables.AddRow(t.Name, t.Rows.ToString("N0", CultureInfo.InvariantCulture), $"{t.From:yyyy-MM-dd}", $"{t.To:yyyy-MM-dd}");
        }

        console.Tables.Write(tables);
        var imports = new Table().Title("imports").AddColumns("#", "kind", "read", "accepted", "quarantined", "seconds");
        foreach (var i in stats.Imports)
        {
            imports.AddRow(i.ImportId.ToString(CultureInfo.InvariantCulture), i.Kind, N(i.RowsRead), N(i.RowsAccepted), N(i.RowsQuarantined), i.Seconds.ToString("F2", CultureInfo.InvariantCulture));
        }

        console.Tables.Write(imports);
        var q = stats.Quality;
        console.Tables.WriteLine($"read {N(q.RowsRead)} = accepted {N(q.RowsAccepted)} + quarantined {N(q.RowsQuarantined)}: {(q.Reconciled ? "reconciled" : "NOT RECONCILED")}");
        console.Tables.WriteLine($"anonymous events {N(q.AnonymousEvents)}, non-product items {N(q.NonProductItems)}, refund orders {N(q.RefundOrders)} ({N(q.RefundOrdersLinked)} linked to their invoice)");
        if (q.QuarantineReasons.Count > 0)
        {
            var reasons = new Table().Title("top quarantine reasons").AddColumns("dataset", "file", "column", "reason", "rows");
            foreach (var r in q.QuarantineReasons)
            {
                reasons.AddRow(Markup.Escape(r.Dataset), Markup.Escape(r.File), Markup.Escape(r.Column ?? ""), Markup.Escape(r.Reason), N(r.Rows));
            }

            console.Tables.Write(reasons);
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
