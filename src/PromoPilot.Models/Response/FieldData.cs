using Microsoft.ML;
using Microsoft.ML.Data;

namespace PromoPilot.Models.Response;

/// <summary>
/// An in-memory ML.NET data view that splits each encoded row into one vector column per input feature (a "field"
/// in the sense of field-aware factorization machines, Juan, Zhuang, Chin &amp; Lin 2016): field 0 is the column
/// <c>Features</c>, field k the column <c>F{k}</c>, plus the 0/1 <c>Label</c>. ML.NET's FFM trainer reads one
/// column per field; LoadFromEnumerable needs a fixed row type, so this view is built by hand.
/// </summary>
internal sealed class FieldData : IDataView
{
    private readonly float[][] _rows;
    private readonly IReadOnlyList<bool> _labels;
    private readonly (int From, int Length)[] _fields;

    private FieldData(float[][] rows, IReadOnlyList<bool> labels, (int From, int Length)[] fields)
    {
        _rows = rows;
        _labels = labels;
        _fields = fields;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Label", BooleanDataViewType.Instance);
        for (var f = 0; f < fields.Length; f++)
        {
            builder.AddColumn(ColumnName(f), new VectorDataViewType(NumberDataViewType.Single, fields[f].Length));
        }

        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    /// <summary>The column holding field <paramref name="field"/>.</summary>
    public static string ColumnName(int field) => field == 0 ? MlNet.Features : $"F{field}";

    /// <summary>The fields (contiguous slot ranges, one per input feature) of an encoder's layout.</summary>
    public static (int From, int Length)[] Fields(FeatureEncoder encoder)
    {
        var owner = encoder.SlotFeatures;
        var fields = new List<(int From, int Length)>();
        for (var slot = 0; slot < owner.Length; slot++)
        {
            if (slot == 0 || owner[slot] != owner[slot - 1])
            {
                fields.Add((slot, 0));
            }

            fields[^1] = (fields[^1].From, fields[^1].Length + 1);
        }

        return [.. fields];
    }

    public static FieldData Create(float[][] rows, IReadOnlyList<bool> labels, (int From, int Length)[] fields) => new(rows, labels, fields);

    public long? GetRowCount() => _rows.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(FieldData data) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => data.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 >= data._rows.Length)
            {
                _position = data._rows.Length;
                return false;
            }

            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == 0)
            {
                ValueGetter<bool> label = (ref bool value) => value = data._labels[(int)_position];
                return (ValueGetter<TValue>)(Delegate)label;
            }

            var (from, length) = data._fields[column.Index - 1];
            ValueGetter<VBuffer<float>> vector = (ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, length);
                data._rows[(int)_position].AsSpan(from, length).CopyTo(editor.Values);
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)vector;
        }
    }
}
