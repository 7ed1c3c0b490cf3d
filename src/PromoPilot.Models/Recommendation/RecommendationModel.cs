using System.Text;

namespace PromoPilot.Models.Recommendation;

/// <summary>One recommended item by its catalog id.</summary>
public readonly record struct RecommendedItem(string ItemId, float Score);

/// <summary>
/// A user's list from <see cref="RecommendationModel.Recommend"/>. <see cref="Fallback"/> is null when the trained
/// model answered, "content" when the user was answered from item attributes (too little collaborative history, or
/// a user the model never saw with a few known items), "popular" when nothing personal was possible (unknown user
/// without usable history: the most-popular items).
/// </summary>
public sealed record UserRecommendations(string UserId, IReadOnlyList<RecommendedItem> Items, string Source, string? Fallback)
{
    /// <summary>True when the list is a fallback rather than the trained model's answer.</summary>
    public bool ColdStart => Fallback is not null;

    /// <summary>Whether the user was a row of the training matrix.</summary>
    public bool KnownUser { get; init; }
}

/// <summary>What may be recommended, by catalog ids. Defaults: the user's training history excluded, nothing else.</summary>
public sealed record RecommendationQuery
{
    public static RecommendationQuery Default { get; } = new();

    /// <summary>Drop every item in the user's training history (default true). Turn off to exclude only <see cref="ExcludedItems"/> (e.g. only bought items).</summary>
    public bool ExcludeHistory { get; init; } = true;

    /// <summary>Item ids never to recommend (already bought, out of stock, excluded by a campaign); unknown ids are ignored.</summary>
    public IReadOnlyCollection<string>? ExcludedItems { get; init; }

    /// <summary>When set, only these item ids may be recommended; unknown ids are ignored.</summary>
    public IReadOnlyCollection<string>? AllowedItems { get; init; }

    /// <summary>
    /// Interactions newer than the model (item id, weight), added to the user's training history; for a user the model
    /// never saw they are the whole history (cold-start user). Unknown item ids are ignored.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, float>>? RecentItems { get; init; }
}

/// <summary>
/// A fitted recommender ready to serve by catalog ids: the model, the user and item ids of its matrix, each user's
/// training history, and an optional content-based fallback for users the model cannot answer. Immutable after
/// <see cref="Create"/> or <see cref="Load"/>: <see cref="Recommend"/> and <see cref="SimilarItems"/> are safe to call
/// from many threads at once. Reads and writes streams only (models never read files).
/// </summary>
public sealed class RecommendationModel
{
    private const string Magic = "PromoPilot.RecommendationModel";
    private const int FormatVersion = 1;
    private readonly Dictionary<string, int> userIndex;
    private readonly Dictionary<string, int> itemIndex;
    private readonly string[] userIds;
    private readonly string[] itemIds;

    private RecommendationModel(Recommender model, Recommender? fallback, string[] userIds, string[] itemIds, CsrMatrix history)
    {
        Model = model;
        ContentFallback = fallback;
        this.userIds = userIds;
        this.itemIds = itemIds;
        History = history;
        userIndex = Index(userIds, "user");
        itemIndex = Index(itemIds, "item");
    }

    /// <summary>The trained model.</summary>
    public Recommender Model { get; }

    /// <summary>The content-based model asked when <see cref="Model"/> cannot score a user; null when none.</summary>
    public Recommender? ContentFallback { get; }

    /// <summary>The training matrix (rows <see cref="UserIds"/>, columns <see cref="ItemIds"/>).</summary>
    public CsrMatrix History { get; }

    public IReadOnlyList<string> UserIds => userIds;

    public IReadOnlyList<string> ItemIds => itemIds;

    /// <summary>Bundles a fitted model with the matrix it was fitted on; <paramref name="contentFallback"/> must be fitted on it too.</summary>
    public static RecommendationModel Create(Recommender model, InteractionMatrix data, Recommender? contentFallback = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (!model.IsFitted || model.Items != data.Matrix.Columns || model.Users != data.Matrix.Rows)
        {
            throw new ArgumentException("the model must be fitted on this interaction matrix.", nameof(model));
        }

        if (contentFallback is not null && (!contentFallback.IsFitted || contentFallback.Items != data.Matrix.Columns))
        {
            throw new ArgumentException("the fallback must be fitted on the same items.", nameof(contentFallback));
        }

        return new RecommendationModel(model, contentFallback, [.. data.UserIds], [.. data.ItemIds], data.Matrix);
    }

    /// <summary>Whether <paramref name="userId"/> is a row of the training matrix.</summary>
    public bool ContainsUser(string userId) => userIndex.ContainsKey(userId);

    /// <summary>Whether <paramref name="itemId"/> is a column of the model.</summary>
    public bool ContainsItem(string itemId) => itemIndex.ContainsKey(itemId);

    /// <summary>
    /// The top <paramref name="count"/> items for <paramref name="userId"/>: the trained model when it can score the user,
    /// else the content fallback from the user's (recent) items, else the most-popular items; <see cref="UserRecommendations.Fallback"/>
    /// says which. Never throws for an unknown user or unknown item ids. Thread-safe.
    /// </summary>
    public UserRecommendations Recommend(string userId, int count, RecommendationQuery? query = null)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        query ??= RecommendationQuery.Default;
        var known = userIndex.TryGetValue(userId, out var row);
        var (items, values) = HistoryOf(known ? row : -1, query.RecentItems);
        var filter = new RecommendFilter
        {
            ExcludeSeen = query.ExcludeHistory,
            ExcludedItems = Ids(query.ExcludedItems),
            AllowedItems = query.AllowedItems is null ? null : Ids(query.AllowedItems) ?? new HashSet<int>(),
        };

        var result = Model.RecommendHistory(items, values, count, filter, known ? row : null);
        var fallback = result.ColdStart ? "popular" : result.Source == Model.Algorithm ? null : FallbackName(result.Source);
        if (fallback == "popular" && ContentFallback is not null && items.Length > 0)
        {
            var content = ContentFallback.RecommendHistory(items, values, count, filter, known ? row : null);
            if (!content.ColdStart)
            {
                result = content;
                fallback = "content";
            }
        }

        var list = result.Items.Select(s => new RecommendedItem(itemIds[s.Item], s.Score)).ToArray();
        return new UserRecommendations(userId, list, result.ColdStart ? PopularRecommender.Name : result.Source, fallback) { KnownUser = known };
    }

    /// <summary>The <paramref name="count"/> items most similar to <paramref name="itemId"/> (empty for an unknown item). Thread-safe.</summary>
    public IReadOnlyList<RecommendedItem> SimilarItems(string itemId, int count)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (!itemIndex.TryGetValue(itemId, out var item))
        {
            return [];
        }

        var answer = Model.ItemPopularity[item] == 0 && ContentFallback is not null ? ContentFallback : Model;
        return [.. answer.SimilarItems(item, count).Select(s => new RecommendedItem(itemIds[s.Item], s.Score))];
    }

    /// <summary>Writes the bundle: ids, training matrix, model and fallback.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        WriteStrings(writer, userIds);
        WriteStrings(writer, itemIds);
        History.Write(writer);
        writer.Flush();
        Model.Save(stream);
        writer.Write(ContentFallback is not null);
        writer.Flush();
        ContentFallback?.Save(stream);
    }

    /// <summary>Reads a bundle written by <see cref="Save"/>.</summary>
    public static RecommendationModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException("not a PromoPilot recommendation model bundle.");
        }

        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"recommendation model format version {version} is not supported (expected {FormatVersion}).");
        }

        var users = ReadStrings(reader);
        var items = ReadStrings(reader);
        var history = CsrMatrix.Read(reader);
        var model = Recommender.Load(stream);
        var fallback = reader.ReadBoolean() ? Recommender.Load(stream) : null;
        if (history.Rows != users.Length || history.Columns != items.Length || model.Items != items.Length)
        {
            throw new InvalidDataException("the bundle's ids, matrix and model disagree on the number of users or items.");
        }

        return new RecommendationModel(model, fallback, users, items, history);
    }

    private static string? FallbackName(string source) => source switch
    {
        ContentRecommender.Name => "content",
        PopularRecommender.Name => "popular",
        _ => null,
    };

    private (int[] Items, float[] Values) HistoryOf(int row, IReadOnlyList<KeyValuePair<string, float>>? recent)
    {
        var merged = new SortedDictionary<int, float>();
        if (row >= 0)
        {
            var cols = History.RowColumns(row);
            var vals = History.RowValues(row);
            for (var p = 0; p < cols.Length; p++)
            {
                merged[cols[p]] = vals[p];
            }
        }

        foreach (var (id, weight) in recent ?? [])
        {
            if (id is not null && itemIndex.TryGetValue(id, out var item) && float.IsFinite(weight) && weight > 0)
            {
                merged[item] = merged.GetValueOrDefault(item) + weight;
            }
        }

        return ([.. merged.Keys], [.. merged.Values]);
    }

    private HashSet<int>? Ids(IReadOnlyCollection<string>? ids)
    {
        if (ids is null)
        {
            return null;
        }

        var set = new HashSet<int>();
        foreach (var id in ids)
        {
            if (id is not null && itemIndex.TryGetValue(id, out var item))
            {
                set.Add(item);
            }
        }

        return set;
    }

    private static Dictionary<string, int> Index(string[] ids, string what)
    {
        var index = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var n = 0; n < ids.Length; n++)
        {
            if (!index.TryAdd(ids[n], n))
            {
                throw new ArgumentException($"{what} id '{ids[n]}' appears twice.", nameof(ids));
            }
        }

        return index;
    }

    private static void WriteStrings(BinaryWriter writer, string[] values)
    {
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    private static string[] ReadStrings(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length < 0)
        {
            throw new InvalidDataException("negative id count in a saved model.");
        }

        var values = new string[length];
        for (var n = 0; n < length; n++)
        {
            values[n] = reader.ReadString();
        }

        return values;
    }
}
