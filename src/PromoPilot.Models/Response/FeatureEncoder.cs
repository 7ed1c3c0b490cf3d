using PromoPilot.Core.Modeling;

namespace PromoPilot.Models.Response;

/// <summary>How missing numbers reach the learner.</summary>
public enum MissingHandling
{
    /// <summary>Kept as NaN: gradient-boosted trees learn which side of a split missing values go to.</summary>
    Native,

    /// <summary>Standardized, replaced by the training mean (0 after standardizing), plus a 0/1 "was missing" column: for linear models.</summary>
    ImputeWithIndicator,
}

/// <summary>
/// Turns a <see cref="FeatureTable"/> into dense float vectors: categories one-hot (levels seen in training, in
/// ordinal order; a missing value is its own level when training had one; an unseen level is all zeros), numbers
/// as they are or standardized and imputed (see <see cref="MissingHandling"/>). Fitted on training rows only.
/// </summary>
public sealed class FeatureEncoder
{
    private const string MissingLevel = "(missing)";
    private readonly Slot[] _slots;

    private FeatureEncoder(Slot[] slots, MissingHandling missing, IReadOnlyList<string> names)
    {
        _slots = slots;
        Missing = missing;
        FeatureNames = names;
    }

    public MissingHandling Missing { get; }

    /// <summary>The encoded vector's slots, e.g. "coupon=Bar", "temperature", "temperature:missing".</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    public int Width => FeatureNames.Count;

    /// <summary>The input features (name and kind) in training order: what data must match to be scored.</summary>
    public IReadOnlyList<ModelFeature> Schema => [.. _slots.Select(s => new ModelFeature(s.Name, s.Levels is not null))];

    /// <summary>For each encoded slot, the index of the input feature (in <see cref="Schema"/>) it comes from.</summary>
    internal int[] SlotFeatures
    {
        get
        {
            var map = new int[Width];
            for (var s = 0; s < _slots.Length; s++)
            {
                var end = s + 1 < _slots.Length ? _slots[s + 1].Offset : Width;
                for (var slot = _slots[s].Offset; slot < end; slot++)
                {
                    map[slot] = s;
                }
            }

            return map;
        }
    }

    /// <summary>Everything needed to rebuild the encoder, for saving a model.</summary>
    internal EncoderState ToState() => new(
        Missing,
        FeatureNames,
        [.. _slots.Select(s => new SlotState(s.Name, s.Offset, s.Levels?.OrderBy(l => l.Value).Select(l => l.Key).ToList(), s.Mean, s.Scale, s.Indicator))]);

    internal static FeatureEncoder FromState(EncoderState state) => new(
        [.. state.Slots.Select(s => new Slot(s.Name, s.Offset, s.Levels?.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal), s.Mean, s.Scale, s.Indicator))],
        state.Missing,
        state.Names);

    /// <summary>Learns levels, means and scales from the training table.</summary>
    /// <exception cref="ArgumentException">A feature is missing in every row (the message names it).</exception>
    public static FeatureEncoder Fit(FeatureTable table, MissingHandling missing)
    {
        ArgumentNullException.ThrowIfNull(table);
        var slots = new List<Slot>();
        var names = new List<string>();
        foreach (var column in table.Columns)
        {
            var present = Enumerable.Range(0, column.Length).Count(r => !column.IsMissing(r));
            if (present == 0)
            {
                throw new ArgumentException($"feature '{column.Name}' is missing in every row: drop it or fill it.", nameof(table));
            }

            var hasMissing = present < column.Length;
            if (column.Categories is { } categories)
            {
                var levels = categories.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                if (hasMissing)
                {
                    levels.Add(MissingLevel);
                }

                slots.Add(new Slot(column.Name, names.Count, levels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal), 0, 1, false));
                names.AddRange(levels.Select(l => $"{column.Name}={l}"));
            }
            else
            {
                var values = column.Numbers!.Where(v => !double.IsNaN(v)).ToArray();
                var mean = values.Average();
                var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
                var indicator = missing == MissingHandling.ImputeWithIndicator && hasMissing;
                slots.Add(new Slot(column.Name, names.Count, null, mean, sd > 0 ? sd : 1, indicator));
                names.Add(column.Name);
                if (indicator)
                {
                    names.Add($"{column.Name}:missing");
                }
            }
        }

        return new FeatureEncoder([.. slots], missing, names);
    }

    /// <summary>One dense vector per row.</summary>
    /// <exception cref="ArgumentException">The table lacks a feature the encoder was fitted on, or its kind changed.</exception>
    public float[][] Encode(FeatureTable table)
    {
        var columns = Bind(table);
        var rows = new float[table.RowCount][];
        for (var r = 0; r < rows.Length; r++)
        {
            var x = new float[Width];
            EncodeRow(columns, r, x);
            rows[r] = x;
        }

        return rows;
    }

    /// <summary>The table's column for each input feature, in training order (checked once for a whole batch).</summary>
    /// <exception cref="ArgumentException">The table lacks a feature the encoder was fitted on, or its kind changed.</exception>
    internal FeatureColumn[] Bind(FeatureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = new FeatureColumn[_slots.Length];
        for (var s = 0; s < _slots.Length; s++)
        {
            var column = table.Columns.FirstOrDefault(c => c.Name == _slots[s].Name)
                ?? throw new ArgumentException($"feature '{_slots[s].Name}' is missing from the table (the model was trained with it).", nameof(table));
            if (column.IsCategorical != (_slots[s].Levels is not null))
            {
                throw new ArgumentException($"feature '{column.Name}' was {(_slots[s].Levels is null ? "numeric" : "categorical")} in training.", nameof(table));
            }

            columns[s] = column;
        }

        return columns;
    }

    /// <summary>Writes row <paramref name="r"/> of the bound columns into <paramref name="x"/> (<see cref="Width"/> floats, overwritten): no allocation.</summary>
    internal void EncodeRow(FeatureColumn[] columns, int r, Span<float> x)
    {
        x[..Width].Clear();
        for (var s = 0; s < _slots.Length; s++)
        {
            var slot = _slots[s];
            if (slot.Levels is { } levels)
            {
                var value = columns[s].Categories![r];
                if (levels.TryGetValue(string.IsNullOrEmpty(value) ? MissingLevel : value, out var level))
                {
                    x[slot.Offset + level] = 1;
                }
            }
            else
            {
                var value = columns[s].Numbers![r];
                if (Missing == MissingHandling.Native)
                {
                    x[slot.Offset] = (float)value;
                }
                else
                {
                    x[slot.Offset] = double.IsNaN(value) ? 0 : (float)((value - slot.Mean) / slot.Scale);
                    if (slot.Indicator)
                    {
                        x[slot.Offset + 1] = double.IsNaN(value) ? 1 : 0;
                    }
                }
            }
        }
    }

    private sealed record Slot(string Name, int Offset, Dictionary<string, int>? Levels, double Mean, double Scale, bool Indicator);
}

internal sealed record EncoderState(MissingHandling Missing, IReadOnlyList<string> Names, IReadOnlyList<SlotState> Slots);

internal sealed record SlotState(string Name, int Offset, IReadOnlyList<string>? Levels, double Mean, double Scale, bool Indicator);
