using System.Globalization;
using System.Text;
using PromoPilot.Ingestion.Reading;
using PromoPilot.Measurement.Experiments.Analysis;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Cli.Experiments;

/// <summary>
/// A unit-level experiment table read into per-variant summaries. Every data row is counted once: used, or left out
/// because its metric or its variant is missing (the counts add up to <see cref="RowsRead"/>). Variants are in
/// ordinal name order; Y is the metric, X the covariate (0 when there is none or it is missing).
/// </summary>
internal sealed record ExperimentTable(
    string FileName,
    string VariantColumn,
    string MetricColumn,
    string? CovariateColumn,
    IReadOnlyList<VariantData> Variants,
    long RowsRead,
    long RowsMissingMetric,
    long RowsMissingVariant,
    long RowsMissingCovariate,
    bool BinaryMetric)
{
    /// <summary>Rows that entered a summary.</summary>
    public long RowsUsed => RowsRead - RowsMissingMetric - RowsMissingVariant;

    /// <summary>
    /// Reads a CSV (optionally gzip-compressed) with one row per unit. Metric and covariate values are numbers or
    /// true/false flags (1/0). A value that is neither stops the read with its file, line, column and reason.
    /// </summary>
    /// <exception cref="InvalidDataException">A column is absent, a value is not a number, or no row has a metric.</exception>
    public static ExperimentTable Read(string path, string variantColumn, string metricColumn, string? covariateColumn)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        var variant = RequiredColumn(reader, variantColumn, "--variant-col");
        var metric = RequiredColumn(reader, metricColumn, "--metric-col");
        var covariate = covariateColumn is null ? -1 : RequiredColumn(reader, covariateColumn, "--covariate");

        var summaries = new Dictionary<string, PairedSummary>(StringComparer.Ordinal);
        long read = 0, missingMetric = 0, missingVariant = 0, missingCovariate = 0;
        var binary = true;
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

            read++;
            f.Reset();
            if (f.IsEmpty(variant))
            {
                missingVariant++;
                continue;
            }

            if (f.IsEmpty(metric))
            {
                missingMetric++;
                continue;
            }

            var y = Number(f, metric);
            binary &= y is 0 or 1;
            var x = 0.0;
            if (covariate >= 0)
            {
                if (f.IsEmpty(covariate))
                {
                    missingCovariate++;
                }
                else
                {
                    x = Number(f, covariate);
                }
            }

            if (f.Failed)
            {
                throw new InvalidDataException($"{reader.FileName}: line {reader.Line}: column '{f.ErrorColumn}': {f.ErrorReason}.");
            }

            var name = Encoding.UTF8.GetString(f.Raw(variant));
            summaries[name] = summaries.GetValueOrDefault(name).Add(x, y);
        }

        if (summaries.Count == 0)
        {
            throw new InvalidDataException(read == 0
                ? $"{reader.FileName}: no data rows."
                : $"{reader.FileName}: column '{metricColumn}' is missing in all {read} rows (or '{variantColumn}' is): nothing to analyze.");
        }

        var variants = summaries.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new VariantData(p.Key, p.Value)).ToList();
        return new ExperimentTable(reader.FileName, variantColumn, metricColumn, covariateColumn, variants, read, missingMetric, missingVariant, missingCovariate, binary);
    }

    private static int RequiredColumn(CsvReader reader, string name, string option)
    {
        var index = reader.Header.ToList().IndexOf(name);
        if (index < 0)
        {
            throw new InvalidDataException($"{reader.FileName}: line 1: {option} column '{name}' is not in the header ({string.Join(", ", reader.Header)}).");
        }

        return index;
    }

    /// <summary>A number, or a flag read as 1/0 (retention_1 = TRUE).</summary>
    private static double Number(FieldReader f, int column)
    {
        var text = Encoding.UTF8.GetString(f.Raw(column));
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        switch (text.ToLowerInvariant())
        {
            case "true" or "t" or "yes" or "y":
                return 1;
            case "false" or "f" or "no" or "n":
                return 0;
            default:
                f.Reject(column, $"'{text}' is neither a finite number nor a true/false flag");
                return 0;
        }
    }
}
