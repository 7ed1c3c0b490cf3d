using PromoPilot.Core.Domain;

namespace PromoPilot.Models.Recommendation;

/// <summary>One interaction of a user with an item: an event type and, for ratings, the rating.</summary>
public readonly record struct Interaction(string UserId, string ItemId, EventType Type, double Value = 0);

/// <summary>
/// How much each event type counts in the user-item matrix. Defaults: view 1, add-to-cart 3,
/// purchase 5 (and favorite 2, click 1); other event types (refunds, exposures, adjustments) count 0
/// and are dropped. Ratings count as their value when <see cref="RatingsAsValue"/> is on, else as 1
/// (implicit feedback: "the user rated it").
/// </summary>
public sealed record EventWeights
{
    public float View { get; init; } = 1;

    public float Click { get; init; } = 1;

    public float AddToCart { get; init; } = 3;

    public float Favorite { get; init; } = 2;

    public float Purchase { get; init; } = 5;

    /// <summary>Weight of a rating when <see cref="RatingsAsValue"/> is off (default 1).</summary>
    public float Rating { get; init; } = 1;

    public bool RatingsAsValue { get; init; }

    public float Weight(EventType type, double value) => type switch
    {
        EventType.View => View,
        EventType.Click => Click,
        EventType.AddToCart => AddToCart,
        EventType.Favorite => Favorite,
        EventType.Purchase => Purchase,
        EventType.Rating => RatingsAsValue ? (float)value : Rating,
        _ => 0f,
    };
}

/// <summary>A user-item matrix with the ids of its rows and columns (ids in first-seen order).</summary>
public sealed record InteractionMatrix(CsrMatrix Matrix, IReadOnlyList<string> UserIds, IReadOnlyList<string> ItemIds)
{
    /// <summary>
    /// Builds the matrix: repeated interactions of one user with one item add their weights.
    /// Zero-weight events are dropped before ids are assigned.
    /// </summary>
    public static InteractionMatrix Build(IEnumerable<Interaction> interactions, EventWeights? weights = null)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        weights ??= new EventWeights();
        var users = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        var userIds = new List<string>();
        var itemIds = new List<string>();
        var rows = new List<int>();
        var cols = new List<int>();
        var vals = new List<float>();
        foreach (var x in interactions)
        {
            var w = weights.Weight(x.Type, x.Value);
            if (w == 0 || !float.IsFinite(w))
            {
                continue;
            }

            rows.Add(Index(users, userIds, x.UserId));
            cols.Add(Index(items, itemIds, x.ItemId));
            vals.Add(w);
        }

        if (rows.Count == 0)
        {
            throw new ArgumentException("no interaction has a non-zero weight: the matrix would be empty.", nameof(interactions));
        }

        var matrix = CsrMatrix.FromTriples(userIds.Count, itemIds.Count, rows.ToArray(), cols.ToArray(), vals.ToArray());
        return new InteractionMatrix(matrix, userIds, itemIds);
    }

    /// <summary>
    /// The same matrix with <paramref name="itemIds"/> not yet among its items appended as empty columns (catalog items
    /// nobody interacted with: cold-start items a content model can still recommend).
    /// </summary>
    public InteractionMatrix WithItems(IEnumerable<string> itemIds)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        var known = new HashSet<string>(ItemIds, StringComparer.Ordinal);
        var all = new List<string>(ItemIds);
        foreach (var id in itemIds)
        {
            if (id is not null && known.Add(id))
            {
                all.Add(id);
            }
        }

        var matrix = new CsrMatrix(Matrix.Rows, all.Count, Matrix.RowPointers, Matrix.ColumnIndices, Matrix.Values);
        return new InteractionMatrix(matrix, UserIds, all);
    }

    private static int Index(Dictionary<string, int> map, List<string> ids, string id)
    {
        if (!map.TryGetValue(id, out var index))
        {
            index = ids.Count;
            map.Add(id, index);
            ids.Add(id);
        }

        return index;
    }
}
