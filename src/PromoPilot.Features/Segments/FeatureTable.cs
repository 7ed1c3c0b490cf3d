namespace PromoPilot.Features.Segments;

/// <summary>
/// One customer's profile for segmentation: a value per feature of the table (in the table's order),
/// plus the revenue and lifetime value used only for each segment's share of them (not clustered on).
/// </summary>
/// <param name="UserKey">The customer's surrogate key (<c>users.user_key</c>).</param>
/// <param name="Values">One value per feature; <see cref="double.NaN"/> marks a missing value (imputed with the column median).</param>
/// <param name="Revenue">Net revenue of the customer (for the segment's revenue share); 0 when unknown.</param>
/// <param name="Clv">Customer lifetime value (for the segment's CLV share); 0 when unknown.</param>
public sealed record FeatureRow(int UserKey, double[] Values, double Revenue = 0, double Clv = 0);

/// <summary>
/// A plain feature table: named numeric features, one row per customer. Built by the caller (profiles,
/// RFM, CLV); the segmenter reads nothing else.
/// </summary>
/// <param name="FeatureNames">Feature names, unique; well-known names (see <see cref="SegmentNamer"/>) give segments readable names.</param>
/// <param name="Rows">One row per customer, user keys unique.</param>
public sealed record FeatureTable(IReadOnlyList<string> FeatureNames, IReadOnlyList<FeatureRow> Rows)
{
    /// <summary>Checks the shape: names present and unique, every row as wide as the names, finite or missing values, unique keys.</summary>
    /// <exception cref="ArgumentException">The table is malformed; the message names the row or feature.</exception>
    internal void Validate(string parameterName)
    {
        if (FeatureNames is null || Rows is null)
        {
            throw new ArgumentException("The feature table needs feature names and rows.", parameterName);
        }

        if (FeatureNames.Count == 0)
        {
            throw new ArgumentException("The feature table has no features.", parameterName);
        }

        if (Rows.Count == 0)
        {
            throw new ArgumentException("The feature table has no customers.", parameterName);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in FeatureNames)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A feature name is empty.", parameterName);
            }

            if (!names.Add(name))
            {
                throw new ArgumentException($"The feature '{name}' appears twice.", parameterName);
            }
        }

        var keys = new HashSet<int>();
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i] ?? throw new ArgumentException($"Row {i} is null.", parameterName);
            if (!keys.Add(row.UserKey))
            {
                throw new ArgumentException($"User key {row.UserKey} appears in more than one row (row {i}).", parameterName);
            }

            if (row.Values is null || row.Values.Length != FeatureNames.Count)
            {
                throw new ArgumentException(
                    $"Row {i} (user key {row.UserKey}) has {row.Values?.Length ?? 0} values; the table has {FeatureNames.Count} features.",
                    parameterName);
            }

            for (var j = 0; j < row.Values.Length; j++)
            {
                if (double.IsInfinity(row.Values[j]))
                {
                    throw new ArgumentException(
                        $"Row {i} (user key {row.UserKey}) has an infinite value for '{FeatureNames[j]}'; use NaN for a missing value.",
                        parameterName);
                }
            }

            if (!double.IsFinite(row.Revenue) || !double.IsFinite(row.Clv))
            {
                throw new ArgumentException($"Row {i} (user key {row.UserKey}) has a revenue or CLV that is not a finite number.", parameterName);
            }
        }
    }
}
