using System.Globalization;
using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Importers;

/// <summary>The stores of a Dominick's extract: one row per store, every other column a numeric attribute.</summary>
internal sealed class DominicksStores(ImportContext context)
{
    private readonly Dictionary<int, int> _keys = [];

    /// <summary>Reads a demographics file whose <paramref name="storeColumn"/> names the store.</summary>
    public static DominicksStores Import(ImportContext context, string path, string storeColumn)
    {
        var stores = new DominicksStores(context);
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        var store = f.Column(storeColumn);
        var columns = Enumerable.Range(0, reader.Header.Count).Where(c => c != store).ToArray();
        var names = columns.Select(c => reader.Header[c].ToLowerInvariant()).ToArray();
        var values = new (string, object?)[columns.Length];

        context.ReadAll(reader, row =>
        {
            var storeNo = row.Int32(store, 0, 1_000_000);
            for (var i = 0; i < columns.Length; i++)
            {
                values[i] = (names[i], row.DoubleOrNull(columns[i]));
            }

            if (row.Failed)
            {
                return false;
            }

            var key = stores.Key(storeNo);
            context.Writer.Upsert(new StoreRecord(key, storeNo.ToString(CultureInfo.InvariantCulture), Attributes.Of(values)));
            return true;
        });
        return stores;
    }

    /// <summary>The key of a store by its number; a store missing from the demographics file gets a bare row.</summary>
    public int Key(int storeNo)
    {
        if (!_keys.TryGetValue(storeNo, out var key))
        {
            key = context.Writer.StoreKey(storeNo.ToString(CultureInfo.InvariantCulture));
            _keys.Add(storeNo, key);
        }

        return key;
    }
}
