using System.CommandLine;
using System.Globalization;
using PromoPilot.Features.Profiles;
using PromoPilot.Storage;
using PromoPilot.Storage.Queries;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

internal static class ProfileCommand
{
    public static Command Create(CliConsole console)
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var asOf = new Option<DateTime?>("--as-of") { Description = "Cut-off (yyyy-MM-dd[ HH:mm:ss]): only activity before it is read. Default: just after the latest customer event." };
        var dataset = new Option<string?>("--dataset") { Description = "Only this dataset's customers (default: all)." };
        var build = new Command("build", "Compute customer profiles (RFM, value, rhythm, affinities, price sensitivity) as of a cut-off and store them as a new version.")
        {
            db, json, asOf, dataset,
        };
        build.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var started = console.Clock.GetTimestamp();
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var cutOff = parse.GetValue(asOf) ?? CustomerActivityQuery.DefaultAsOf(store, parse.GetValue(dataset))
                ?? throw new ArgumentException("The store has no customer events to profile; import data first.");
            var activities = CustomerActivityQuery.Load(store, cutOff, parse.GetValue(dataset));
            var profiles = ProfileBuilder.Build(activities, cutOff);
            var version = ProfileTable.Save(store, cutOff, parse.GetValue(dataset), console.Clock.GetUtcNow(), profiles);
            var groups = ProfileBuilder.RfmGroups.ToDictionary(g => g, g => profiles.Count(p => p.RfmGroup == g));
            var seconds = Math.Round(console.Clock.GetElapsedTime(started).TotalSeconds, 3);
            if (parse.GetValue(json))
            {
                console.WriteJson(new { version, as_of = cutOff, dataset = parse.GetValue(dataset), customers = profiles.Count, rfm_groups = groups, seconds });
                return 0;
            }

            var table = new Table().Title($"profiles v{version} as of {cutOff:yyyy-MM-dd HH:mm:ss}: {profiles.Count:N0} customers").AddColumn("RFM group").AddColumn(new TableColumn("customers").RightAligned());
            foreach (var (group, count) in groups)
            {
                table.AddRow(Markup.Escape(group), count.ToString("N0", CultureInfo.InvariantCulture));
            }

            console.Tables.Write(table);
            return 0;
        }));
        return new Command("profile", "Customer profiles.") { build };
    }
}
