namespace PromoPilot.Storage.Queries;

/// <summary>Restricts a query over <c>events e</c> to one dataset (through the import that wrote each event), or to none.</summary>
internal static class DatasetScope
{
    /// <summary>A join to add after <c>FROM events e</c>; empty for every dataset.</summary>
    public static string Join(string? dataset) =>
        dataset is null ? "" : "JOIN import_log l ON l.import_id = e.import_id AND l.dataset = $dataset";

    /// <summary>The cut-off parameter, plus the dataset parameter when scoped.</summary>
    public static (string Name, object? Value)[] Parameters(DateTime? asOf, string? dataset)
    {
        var parameters = new List<(string Name, object? Value)>();
        if (asOf is { } cutOff)
        {
            parameters.Add(("as_of", cutOff));
        }

        if (dataset is not null)
        {
            parameters.Add(("dataset", dataset));
        }

        return [.. parameters];
    }
}
