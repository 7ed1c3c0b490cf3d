using System.Globalization;

namespace PromoPilot.Features.Segments;

/// <summary>
/// The feature table made ready for k-means: missing values imputed with the column median, skewed
/// non-negative columns log1p-transformed (optional), then z-scored with the population standard deviation
/// (as scikit-learn's StandardScaler). Columns missing everywhere or constant are dropped.
/// </summary>
internal sealed class StandardizedFeatures
{
    private StandardizedFeatures(
        double[] z,
        int rows,
        int[] kept,
        double[] medians,
        List<string> logTransformed,
        List<DroppedFeature> dropped,
        List<string> notes)
    {
        Z = z;
        Rows = rows;
        Kept = kept;
        Medians = medians;
        LogTransformed = logTransformed;
        Dropped = dropped;
        Notes = notes;
    }

    /// <summary>Row-major standardized values, <see cref="Dimensions"/> per row.</summary>
    public double[] Z { get; }

    public int Rows { get; }

    public int Dimensions => Kept.Length;

    /// <summary>Input column of each kept feature.</summary>
    public int[] Kept { get; }

    /// <summary>Median used for missing values of each kept feature (original units).</summary>
    public double[] Medians { get; }

    public List<string> LogTransformed { get; }

    public List<DroppedFeature> Dropped { get; }

    public List<string> Notes { get; }

    public static StandardizedFeatures From(FeatureTable table, SegmentationOptions options)
    {
        var n = table.Rows.Count;
        var p = table.FeatureNames.Count;
        var kept = new List<int>();
        var medians = new List<double>();
        var means = new List<double>();
        var deviations = new List<double>();
        var logs = new List<bool>();
        var logTransformed = new List<string>();
        var dropped = new List<DroppedFeature>();
        var notes = new List<string>();
        var column = new double[n];

        for (var j = 0; j < p; j++)
        {
            var name = table.FeatureNames[j];
            var missing = 0;
            for (var i = 0; i < n; i++)
            {
                column[i] = table.Rows[i].Values[j];
                if (double.IsNaN(column[i]))
                {
                    missing++;
                }
            }

            if (missing == n)
            {
                dropped.Add(new DroppedFeature(name, "missing for every customer"));
                continue;
            }

            var median = 0.0;
            if (missing > 0)
            {
                median = Median(column.Where(v => !double.IsNaN(v)).ToArray());
                for (var i = 0; i < n; i++)
                {
                    if (double.IsNaN(column[i]))
                    {
                        column[i] = median;
                    }
                }

                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{name}': {missing} missing value(s) imputed with the median {median:G6}."));
            }

            var min = column.Min();
            var max = column.Max();
            if (min == max)
            {
                dropped.Add(new DroppedFeature(name, string.Create(CultureInfo.InvariantCulture, $"constant ({min:G6}) for every customer")));
                continue;
            }

            var log = options.LogTransform == LogTransformMode.SkewedNonNegative
                && min >= 0
                && Skewness(column) > options.SkewnessThreshold;
            if (log)
            {
                for (var i = 0; i < n; i++)
                {
                    column[i] = Math.Log(1 + column[i]);
                }

                logTransformed.Add(name);
            }

            var mean = column.Average();
            var variance = 0.0;
            foreach (var value in column)
            {
                variance += (value - mean) * (value - mean);
            }

            var deviation = Math.Sqrt(variance / n);
            if (!(deviation > 0))
            {
                dropped.Add(new DroppedFeature(name, "no spread left after the log transform"));
                continue;
            }

            kept.Add(j);
            medians.Add(median);
            means.Add(mean);
            deviations.Add(deviation);
            logs.Add(log);
        }

        foreach (var feature in dropped)
        {
            notes.Add($"'{feature.Name}' left out: {feature.Reason}.");
        }

        if (logTransformed.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"log1p applied before standardizing (non-negative, skewness above {options.SkewnessThreshold:G4}): {string.Join(", ", logTransformed)}."));
        }

        var d = kept.Count;
        var z = new double[(long)n * d];
        for (var i = 0; i < n; i++)
        {
            var values = table.Rows[i].Values;
            for (var t = 0; t < d; t++)
            {
                var value = values[kept[t]];
                if (double.IsNaN(value))
                {
                    value = medians[t];
                }

                if (logs[t])
                {
                    value = Math.Log(1 + value);
                }

                z[(long)i * d + t] = (value - means[t]) / deviations[t];
            }
        }

        return new StandardizedFeatures(z, n, [.. kept], [.. medians], logTransformed, dropped, notes);
    }

    /// <summary>The value of a kept feature for a row in original units, the median standing in for a missing one.</summary>
    public double Original(FeatureTable table, int row, int feature)
    {
        var value = table.Rows[row].Values[Kept[feature]];
        return double.IsNaN(value) ? Medians[feature] : value;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>Fisher-Pearson skewness g1 = m3 / m2^1.5 (population moments); 0 for a constant column.</summary>
    private static double Skewness(double[] values)
    {
        var mean = values.Average();
        double m2 = 0, m3 = 0;
        foreach (var value in values)
        {
            var diff = value - mean;
            m2 += diff * diff;
            m3 += diff * diff * diff;
        }

        m2 /= values.Length;
        m3 /= values.Length;
        return m2 > 0 ? m3 / Math.Pow(m2, 1.5) : 0;
    }
}
