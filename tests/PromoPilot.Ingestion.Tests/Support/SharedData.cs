namespace PromoPilot.Ingestion.Tests.Support;

/// <summary>The real datasets in ../shared/data (never copied into the repo when their licence forbids it).</summary>
public static class SharedData
{
    public static string? Root { get; } = Locate();

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Root ?? throw new InvalidOperationException("shared data folder not found"), .. parts]);

    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("PROMOPILOT_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment) && Directory.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that runs only when ../shared/data/&lt;dataset&gt; is present, and says so when skipped.</summary>
public sealed class DatasetFactAttribute : FactAttribute
{
    public DatasetFactAttribute(string dataset)
    {
        if (SharedData.Root is null || !Directory.Exists(System.IO.Path.Combine(SharedData.Root, dataset)))
        {
            Skip = $"needs ../shared/data/{dataset} (not redistributable or too large for the repo); absent here";
        }
    }
}

/// <summary>A theory that skips with a clear message when a dataset of ../shared/data is absent.</summary>
public sealed class DatasetTheoryAttribute : TheoryAttribute
{
    public DatasetTheoryAttribute(string dataset)
    {
        if (SharedData.Root is null || !Directory.Exists(System.IO.Path.Combine(SharedData.Root, dataset)))
        {
            Skip = $"needs ../shared/data/{dataset} (not redistributable or too large for the repo); absent here";
        }
    }
}
