using System.CommandLine;
using PromoPilot.Ingestion;
using PromoPilot.Storage;

namespace PromoPilot.Cli.Commands;

internal static class CommonOptions
{
    /// <summary>Environment variable holding the pseudonymization key (hex); otherwise a key file beside the store.</summary>
    public const string KeyVariable = "PROMOPILOT_PSEUDONYMIZATION_KEY";

    public static Option<string> Db() => new("--db")
    {
        Description = "The store: a DuckDB file, created when absent.",
        DefaultValueFactory = _ => DuckDbStore.DefaultPath,
    };

    /// <summary>
    /// Opens a store with DuckDB's memory limit from PROMOPILOT_DUCKDB_MEMORY_LIMIT (e.g. 2GB) when set: large stores
    /// then spill to disk instead of growing with the data.
    /// </summary>
    public static DuckDbStore OpenStore(string path) =>
        DuckDbStore.Open(path, Environment.GetEnvironmentVariable("PROMOPILOT_DUCKDB_MEMORY_LIMIT") is { Length: > 0 } limit ? limit : null);

    public static Option<bool> Json() => new("--json") { Description = "Print exactly one JSON object on stdout." };

    /// <summary>The path of a store that must exist already (commands that read it).</summary>
    public static string ExistingDb(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path}: no store here; import something first (promopilot quickstart).");

    /// <summary>The key file beside the store (promopilot.duckdb.key), or the key from the environment.</summary>
    public static Pseudonymizer Pseudonymizer(string dbPath) =>
        Ingestion.Pseudonymizer.FromKeySource(Environment.GetEnvironmentVariable(KeyVariable), Path.GetFullPath(dbPath) + ".key");
}
