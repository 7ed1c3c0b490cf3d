namespace PromoPilot.Models.Response;

/// <summary>
/// One feature column: numbers (NaN = missing) or categories (null or empty = missing). Exactly one of
/// <see cref="Numbers"/> and <see cref="Categories"/> is set.
/// </summary>
public sealed record FeatureColumn
{
    private FeatureColumn(string name, double[]? numbers, string?[]? categories)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Numbers = numbers;
        Categories = categories;
    }

    public string Name { get; }

    public double[]? Numbers { get; }

    public string?[]? Categories { get; }

    public int Length => Numbers?.Length ?? Categories!.Length;

    public bool IsCategorical => Categories is not null;

    public static FeatureColumn Numeric(string name, double[] values) =>
        new(name, values ?? throw new ArgumentNullException(nameof(values)), null);

    public static FeatureColumn Categorical(string name, string?[] values) =>
        new(name, null, values ?? throw new ArgumentNullException(nameof(values)));

    public bool IsMissing(int row) => Numbers is { } n ? double.IsNaN(n[row]) : string.IsNullOrEmpty(Categories![row]);

    internal FeatureColumn Take(IReadOnlyList<int> rows) => Numbers is { } n
        ? Numeric(Name, [.. rows.Select(r => n[r])])
        : Categorical(Name, [.. rows.Select(r => Categories![r])]);
}

/// <summary>A table of feature columns of equal length: the plain input every response and uplift model takes.</summary>
public sealed class FeatureTable
{
    public FeatureTable(IReadOnlyList<FeatureColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("a feature table needs at least one column.", nameof(columns));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (!names.Add(column.Name))
            {
                throw new ArgumentException($"feature '{column.Name}' appears twice.", nameof(columns));
            }

            if (column.Length != columns[0].Length)
            {
                throw new ArgumentException($"feature '{column.Name}' has {column.Length} rows, '{columns[0].Name}' has {columns[0].Length}.", nameof(columns));
            }
        }

        Columns = columns;
    }

    public IReadOnlyList<FeatureColumn> Columns { get; }

    public int RowCount => Columns[0].Length;

    /// <summary>The rows at the given indices, in that order.</summary>
    public FeatureTable Take(IReadOnlyList<int> rows) => new([.. Columns.Select(c => c.Take(rows))]);

    /// <summary>The same rows with one column added (e.g. the treatment flag of an S-learner).</summary>
    public FeatureTable With(FeatureColumn column) => new([.. Columns, column]);
}
