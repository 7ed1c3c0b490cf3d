using System.CommandLine;
using PromoPilot.Storage;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Cli.Commands;

internal static class ForgetCommand
{
    public static Command Create(CliConsole console)
    {
        var user = new Option<string>("--user") { Description = "The customer's raw id as the source data had it (it is pseudonymized with the store's key to find them).", Required = true };
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var command = new Command("forget", "Delete every row about one customer from every table (a deletion request).") { user, db, json };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var path = CommonOptions.ExistingDb(parse.GetValue(db)!);
            var pseudonym = CommonOptions.Pseudonymizer(path).Pseudonymize(parse.GetValue(user)!);
            using var store = CommonOptions.OpenStore(path);
            var result = ForgetUser.Run(store, pseudonym);
            if (parse.GetValue(json))
            {
                console.WriteJson(new { pseudonym, user_keys = result.UserKeys, rows_deleted = result.RowsDeleted, found = result.UserKeys.Count > 0 });
            }
            else
            {
                console.Output.WriteLine(result.UserKeys.Count == 0
                    ? "No customer with that id in this store (nothing deleted)."
                    : $"Deleted {result.RowsDeleted.Values.Sum()} rows about {pseudonym}: {string.Join(", ", result.RowsDeleted.Select(d => $"{d.Key} {d.Value}"))}");
            }

            return 0;
        }));
        return command;
    }
}
