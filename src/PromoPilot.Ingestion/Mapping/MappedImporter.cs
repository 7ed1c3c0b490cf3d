using System.Text;
using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Mapping;

/// <summary>
/// Imports events from any CSV or Parquet file through an <see cref="ImportMapping"/>, so a team can bring
/// its own export without writing code. Orders, items and users named by the events are created as they
/// appear; the first row that names one sets its attributes.
/// </summary>
public sealed class MappedImporter(ImportMapping mapping, string mappingSource) : IDatasetImporter, IHasConfiguration
{
    public string Kind => ImporterCatalog.MappedKind;

    public string Dataset => mapping.Dataset;

    public string ConfigurationFingerprint { get; } = System.Text.Json.JsonSerializer.Serialize(mapping);

    public static MappedImporter Load(string mappingFile) => new(ImportMapping.Load(mappingFile), mappingFile);

    public IReadOnlyList<string> InputFiles(string input)
    {
        if (File.Exists(input))
        {
            return [input];
        }

        if (Directory.Exists(input))
        {
            var files = Directory.GetFiles(input).Where(f => IsParquet(f) || IsCsv(f)).Order(StringComparer.Ordinal).ToList();
            return files.Count > 0 ? files : throw new FileNotFoundException($"{input}: no .csv, .csv.gz or .parquet files in this folder.");
        }

        throw new FileNotFoundException($"{input}: no such file or folder.", input);
    }

    public void Import(ImportContext context)
    {
        foreach (var file in InputFiles(context.Input))
        {
            using var reader = Open(file);
            mapping.ValidateAgainst(reader.Header, mappingSource, reader.FileName);
            new FileImport(mapping, context, reader).Run();
        }
    }

    private IRecordReader Open(string file) =>
        mapping.Format == "parquet" || (mapping.Format is null && IsParquet(file))
            ? new ParquetRecordReader(file)
            : CsvReader.Open(file, new CsvOptions
            {
                Delimiter = (byte)mapping.Delimiter[0],
                HasHeader = mapping.HasHeader,
                ColumnNames = mapping.ColumnNames,
                Latin1 = mapping.Encoding == "latin-1",
            });

    private static bool IsParquet(string file) => file.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    private static bool IsCsv(string file) =>
        file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase)
        || file.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".txt", StringComparison.OrdinalIgnoreCase);

    /// <summary>The column indices and caches of one file.</summary>
    private sealed class FileImport
    {
        private readonly ImportMapping _mapping;
        private readonly ImportContext _context;
        private readonly IRecordReader _reader;
        private readonly int _user, _item, _timestamp, _eventType, _quantity, _unitPrice, _discount, _value, _order, _campaign, _offer, _channel, _store, _title, _category, _brand, _cost;
        private readonly int[] _userAttributes;
        private readonly int[] _withheld;
        private readonly bool _unixTime;
        private readonly IReadOnlyList<string>? _formats;
        private readonly CodeLookup<EventType> _eventTypes;
        private readonly CodeLookup<Channel> _channels;
        private readonly EventType _constantEventType;
        private readonly Channel _constantChannel;
        private readonly Dictionary<string, int> _campaigns = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _offers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _stores = new(StringComparer.Ordinal);
        private readonly HashSet<long> _ordersSeen = [];
        private readonly HashSet<int> _usersSeen = [];
        private readonly HashSet<int> _itemsSeen = [];

        public FileImport(ImportMapping mapping, ImportContext context, IRecordReader reader)
        {
            _mapping = mapping;
            _context = context;
            _reader = reader;
            var fields = new FieldReader(reader);
            int Col(string field) => mapping.Columns.TryGetValue(field, out var column) ? fields.Column(column) : -1;
            (_user, _item, _timestamp, _eventType, _quantity, _unitPrice, _discount, _value) =
                (Col("user_id"), Col("item_id"), Col("timestamp"), Col("event_type"), Col("quantity"), Col("unit_price"), Col("discount"), Col("value"));
            (_order, _campaign, _offer, _channel, _store, _title, _category, _brand, _cost) =
                (Col("order_id"), Col("campaign_id"), Col("offer_id"), Col("channel"), Col("store_id"), Col("item_title"), Col("category"), Col("brand"), Col("cost"));
            _userAttributes = [.. mapping.UserAttributes.Select(fields.Column)];
            _withheld = [.. mapping.Pii.Concat(mapping.Drop).Select(fields.OptionalColumn).Where(c => c >= 0 && c != _user).Distinct()];
            _unixTime = mapping.TimestampFormats is [var only] && string.Equals(only, "unix", StringComparison.OrdinalIgnoreCase);
            _formats = _unixTime ? null : mapping.TimestampFormats;
            _eventTypes = new CodeLookup<EventType>(mapping.ValueMaps.GetValueOrDefault("event_type"), DomainNames.TryParseEventType);
            _channels = new CodeLookup<Channel>(mapping.ValueMaps.GetValueOrDefault("channel"), DomainNames.TryParseChannel);
            // Constants were checked by ImportMapping.Validate; absent ones leave the defaults.
            _ = DomainNames.TryParseEventType(mapping.Constants.GetValueOrDefault("event_type") ?? "", out _constantEventType);
            _ = DomainNames.TryParseChannel(mapping.Constants.GetValueOrDefault("channel") ?? "", out _constantChannel);
        }

        public void Run() => _context.ReadAll(_reader, Accept, _user >= 0 ? [_user] : [], _withheld);

        private bool Accept(FieldReader row)
        {
            var type = _constantEventType;
            if (_eventType >= 0 && !_eventTypes.TryGet(row.Raw(_eventType), out type))
            {
                return row.Reject(_eventType, $"'{Encoding.UTF8.GetString(row.Raw(_eventType))}' is not a known event type (add it to value_maps.event_type)");
            }

            var channel = _constantChannel;
            if (_channel >= 0 && !row.IsEmpty(_channel) && !_channels.TryGet(row.Raw(_channel), out channel))
            {
                return row.Reject(_channel, $"'{Encoding.UTF8.GetString(row.Raw(_channel))}' is not a known channel (add it to value_maps.channel)");
            }

            if (_user >= 0 && row.IsEmpty(_user) && (_item < 0 || row.IsEmpty(_item)))
            {
                return row.Reject(_user, "neither a user nor an item");
            }

            DateTime? at = null;
            if (_timestamp >= 0)
            {
                at = _unixTime
                    ? UnixSeconds(row, _timestamp)
                    : row.Timestamp(_timestamp, _formats, min: new DateTime(1970, 1, 1), max: new DateTime(2100, 1, 1));
            }

            var quantity = _quantity >= 0 ? row.Double(_quantity, -10_000_000, 10_000_000) : 1.0;
            var unitPrice = _unitPrice >= 0 ? row.DecimalOrNull(_unitPrice, 1_000_000_000m) : null;
            var discount = _discount >= 0 ? row.DecimalOrNull(_discount, 1_000_000_000m) : null;
            var value = _value >= 0 ? row.DoubleOrNull(_value) : null;
            var cost = _cost >= 0 ? row.DecimalOrNull(_cost, 1_000_000_000m, allowNegative: false) : null;
            if (row.Failed)
            {
                return false;
            }

            if (unitPrice < 0 && type is not (EventType.Refund or EventType.Adjustment))
            {
                return row.Reject(_unitPrice, $"negative unit price on a {type.Name()} event");
            }

            int? userKey = _user >= 0 && !row.IsEmpty(_user) ? _context.UserKey(row.Raw(_user)) : null;
            int? itemKey = _item >= 0 && !row.IsEmpty(_item) ? _context.ItemKey(row.Raw(_item)) : null;
            var writer = _context.Writer;
            if (userKey is { } u && _userAttributes.Length > 0 && _usersSeen.Add(u))
            {
                writer.SetUserAttributes(u, Attributes.Of([.. _userAttributes.Select(c => (_reader.Header[c], (object?)row.Text(c)))]));
            }

            if (itemKey is { } i && (_title >= 0 || _category >= 0 || _brand >= 0 || _cost >= 0 || _unitPrice >= 0) && _itemsSeen.Add(i))
            {
                writer.Upsert(new ItemRecord(i, row.Text(_item)!, row.Text(_title), row.Text(_category), row.Text(_brand), unitPrice is > 0 ? unitPrice : null, cost, _mapping.Currency));
            }

            int? storeKey = _store >= 0 && !row.IsEmpty(_store) ? Key(_stores, row.Text(_store)!, writer.StoreKey) : null;
            long? orderKey = null;
            if (_order >= 0 && !row.IsEmpty(_order))
            {
                var orderId = row.Text(_order)!;
                orderKey = _context.OrderKey(orderId);
                if (_ordersSeen.Add(orderKey.Value))
                {
                    writer.Upsert(new OrderRecord(orderKey.Value, orderId, userKey, at, _mapping.Currency, storeKey, channel, IsRefund: type == EventType.Refund));
                }
            }

            writer.Write(new EventRecord(
                type, userKey, itemKey, at, quantity, unitPrice, discount, value, orderKey,
                _campaign >= 0 && !row.IsEmpty(_campaign) ? Key(_campaigns, row.Text(_campaign)!, writer.CampaignKey) : null,
                _offer >= 0 && !row.IsEmpty(_offer) ? Key(_offers, row.Text(_offer)!, writer.OfferKey) : null,
                storeKey, channel, _reader.Line));
            return true;
        }

        private static DateTime UnixSeconds(FieldReader row, int column)
        {
            var seconds = row.Int64(column, 0, 4_102_444_800);
            return row.Failed ? default : DateTime.UnixEpoch.AddSeconds(seconds);
        }

        private static int Key(Dictionary<string, int> cache, string id, Func<string, int> create)
        {
            if (!cache.TryGetValue(id, out var key))
            {
                key = create(id);
                cache.Add(id, key);
            }

            return key;
        }
    }

    /// <summary>Maps raw codes ("pv", "buy") to enum values through a value map and the canonical names, caching each code.</summary>
    private sealed class CodeLookup<T>(IReadOnlyDictionary<string, string>? valueMap, TryParse<T> parse)
        where T : struct
    {
        private readonly Dictionary<string, T?> _cache = new(StringComparer.Ordinal);

        public bool TryGet(ReadOnlySpan<byte> raw, out T value)
        {
            Span<char> chars = stackalloc char[64];
            if (raw.Length <= chars.Length)
            {
                var n = Encoding.UTF8.GetChars(raw, chars);
                if (_cache.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..n], out var cached))
                {
                    value = cached.GetValueOrDefault();
                    return cached.HasValue;
                }
            }

            var text = Encoding.UTF8.GetString(raw);
            T? result = parse(valueMap?.GetValueOrDefault(text) ?? text, out var parsed) ? parsed : null;
            if (_cache.Count < 10_000)
            {
                _cache[text] = result;
            }

            value = result.GetValueOrDefault();
            return result.HasValue;
        }
    }

    private delegate bool TryParse<T>(string text, out T value);
}
