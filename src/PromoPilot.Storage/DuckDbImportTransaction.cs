using System.Text.Json;
using DuckDB.NET.Data;
using PromoPilot.Core;
using PromoPilot.Core.Domain;
using PromoPilot.Core.Storage;

namespace PromoPilot.Storage;

/// <summary>
/// One import inside one DuckDB transaction. Facts stream through appenders as they arrive; dimension
/// rows are collected in memory and merged at commit (a later import may refine an earlier row).
/// </summary>
internal sealed class DuckDbImportTransaction : IImportTransaction
{
    private readonly DuckDbStore _store;
    private readonly ImportHeader _header;
    private readonly Dictionary<string, long> _written = new(StringComparer.Ordinal);
    private readonly Dimension _users;
    private readonly Dimension _items;
    private readonly Dimension _orders;
    private readonly Dimension _stores;
    private readonly Dimension _campaigns;
    private readonly Dimension _offers;
    private readonly Dictionary<long, string?> _userAttributes = [];
    private readonly Dictionary<long, ItemRecord> _itemRows = [];
    private readonly Dictionary<long, OrderRecord> _orderRows = [];
    private readonly Dictionary<long, StoreRecord> _storeRows = [];
    private readonly Dictionary<long, CampaignRecord> _campaignRows = [];
    private readonly Dictionary<long, OfferRecord> _offerRows = [];
    private readonly BackgroundAppender _appender;
    private bool _committed;

    public DuckDbImportTransaction(DuckDbStore store, ImportHeader header)
    {
        _store = store;
        _header = header;
        _store.Execute("BEGIN TRANSACTION");
        ImportId = _store.Scalar<int>("SELECT coalesce(max(import_id), 0) + 1 FROM import_log");
        _users = new Dimension(store, "users", "user_key", "user_id", header.Dataset);
        _items = new Dimension(store, "items", "item_key", "item_id", header.Dataset);
        _orders = new Dimension(store, "orders", "order_key", "order_id", header.Dataset);
        _stores = new Dimension(store, "stores", "store_key", "store_id", header.Dataset);
        _campaigns = new Dimension(store, "campaigns", "campaign_key", "campaign_id", header.Dataset);
        _offers = new Dimension(store, "offers", "offer_key", "offer_id", header.Dataset);
        // Existing keys are read now: once the appender thread owns the connection, nothing else may use it.
        foreach (var dimension in new[] { _users, _items, _orders, _stores, _campaigns, _offers })
        {
            dimension.Load();
        }

        _appender = new BackgroundAppender(store.Connection, ImportId);
    }

    public int ImportId { get; }

    public string Dataset => _header.Dataset;

    public IReadOnlyDictionary<string, long> RowsWritten => _written;

    public int UserKey(string userId) => checked((int)_users.Key(userId));

    public int ItemKey(string itemId) => checked((int)_items.Key(itemId));

    public long OrderKey(string orderId) => _orders.Key(orderId);

    public int StoreKey(string storeId) => checked((int)_stores.Key(storeId));

    public int CampaignKey(string campaignId) => checked((int)_campaigns.Key(campaignId));

    public int OfferKey(string offerId) => checked((int)_offers.Key(offerId));

    public void SetUserAttributes(int userKey, string? attributesJson) => _userAttributes[userKey] = attributesJson;

    public void Upsert(ItemRecord item) => _itemRows[item.Key] = item;

    public void Upsert(OrderRecord order) => _orderRows[order.Key] = order;

    public void Upsert(StoreRecord store) => _storeRows[store.Key] = store;

    public void Upsert(CampaignRecord campaign) => _campaignRows[campaign.Key] = campaign;

    public void Upsert(OfferRecord offer) => _offerRows[offer.Key] = offer;

    public void Write(in EventRecord row)
    {
        _appender.Events.Add(row);
        Count("events");
    }

    public void Write(in StoreWeekSaleRecord row)
    {
        _appender.Sales.Add(row);
        Count("store_week_sales");
    }

    public void Write(in ExposureRecord row)
    {
        _appender.Exposures.Add(row);
        Count("exposures");
    }

    public void Write(in ResponseRecord row)
    {
        _appender.Responses.Add(row);
        Count("responses");
    }

    public void Quarantine(QuarantinedRow row)
    {
        _appender.Quarantine.Add(row);
        Count("quarantine");
    }

    public void Commit(long rowsRead, long rowsAccepted, long rowsQuarantined, double seconds)
    {
        _appender.Complete();
        MergeDimensions();
        _store.Execute(
            "INSERT INTO import_log VALUES ($id, $kind, $dataset, $source, $key, $started, $seconds, $read, $accepted, $quarantined, $tables)",
            ("id", ImportId), ("kind", _header.Kind), ("dataset", _header.Dataset), ("source", _header.Source),
            ("key", _header.ContentKey), ("started", _header.StartedAt.UtcDateTime), ("seconds", seconds),
            ("read", rowsRead), ("accepted", rowsAccepted), ("quarantined", rowsQuarantined),
            ("tables", JsonSerializer.Serialize(_written.Where(t => t.Value > 0).OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary())));
        _store.Execute("COMMIT");
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        try
        {
            _appender.Complete();
        }
        catch (IOException)
        {
            // The transaction is rolled back below; a failed flush has nothing left to lose.
        }

        _store.Execute("ROLLBACK");
    }

    private void Count(string table) => _written[table] = _written.GetValueOrDefault(table) + 1;

    /// <summary>Writes new dimension rows and replaces refined ones, through a staging copy of each table.</summary>
    private void MergeDimensions()
    {
        Merge(_users, _userAttributes.Keys, (row, key, id) => row
            .AppendValue((int)key).AppendValue(Dataset).AppendValue(id).AppendValue(_userAttributes.GetValueOrDefault(key)).AppendValue(ImportId));
        Merge(_items, _itemRows.Keys, (row, key, id) =>
        {
            var item = _itemRows.GetValueOrDefault(key) ?? new ItemRecord((int)key, id);
            row.AppendValue((int)key).AppendValue(Dataset).AppendValue(id).AppendValue(item.Title).AppendValue(item.CategoryPath)
                .AppendValue(item.Brand).AppendValue(item.Price).AppendValue(item.Cost).AppendValue(item.Currency)
                .AppendValue(item.IsProduct).AppendValue(item.AttributesJson).AppendValue(ImportId);
        });
        Merge(_stores, _storeRows.Keys, (row, key, id) => row
            .AppendValue((int)key).AppendValue(Dataset).AppendValue(id).AppendValue(_storeRows.GetValueOrDefault(key)?.AttributesJson).AppendValue(ImportId));
        Merge(_campaigns, _campaignRows.Keys, (row, key, id) =>
        {
            var c = _campaignRows.GetValueOrDefault(key) ?? new CampaignRecord((int)key, id);
            row.AppendValue((int)key).AppendValue(Dataset).AppendValue(id).AppendValue(c.Name).AppendValue(c.CampaignType)
                .AppendValue(c.StartsAt).AppendValue(c.EndsAt).AppendValue(c.AttributesJson).AppendValue(ImportId);
        });
        Merge(_offers, _offerRows.Keys, (row, key, id) =>
        {
            var o = _offerRows.GetValueOrDefault(key) ?? new OfferRecord((int)key, id, null, null);
            row.AppendValue((int)key).AppendValue(Dataset).AppendValue(id).AppendValue(o.CampaignKey).AppendValue(o.ItemKey)
                .AppendValue(o.OfferType).AppendValue(o.AttributesJson).AppendValue(ImportId);
        });
        Merge(_orders, _orderRows.Keys, (row, key, id) =>
        {
            var o = _orderRows.GetValueOrDefault(key) ?? new OrderRecord(key, id, null, null);
            row.AppendValue(key).AppendValue(Dataset).AppendValue(id).AppendValue(o.UserKey).AppendValue(o.OrderedAt)
                .AppendValue(o.Currency).AppendValue(o.StoreKey).AppendValue((sbyte)o.Channel).AppendValue(o.IsRefund)
                .AppendValue(o.RefundOfOrderKey).AppendValue(ImportId);
        });
    }

    private void Merge(Dimension dimension, IEnumerable<long> refined, Action<IDuckDBAppenderRow, long, string> append)
    {
        var keys = new SortedSet<long>(dimension.NewKeys.Keys);
        keys.UnionWith(refined);
        if (keys.Count == 0)
        {
            return;
        }

        var stage = "stage_" + dimension.Table;
        _store.Execute($"CREATE OR REPLACE TEMP TABLE {stage} AS SELECT * FROM {dimension.Table} LIMIT 0");
        using (var appender = _store.Connection.CreateAppender(stage))
        {
            foreach (var key in keys)
            {
                var row = appender.CreateRow();
                append(row, key, dimension.IdOf(key));
                row.EndRow();
            }
        }

        _store.Execute($"DELETE FROM {dimension.Table} WHERE {dimension.KeyColumn} IN (SELECT {dimension.KeyColumn} FROM {stage})");
        _store.Execute($"INSERT INTO {dimension.Table} SELECT * FROM {stage}");
        _store.Execute($"DROP TABLE {stage}");
        _written[dimension.Table] = keys.Count;
    }

    /// <summary>Stable keys of one dimension: existing ones loaded on first use, new ones numbered after the largest.</summary>
    private sealed class Dimension(DuckDbStore store, string table, string keyColumn, string idColumn, string dataset)
    {
        private Dictionary<string, long>? _keys;
        private Dictionary<long, string>? _ids;
        private long _next;

        public string Table { get; } = table;

        public string KeyColumn { get; } = keyColumn;

        public Dictionary<long, string> NewKeys { get; } = [];

        public long Key(string id)
        {
            if (_keys!.TryGetValue(id, out var key))
            {
                return key;
            }

            key = _next++;
            _keys.Add(id, key);
            NewKeys.Add(key, id);
            return key;
        }

        public string IdOf(long key)
        {
            if (NewKeys.TryGetValue(key, out var id))
            {
                return id;
            }

            if (_ids is null)
            {
                _ids = [];
                foreach (var (k, v) in _keys ?? Load())
                {
                    _ids[v] = k;
                }
            }

            return _ids.TryGetValue(key, out id) ? id : throw new InvalidOperationException($"{Table}: key {key} was not handed out by this import.");
        }

        public Dictionary<string, long> Load()
        {
            _keys = new Dictionary<string, long>(IdentifierComparer.Instance);
            using var command = store.Connection.CreateCommand();
            command.CommandText = $"SELECT {idColumn}, {KeyColumn} FROM {Table} WHERE dataset = $dataset";
            command.Parameters.Add(new DuckDBParameter("dataset", dataset));
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    _keys[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            _next = store.Scalar<long>($"SELECT coalesce(max({KeyColumn}), 0) + 1 FROM {Table}");
            return _keys;
        }
    }
}
