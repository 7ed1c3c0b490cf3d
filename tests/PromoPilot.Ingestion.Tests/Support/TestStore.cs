using PromoPilot.Core.Storage;
using PromoPilot.Storage;

namespace PromoPilot.Ingestion.Tests.Support;

/// <summary>A real DuckDB store in a temporary folder, deleted afterwards.</summary>
public sealed class TestStore : IDisposable
{
    /// <summary>A fixed key, so pseudonyms are reproducible in tests.</summary>
    public static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private readonly string _folder;

    public TestStore()
    {
        _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "promopilot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        Store = DuckDbStore.Open(System.IO.Path.Combine(_folder, "test.duckdb"));
    }

    public DuckDbStore Store { get; }

    public string Folder => _folder;

    public Pseudonymizer Pseudonymizer { get; } = new(Key);

    public ImportSummary Import(IDatasetImporter importer, string input) =>
        new ImportService(Store, Pseudonymizer, TimeProvider.System).Run(importer, input);

    public long Count(string sql) => Convert.ToInt64(Store.Query(sql)[0].Values.First(), System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql) => Store.Query(sql);

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
