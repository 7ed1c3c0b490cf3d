using System.Globalization;
using PromoPilot.Storage;

namespace PromoPilot.Cli.Tests.Support;

/// <summary>Runs the real CLI in-process with captured stdout and stderr, and reads counts back from a store.</summary>
internal static class CliRunner
{
    public static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr, TimeProvider.System);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static long Count(DuckDbStore store, string sql, params (string Name, object? Value)[] parameters) =>
        Convert.ToInt64(store.Query(sql, parameters)[0].Values.First(), CultureInfo.InvariantCulture);
}
