using System.Globalization;
using PromoPilot.Ingestion.Reading;
using PromoPilot.Models.Response;

namespace PromoPilot.Cli.Modeling;

/// <summary>
/// A whole CSV (optionally gzip-compressed) read into string columns, for the model commands: the host reads files,
/// the models take the <see cref="FeatureTable"/> built here.
/// </summary>
internal sealed class CsvColumns
{
    private readonly Dictionary<string, string[]> _columns;

    private CsvColumns(string fileName, IReadOnlyList<string> header, Dictionary<string, string[]> columns, int rows)
    {
        FileName = fileName;
        Header = header;
        _columns = columns;
        RowCount = rows;
    }

    public string FileName { get; }

    public IReadOnlyList<string> Header { get; }

    public int RowCount { get; }

    public static CsvColumns Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        using var reader = CsvReader.Open(path);
        var header = reader.Header.ToArray();
        var values = header.Select(_ => new List<string>()).ToArray();
        while (reader.Read())
        {
            if (reader.Error == RecordError.EmptyLine)
            {
                continue;
            }

            if (reader.Error != RecordError.None)
            {
                throw new InvalidDataException($"{reader.FileName}: line {reader.Line}: {reader.Error.Describe()}.");
            }

            for (var c = 0; c < header.Length; c++)
            {
                values[c].Add(c < reader.FieldCount ? reader.FieldString(c).Trim() : "");
            }
        }

        if (values.Length == 0 || values[0].Count == 0)
        {
            throw new InvalidDataException($"{reader.FileName}: no data rows.");
        }

        var columns = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var c = 0; c < header.Length; c++)
        {
            columns[header[c]] = [.. values[c]];
        }

        return new CsvColumns(reader.FileName, header, columns, values[0].Count);
    }

    /// <summary>The raw values of a column; the error names the option that asked for it.</summary>
    public string[] Column(string name, string option) => _columns.TryGetValue(name, out var values)
        ? values
        : throw new ArgumentException($"{option}: column '{name}' is not in {FileName} (columns: {string.Join(", ", Header)}).");

    /// <summary>A 0/1 (or true/false, yes/no) column as flags; anything else names the column and line.</summary>
    public bool[] Flags(string name, string option)
    {
        var values = Column(name, option);
        var flags = new bool[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            flags[i] = values[i].ToLowerInvariant() switch
            {
                "1" or "true" or "yes" => true,
                "0" or "false" or "no" => false,
                _ => throw new InvalidDataException($"{FileName}: column '{name}', data row {i + 1}: '{values[i]}' is not 0/1."),
            };
        }

        return flags;
    }

    /// <summary>A numeric column; an empty or non-numeric value names the column and row.</summary>
    public double[] Numbers(string name, string option)
    {
        var values = Column(name, option);
        var numbers = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                throw new InvalidDataException($"{FileName}: column '{name}', data row {i + 1}: '{values[i]}' is not a number.");
            }
        }

        return numbers;
    }

    /// <summary>
    /// Features from the named columns: a column whose non-empty values all parse as numbers is numeric (empty =
    /// missing), any other is categorical (empty = missing).
    /// </summary>
    public FeatureTable Features(IEnumerable<string> names)
    {
        var columns = new List<FeatureColumn>();
        foreach (var name in names)
        {
            var values = Column(name, "feature");
            var numbers = new double[values.Length];
            var numeric = true;
            for (var i = 0; i < values.Length && numeric; i++)
            {
                if (values[i].Length == 0)
                {
                    numbers[i] = double.NaN;
                }
                else if (!double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
                {
                    numeric = false;
                }
            }

            columns.Add(numeric ? FeatureColumn.Numeric(name, numbers) : FeatureColumn.Categorical(name, [.. values.Select(v => v.Length == 0 ? null : v)]));
        }

        return new FeatureTable(columns);
    }
}
