using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;

namespace PromoPilot.Ingestion.Tests.Storage;

public class DuckDbStoreTests
{
    [Fact]
    public void Open_WithMemoryLimit_SetsDuckDbsLimit()
    {
        using var folder = new TempFolder();

        using var store = DuckDbStore.Open(Path.Combine(folder.Path, "limited.duckdb"), "512MB");

        var setting = (string)store.Query("SELECT current_setting('memory_limit') AS limit")[0]["limit"]!;
        Assert.StartsWith("48", setting, StringComparison.Ordinal); // DuckDB reports 512 MB as 488.2 MiB
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("2GB'; DROP TABLE users; --")]
    public void Open_WithBadMemoryLimit_SaysWhatASizeLooksLike(string limit)
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<ArgumentException>(() => DuckDbStore.Open(Path.Combine(folder.Path, "bad.duckdb"), limit));

        Assert.Contains("is not a size such as 512MB or 2GB", error.Message, StringComparison.Ordinal);
    }
}
