using System.Text;

namespace PromoPilot.Models.Recommendation;

/// <summary>One recommended item and its model score (higher is better; scales differ by model).</summary>
public readonly record struct ScoredItem(int Item, float Score);

/// <summary>
/// The answer for one user. <see cref="ColdStart"/> is true when the model could not score this user
/// (unknown user, or no history for an item-based model) and the list is the most-popular fallback.
/// </summary>
public sealed record Recommendations(int User, IReadOnlyList<ScoredItem> Items, bool ColdStart)
{
    /// <summary>
    /// The algorithm that produced the list: the model's own name, the member of a hybrid chain that answered
    /// (e.g. "content"), or "pop" for the cold-start fallback.
    /// </summary>
    public string Source { get; init; } = "";
}

/// <summary>
/// Which items may be recommended. Defaults: items the user already has in the matrix passed to
/// <c>Recommend</c> are excluded; no other exclusion; every item allowed.
/// </summary>
public sealed record RecommendFilter
{
    public static RecommendFilter Default { get; } = new();

    /// <summary>Drop items present in the user's row of the matrix passed in (default true).</summary>
    public bool ExcludeSeen { get; init; } = true;

    /// <summary>Items never to recommend (out of stock, excluded by a campaign).</summary>
    public IReadOnlySet<int>? ExcludedItems { get; init; }

    /// <summary>When set, only these items may be recommended (a category, a promotion's products).</summary>
    public IReadOnlySet<int>? AllowedItems { get; init; }
}

/// <summary>
/// The one interface of every recommender (the shape of the <c>implicit</c> library): <see cref="Fit"/> on
/// a user-item <see cref="CsrMatrix"/>, <see cref="Recommend"/> for one user or
/// <see cref="RecommendBatch"/> for many with a <see cref="RecommendFilter"/>, <see cref="SimilarItems"/>,
/// <see cref="Save"/> and <see cref="Load"/> on a <see cref="Stream"/>. Models never read files or databases.
/// Users the model cannot score get the most-popular items of the training matrix, marked
/// <see cref="Recommendations.ColdStart"/>.
/// </summary>
public abstract class Recommender
{
    private const string Magic = "PromoPilot.Recommender";
    private const int FormatVersion = 3;
    private float[] popularity = [];

    /// <summary>The short name used by the CLI and in saved models (pop, itemknn, ease, ...).</summary>
    public abstract string Algorithm { get; }

    /// <summary>Users (rows) of the training matrix.</summary>
    public int Users { get; private set; }

    /// <summary>Items (columns) of the training matrix; every score vector has this length.</summary>
    public int Items { get; private set; }

    public bool IsFitted { get; private set; }

    /// <summary>Number of users who interacted with each item in the training matrix.</summary>
    public ReadOnlySpan<float> ItemPopularity => popularity;

    /// <summary>Trains on a user-item matrix (rows users, columns items, values weights).</summary>
    public void Fit(CsrMatrix userItems)
    {
        ArgumentNullException.ThrowIfNull(userItems);
        if (userItems.Rows == 0 || userItems.Columns == 0 || userItems.NonZeros == 0)
        {
            throw new ArgumentException($"the user-item matrix is empty ({userItems.Rows} users, {userItems.Columns} items, {userItems.NonZeros} interactions).", nameof(userItems));
        }

        for (var p = 0; p < userItems.NonZeros; p++)
        {
            if (userItems.Values[p] < 0)
            {
                throw new ArgumentException("interaction weights must be >= 0.", nameof(userItems));
            }
        }

        var counts = new float[userItems.Columns];
        foreach (var c in userItems.ColumnIndices)
        {
            counts[c]++;
        }

        popularity = counts;
        Users = userItems.Rows;
        Items = userItems.Columns;
        IsFitted = false;
        FitCore(userItems);
        IsFitted = true;
    }

    /// <summary>
    /// Top <paramref name="count"/> items for <paramref name="user"/>, whose history is row <paramref name="user"/>
    /// of <paramref name="userItems"/> (the training matrix, or a newer one with the same items; a user past its
    /// last row has no history).
    /// </summary>
    public Recommendations Recommend(int user, CsrMatrix userItems, int count, RecommendFilter? filter = null)
    {
        CheckQuery(userItems, count);
        ArgumentOutOfRangeException.ThrowIfNegative(user);
        var scores = new float[Items];
        return RecommendInto(user, userItems, count, filter ?? RecommendFilter.Default, scores);
    }

    /// <summary>
    /// Top <paramref name="count"/> items for a user given only their history (item columns ascending and unique,
    /// with weights): a user unknown to the model (<paramref name="user"/> null) or a known one with a newer history.
    /// Models that need the user's own fitted parameters (ALS, BPR, user-kNN) answer a null user with the fallback.
    /// Thread-safe: nothing in the model is written.
    /// </summary>
    public Recommendations RecommendHistory(ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, int count, RecommendFilter? filter = null, int? user = null)
    {
        EnsureFitted();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (historyItems.Length != historyValues.Length)
        {
            throw new ArgumentException("historyItems and historyValues must have the same length.", nameof(historyValues));
        }

        for (var h = 0; h < historyItems.Length; h++)
        {
            if ((uint)historyItems[h] >= (uint)Items || (h > 0 && historyItems[h - 1] >= historyItems[h]))
            {
                throw new ArgumentException($"history items must be unique, ascending and in [0, {Items}).", nameof(historyItems));
            }

            if (!float.IsFinite(historyValues[h]) || historyValues[h] < 0)
            {
                throw new ArgumentException("history weights must be finite and >= 0.", nameof(historyValues));
            }
        }

        if (user is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(user), user, "user must be >= 0 (or null for a user unknown to the model).");
        }

        var scores = new float[Items];
        var result = RecommendSpans(user ?? Users, historyItems, historyValues, count, filter ?? RecommendFilter.Default, scores);
        return user is null ? result with { User = -1 } : result;
    }

    /// <summary>The same as calling <see cref="Recommend"/> for each user, run on all cores.</summary>
    public IReadOnlyList<Recommendations> RecommendBatch(IReadOnlyList<int> users, CsrMatrix userItems, int count, RecommendFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        CheckQuery(userItems, count);
        filter ??= RecommendFilter.Default;
        var results = new Recommendations[users.Count];
        Parallel.For(0, users.Count, () => new float[Items], (n, _, scores) =>
        {
            ArgumentOutOfRangeException.ThrowIfNegative(users[n]);
            results[n] = RecommendInto(users[n], userItems, count, filter, scores);
            return scores;
        }, _ => { });
        return results;
    }

    /// <summary>The <paramref name="count"/> items most similar to <paramref name="item"/> (itself excluded).</summary>
    public IReadOnlyList<ScoredItem> SimilarItems(int item, int count)
    {
        EnsureFitted();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if ((uint)item >= (uint)Items)
        {
            throw new ArgumentOutOfRangeException(nameof(item), item, $"item must be in [0, {Items}).");
        }

        var scores = new float[Items];
        ItemSimilarities(item, scores);
        scores[item] = float.NegativeInfinity;
        return TopK.Select(scores, count, static _ => true);
    }

    /// <summary>Writes the model (options, learned parameters and popularity) to <paramref name="stream"/>.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        EnsureFitted();
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(Algorithm);
        writer.Write(Users);
        writer.Write(Items);
        RecommenderIo.WriteFloats(writer, popularity);
        SaveCore(writer);
    }

    /// <summary>Reads a model written by <see cref="Save"/>; it recommends exactly as the saved one did.</summary>
    public static Recommender Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException("not a PromoPilot recommender model.");
        }

        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"recommender format version {version} is not supported (expected {FormatVersion}).");
        }

        var algorithm = reader.ReadString();
        var users = reader.ReadInt32();
        var items = reader.ReadInt32();
        var popularity = RecommenderIo.ReadFloats(reader);
        Recommender model = algorithm switch
        {
            PopularRecommender.Name => PopularRecommender.LoadCore(reader),
            ItemKnnRecommender.Name => ItemKnnRecommender.LoadCore(reader),
            UserKnnRecommender.Name => UserKnnRecommender.LoadCore(reader),
            EaseRecommender.Name => EaseRecommender.LoadCore(reader),
            AlsRecommender.Name => AlsRecommender.LoadCore(reader),
            BprRecommender.Name => BprRecommender.LoadCore(reader),
            HybridRecommender.Name => HybridRecommender.LoadCore(reader),
            ContentRecommender.Name => ContentRecommender.LoadCore(reader),
            _ => throw new InvalidDataException($"unknown recommender algorithm '{algorithm}'."),
        };
        model.Users = users;
        model.Items = items;
        model.popularity = popularity;
        model.IsFitted = true;
        return model;
    }

    /// <summary>Learns the model's parameters; the matrix is non-empty with non-negative weights.</summary>
    protected abstract void FitCore(CsrMatrix userItems);

    /// <summary>
    /// Writes every item's score for a user into <paramref name="scores"/> (length <see cref="Items"/>, zeroed),
    /// or returns false when the model cannot score this user (then the popular fallback is used).
    /// </summary>
    protected internal abstract bool TryScore(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores);

    /// <summary>Writes the similarity of every item to <paramref name="item"/> into <paramref name="scores"/> (zeroed).</summary>
    protected abstract void ItemSimilarities(int item, Span<float> scores);

    protected abstract void SaveCore(BinaryWriter writer);

    protected void EnsureFitted()
    {
        if (!IsFitted)
        {
            throw new InvalidOperationException($"the {Algorithm} model is not fitted: call Fit first.");
        }
    }

    private void CheckQuery(CsrMatrix userItems, int count)
    {
        EnsureFitted();
        ArgumentNullException.ThrowIfNull(userItems);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (userItems.Columns != Items)
        {
            throw new ArgumentException($"the matrix has {userItems.Columns} items but the model was fitted on {Items}.", nameof(userItems));
        }
    }

    /// <summary>
    /// Scores a user like <see cref="TryScore"/> and names the algorithm that did (a hybrid names its member),
    /// or returns null when the model cannot score this user.
    /// </summary>
    protected internal virtual string? ScoreWithSource(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores) =>
        TryScore(user, historyItems, historyValues, scores) ? Algorithm : null;

    private Recommendations RecommendInto(int user, CsrMatrix userItems, int count, RecommendFilter filter, float[] scores)
    {
        var known = user < userItems.Rows;
        var history = known ? userItems.RowColumns(user) : [];
        var values = known ? userItems.RowValues(user) : [];
        return RecommendSpans(user, history, values, count, filter, scores);
    }

    private Recommendations RecommendSpans(int user, ReadOnlySpan<int> history, ReadOnlySpan<float> values, int count, RecommendFilter filter, float[] scores)
    {
        Array.Clear(scores);
        var source = ScoreWithSource(user, history, values, scores);
        var scored = source is not null;
        if (!scored)
        {
            scores.AsSpan().Clear();
            popularity.CopyTo(scores, 0);
        }

        if (filter.ExcludeSeen)
        {
            foreach (var i in history)
            {
                scores[i] = float.NegativeInfinity;
            }
        }

        var excluded = filter.ExcludedItems;
        var allowed = filter.AllowedItems;
        var items = TopK.Select(scores, count, i => (excluded is null || !excluded.Contains(i)) && (allowed is null || allowed.Contains(i)));
        return new Recommendations(user, items, !scored) { Source = source ?? PopularRecommender.Name };
    }
}

/// <summary>Selection of the k highest scores; ties go to the lower item index so results are deterministic.</summary>
internal static class TopK
{
    public static ScoredItem[] Select(ReadOnlySpan<float> scores, int k, Func<int, bool> admit)
    {
        // A min-heap of the best k so far: heap[0] is the worst kept.
        var heap = new ScoredItem[Math.Min(k, scores.Length)];
        var size = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var s = scores[i];
            if (float.IsNegativeInfinity(s) || float.IsNaN(s))
            {
                continue;
            }

            if (size == heap.Length && !Better(s, i, heap[0]))
            {
                continue;
            }

            if (!admit(i))
            {
                continue;
            }

            if (size < heap.Length)
            {
                heap[size] = new ScoredItem(i, s);
                SiftUp(heap, size++);
            }
            else
            {
                heap[0] = new ScoredItem(i, s);
                SiftDown(heap, 0, size);
            }
        }

        var result = heap[..size];
        Array.Sort(result, static (a, b) => Better(a.Score, a.Item, b) ? -1 : Better(b.Score, b.Item, a) ? 1 : 0);
        return result;
    }

    private static bool Better(float score, int item, ScoredItem other) => score > other.Score || (score == other.Score && item < other.Item);

    private static void SiftUp(ScoredItem[] heap, int n)
    {
        while (n > 0)
        {
            var parent = (n - 1) / 2;
            if (!Better(heap[parent].Score, heap[parent].Item, heap[n]))
            {
                break;
            }

            (heap[parent], heap[n]) = (heap[n], heap[parent]);
            n = parent;
        }
    }

    private static void SiftDown(ScoredItem[] heap, int n, int size)
    {
        while (true)
        {
            var left = (2 * n) + 1;
            var worst = n;
            if (left < size && Better(heap[worst].Score, heap[worst].Item, heap[left]))
            {
                worst = left;
            }

            if (left + 1 < size && Better(heap[worst].Score, heap[worst].Item, heap[left + 1]))
            {
                worst = left + 1;
            }

            if (worst == n)
            {
                return;
            }

            (heap[worst], heap[n]) = (heap[n], heap[worst]);
            n = worst;
        }
    }
}

internal static class RecommenderIo
{
    public static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values)
    {
        writer.Write(values.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
    }

    public static float[] ReadFloats(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length < 0)
        {
            throw new InvalidDataException("negative array length in a saved model.");
        }

        var values = new float[length];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        for (var read = 0; read < bytes.Length;)
        {
            var n = reader.Read(bytes[read..]);
            if (n == 0)
            {
                throw new InvalidDataException("the saved model ends early.");
            }

            read += n;
        }

        return values;
    }
}
