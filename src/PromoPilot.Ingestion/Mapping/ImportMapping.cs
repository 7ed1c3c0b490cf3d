using System.Text.Json;
using System.Text.Json.Serialization;
using PromoPilot.Core.Domain;

namespace PromoPilot.Ingestion.Mapping;

/// <summary>
/// How a user's own CSV or Parquet export maps onto events: which column holds the user, the item, the
/// time, the event type... with date formats and value maps. Written as a small JSON file; see
/// docs/import-mapping.md.
/// </summary>
public sealed record ImportMapping
{
    /// <summary>Canonical fields a column can be mapped to.</summary>
    public static readonly IReadOnlyList<string> Fields =
    [
        "user_id", "item_id", "timestamp", "event_type", "quantity", "unit_price", "discount", "value",
        "order_id", "campaign_id", "offer_id", "channel", "store_id", "item_title", "category", "brand", "cost",
    ];

    /// <summary>Column names that look like personal data; using them needs an explicit decision.</summary>
    private static readonly string[] PiiNameHints = ["email", "e-mail", "phone", "mobile", "address", "street", "first_name", "last_name", "full_name", "firstname", "lastname", "surname"];

    /// <summary>Namespace of the identifiers (two imports with the same dataset share users and items).</summary>
    public string Dataset { get; init; } = "custom";

    /// <summary>csv or parquet; by default from the file extension.</summary>
    public string? Format { get; init; }

    public string Delimiter { get; init; } = ",";

    /// <summary>utf-8 (validated) or latin-1.</summary>
    public string Encoding { get; init; } = "utf-8";

    public bool HasHeader { get; init; } = true;

    /// <summary>Column names when the file has no header.</summary>
    public IReadOnlyList<string>? ColumnNames { get; init; }

    public string Currency { get; init; } = "EUR";

    /// <summary>.NET date formats tried in order ("dd/MM/yyyy HH:mm"), or "iso" (the default), or "unix" (seconds).</summary>
    public IReadOnlyList<string>? TimestampFormats { get; init; }

    /// <summary>Canonical field -> source column.</summary>
    public IReadOnlyDictionary<string, string> Columns { get; init; } = new Dictionary<string, string>();

    /// <summary>Canonical field -> value used on every row (e.g. event_type: purchase).</summary>
    public IReadOnlyDictionary<string, string> Constants { get; init; } = new Dictionary<string, string>();

    /// <summary>Canonical field -> (source value -> canonical value), e.g. event_type: {"pv": "view"}.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ValueMaps { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Source columns kept as user attributes (JSON).</summary>
    public IReadOnlyList<string> UserAttributes { get; init; } = [];

    /// <summary>Source columns that hold personal data: each must be dropped or be the pseudonymized user id.</summary>
    public IReadOnlyList<string> Pii { get; init; } = [];

    /// <summary>Source columns never read.</summary>
    public IReadOnlyList<string> Drop { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads and checks a mapping file; every mistake names the file and the field.</summary>
    /// <exception cref="InvalidDataException">The mapping is not valid; the message says where and why.</exception>
    public static ImportMapping Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: mapping file not found.", path);
        }

        ImportMapping? mapping;
        try
        {
            mapping = JsonSerializer.Deserialize<ImportMapping>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" field {e.Path.TrimStart('$', '.')}:";
            var reason = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"unknown field (known: {string.Join(", ", typeof(ImportMapping).GetProperties().Where(p => p.CanWrite).Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)))})"
                : e.Message.Split(" Path:")[0];
            throw new InvalidDataException($"{path}: line {(e.LineNumber ?? 0) + 1}:{field} {reason}", e);
        }

        return (mapping ?? throw new InvalidDataException($"{path}: the mapping is empty.")).Validate(path);
    }

    /// <summary>Checks what the JSON schema cannot: known fields, known event types and channels, PII decisions.</summary>
    public ImportMapping Validate(string source)
    {
        void Fail(string field, string reason) => throw new InvalidDataException($"{source}: field {field}: {reason}");

        if (string.IsNullOrWhiteSpace(Dataset) || Dataset.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            Fail("dataset", $"'{Dataset}' must be letters, digits, '_' or '-'");
        }

        if (Delimiter.Length != 1 || Delimiter[0] > 127)
        {
            Fail("delimiter", $"'{Delimiter}' must be one ASCII character");
        }

        if (Encoding is not ("utf-8" or "latin-1"))
        {
            Fail("encoding", $"'{Encoding}' is not supported (utf-8 or latin-1)");
        }

        if (Format is not (null or "csv" or "parquet"))
        {
            Fail("format", $"'{Format}' is not supported (csv or parquet)");
        }

        if (!HasHeader && ColumnNames is not { Count: > 0 })
        {
            Fail("column_names", "required when has_header is false");
        }

        if (Currency.Length != 3 || !Currency.All(char.IsAsciiLetterUpper))
        {
            Fail("currency", $"'{Currency}' is not an ISO 4217 code such as EUR");
        }

        foreach (var field in Columns.Keys.Concat(Constants.Keys).Concat(ValueMaps.Keys))
        {
            if (!Fields.Contains(field))
            {
                Fail($"columns.{field}", $"unknown canonical field (known: {string.Join(", ", Fields)})");
            }
        }

        foreach (var field in Columns.Keys.Intersect(Constants.Keys))
        {
            Fail($"constants.{field}", "is also mapped to a column; use one or the other");
        }

        if (!Columns.ContainsKey("event_type") && !Constants.ContainsKey("event_type"))
        {
            Fail("columns.event_type", "required: map a column or give constants.event_type (e.g. \"purchase\")");
        }

        if (!Columns.ContainsKey("user_id") && !Columns.ContainsKey("item_id"))
        {
            Fail("columns.user_id", "map user_id or item_id (an event needs a user, an item, or both)");
        }

        CheckValues("event_type", v => DomainNames.TryParseEventType(v, out _), string.Join(", ", Enum.GetValues<EventType>().Select(t => t.Name())));
        CheckValues("channel", v => DomainNames.TryParseChannel(v, out _), string.Join(", ", Enum.GetValues<Channel>().Select(c => c.Name())));

        var userColumn = Columns.GetValueOrDefault("user_id");
        foreach (var column in Pii)
        {
            if (!Drop.Contains(column) && column != userColumn)
            {
                Fail($"pii.{column}", "personal data must be dropped (add it to drop) or be the pseudonymized user_id; it is never stored");
            }
        }

        foreach (var column in Pii.Intersect(Columns.Where(c => c.Key != "user_id").Select(c => c.Value).Concat(UserAttributes)))
        {
            Fail($"pii.{column}", "marked as personal data but mapped to a stored field");
        }

        foreach (var column in UserAttributes.Where(LooksLikePii).Where(c => !Drop.Contains(c)))
        {
            Fail($"user_attributes.{column}", "looks like personal data (email, phone, name, address); mark it in pii and drop it");
        }

        return this;

        void CheckValues(string field, Func<string, bool> valid, string known)
        {
            if (Constants.TryGetValue(field, out var constant) && !valid(constant))
            {
                Fail($"constants.{field}", $"'{constant}' is not valid (known: {known})");
            }

            foreach (var (from, to) in ValueMaps.GetValueOrDefault(field) ?? new Dictionary<string, string>())
            {
                if (!valid(to))
                {
                    Fail($"value_maps.{field}.{from}", $"'{to}' is not valid (known: {known})");
                }
            }
        }
    }

    public static bool LooksLikePii(string column) =>
        PiiNameHints.Any(h => column.Replace(' ', '_').Contains(h, StringComparison.OrdinalIgnoreCase));

    /// <summary>Checks the mapping against the file's header; names the missing column.</summary>
    public void ValidateAgainst(IReadOnlyList<string> header, string source, string file)
    {
        foreach (var (field, column) in Columns)
        {
            if (!header.Contains(column, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{source}: field columns.{field}: column '{column}' is not in {file} (columns: {string.Join(", ", header)})");
            }
        }

        foreach (var column in UserAttributes)
        {
            if (!header.Contains(column, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{source}: field user_attributes: column '{column}' is not in {file}");
            }
        }

        var undeclared = header.Where(h => LooksLikePii(h) && !Pii.Contains(h, StringComparer.OrdinalIgnoreCase) && !Drop.Contains(h, StringComparer.OrdinalIgnoreCase)).ToList();
        if (undeclared.Count > 0)
        {
            throw new InvalidDataException($"{source}: field pii: {file} has columns that look like personal data ({string.Join(", ", undeclared)}); list them in pii and drop (or confirm they are not personal by adding them to drop)");
        }
    }
}
