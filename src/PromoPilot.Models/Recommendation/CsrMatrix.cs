namespace PromoPilot.Models.Recommendation;

/// <summary>
/// A sparse matrix in compressed sparse row form (the layout scipy and implicit use): row <c>r</c>
/// holds the columns <c>ColumnIndices[RowPointers[r]..RowPointers[r + 1]]</c>, sorted ascending and
/// unique, with their <see cref="Values"/>. Rows are users and columns items in a user-item matrix.
/// </summary>
public sealed class CsrMatrix
{
    public CsrMatrix(int rows, int columns, int[] rowPointers, int[] columnIndices, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentNullException.ThrowIfNull(rowPointers);
        ArgumentNullException.ThrowIfNull(columnIndices);
        ArgumentNullException.ThrowIfNull(values);
        if (rowPointers.Length != rows + 1 || rowPointers[0] != 0 || rowPointers[rows] != columnIndices.Length)
        {
            throw new ArgumentException("rowPointers must have rows + 1 entries, start at 0 and end at the number of stored entries.", nameof(rowPointers));
        }

        if (values.Length != columnIndices.Length)
        {
            throw new ArgumentException("values and columnIndices must have the same length.", nameof(values));
        }

        for (var r = 0; r < rows; r++)
        {
            if (rowPointers[r + 1] < rowPointers[r])
            {
                throw new ArgumentException($"rowPointers must not decrease (row {r}).", nameof(rowPointers));
            }

            for (var p = rowPointers[r]; p < rowPointers[r + 1]; p++)
            {
                var c = columnIndices[p];
                if (c < 0 || c >= columns || (p > rowPointers[r] && columnIndices[p - 1] >= c))
                {
                    throw new ArgumentException($"columnIndices of row {r} must be unique, ascending and in [0, {columns}).", nameof(columnIndices));
                }

                if (!float.IsFinite(values[p]))
                {
                    throw new ArgumentException($"values must be finite (row {r}, column {c}).", nameof(values));
                }
            }
        }

        Rows = rows;
        Columns = columns;
        RowPointers = rowPointers;
        ColumnIndices = columnIndices;
        Values = values;
    }

    public int Rows { get; }

    public int Columns { get; }

    public int[] RowPointers { get; }

    public int[] ColumnIndices { get; }

    public float[] Values { get; }

    public int NonZeros => ColumnIndices.Length;

    public ReadOnlySpan<int> RowColumns(int row) => ColumnIndices.AsSpan(RowPointers[row], RowPointers[row + 1] - RowPointers[row]);

    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(RowPointers[row], RowPointers[row + 1] - RowPointers[row]);

    public int RowLength(int row) => RowPointers[row + 1] - RowPointers[row];

    /// <summary>Builds a matrix from (row, column, value) triples; duplicates are summed.</summary>
    public static CsrMatrix FromTriples(int rows, int columns, ReadOnlySpan<int> rowIndex, ReadOnlySpan<int> columnIndex, ReadOnlySpan<float> value)
    {
        if (rowIndex.Length != columnIndex.Length || rowIndex.Length != value.Length)
        {
            throw new ArgumentException("rowIndex, columnIndex and value must have the same length.", nameof(value));
        }

        var counts = new int[rows + 1];
        for (var n = 0; n < rowIndex.Length; n++)
        {
            if ((uint)rowIndex[n] >= (uint)rows)
            {
                throw new ArgumentOutOfRangeException(nameof(rowIndex), rowIndex[n], $"row index must be in [0, {rows}).");
            }

            if ((uint)columnIndex[n] >= (uint)columns)
            {
                throw new ArgumentOutOfRangeException(nameof(columnIndex), columnIndex[n], $"column index must be in [0, {columns}).");
            }

            counts[rowIndex[n] + 1]++;
        }

        for (var r = 0; r < rows; r++)
        {
            counts[r + 1] += counts[r];
        }

        var cols = new int[rowIndex.Length];
        var vals = new float[rowIndex.Length];
        var next = (int[])counts.Clone();
        for (var n = 0; n < rowIndex.Length; n++)
        {
            var p = next[rowIndex[n]]++;
            cols[p] = columnIndex[n];
            vals[p] = value[n];
        }

        // Sort each row by column and sum duplicates, compacting in place.
        var pointers = new int[rows + 1];
        var write = 0;
        for (var r = 0; r < rows; r++)
        {
            var start = counts[r];
            var length = counts[r + 1] - start;
            Array.Sort(cols, vals, start, length);
            for (var p = start; p < start + length; p++)
            {
                if (write > pointers[r] && cols[write - 1] == cols[p])
                {
                    vals[write - 1] += vals[p];
                }
                else
                {
                    cols[write] = cols[p];
                    vals[write] = vals[p];
                    write++;
                }
            }

            pointers[r + 1] = write;
        }

        return new CsrMatrix(rows, columns, pointers, cols[..write], vals[..write]);
    }

    /// <summary>The transpose (an item-user matrix from a user-item one), still in CSR form.</summary>
    public CsrMatrix Transpose()
    {
        var pointers = new int[Columns + 1];
        foreach (var c in ColumnIndices)
        {
            pointers[c + 1]++;
        }

        for (var c = 0; c < Columns; c++)
        {
            pointers[c + 1] += pointers[c];
        }

        var next = (int[])pointers.Clone();
        var cols = new int[NonZeros];
        var vals = new float[NonZeros];
        for (var r = 0; r < Rows; r++)
        {
            for (var p = RowPointers[r]; p < RowPointers[r + 1]; p++)
            {
                var q = next[ColumnIndices[p]]++;
                cols[q] = r;
                vals[q] = Values[p];
            }
        }

        return new CsrMatrix(Columns, Rows, pointers, cols, vals);
    }

    /// <summary>The same pattern with every stored value replaced by <paramref name="map"/>(value).</summary>
    public CsrMatrix MapValues(Func<float, float> map)
    {
        var vals = new float[NonZeros];
        for (var p = 0; p < vals.Length; p++)
        {
            vals[p] = map(Values[p]);
        }

        return new CsrMatrix(Rows, Columns, RowPointers, ColumnIndices, vals);
    }

    internal void Write(BinaryWriter writer)
    {
        writer.Write(Rows);
        writer.Write(Columns);
        writer.Write(NonZeros);
        foreach (var p in RowPointers)
        {
            writer.Write(p);
        }

        foreach (var c in ColumnIndices)
        {
            writer.Write(c);
        }

        foreach (var v in Values)
        {
            writer.Write(v);
        }
    }

    internal static CsrMatrix Read(BinaryReader reader)
    {
        var rows = reader.ReadInt32();
        var columns = reader.ReadInt32();
        var nonZeros = reader.ReadInt32();
        var pointers = new int[rows + 1];
        for (var i = 0; i < pointers.Length; i++)
        {
            pointers[i] = reader.ReadInt32();
        }

        var cols = new int[nonZeros];
        for (var i = 0; i < cols.Length; i++)
        {
            cols[i] = reader.ReadInt32();
        }

        var vals = new float[nonZeros];
        for (var i = 0; i < vals.Length; i++)
        {
            vals[i] = reader.ReadSingle();
        }

        return new CsrMatrix(rows, columns, pointers, cols, vals);
    }
}
