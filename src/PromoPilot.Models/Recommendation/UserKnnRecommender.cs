using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Recommendation;

/// <summary>Options of <see cref="UserKnnRecommender"/>.</summary>
public sealed record UserKnnOptions
{
    /// <summary>Neighbours kept per user (default 50).</summary>
    public int Neighbors { get; init; } = 50;

    /// <summary>Added to the cosine denominator (default 0).</summary>
    public double Shrinkage { get; init; }

    internal void Validate()
    {
        ModelArgs.Positive(Neighbors, nameof(Neighbors));
        ModelArgs.NonNegative(Shrinkage, nameof(Shrinkage));
    }
}

/// <summary>
/// User-based k-nearest-neighbour collaborative filtering (Resnick et al. 1994, GroupLens; Herlocker et al.
/// 1999): a user's score for item j is the sum of cosine(user, v) * weight(v, j) over their
/// <see cref="UserKnnOptions.Neighbors"/> most similar training users v. Only users present at fit time
/// with at least one interaction can be scored; others get the cold-start fallback.
/// </summary>
public sealed class UserKnnRecommender : Recommender
{
    public const string Name = "userknn";
    private CsrMatrix neighbours = new(0, 0, [0], [], []);
    private CsrMatrix train = new(0, 0, [0], [], []);

    public UserKnnRecommender(UserKnnOptions? options = null)
    {
        Options = options ?? new UserKnnOptions();
        Options.Validate();
    }

    public UserKnnOptions Options { get; }

    public override string Algorithm => Name;

    protected override void FitCore(CsrMatrix userItems)
    {
        train = userItems;
        neighbours = Neighbourhood.TopCosine(userItems, userItems.Transpose(), Options.Neighbors, Options.Shrinkage);
    }

    protected internal override bool TryScore(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores)
    {
        if (user >= neighbours.Rows || neighbours.RowLength(user) == 0)
        {
            return false;
        }

        var users = neighbours.RowColumns(user);
        var sims = neighbours.RowValues(user);
        for (var n = 0; n < users.Length; n++)
        {
            var items = train.RowColumns(users[n]);
            var values = train.RowValues(users[n]);
            for (var p = 0; p < items.Length; p++)
            {
                scores[items[p]] += sims[n] * values[p];
            }
        }

        return true;
    }

    protected override void ItemSimilarities(int item, Span<float> scores)
    {
        var itemUsers = train.Transpose();
        Neighbourhood.CosineOfRow(itemUsers, train, item, Options.Shrinkage, scores);
    }

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(Options.Neighbors);
        writer.Write(Options.Shrinkage);
        neighbours.Write(writer);
        train.Write(writer);
    }

    internal static UserKnnRecommender LoadCore(BinaryReader reader)
    {
        var options = new UserKnnOptions { Neighbors = reader.ReadInt32(), Shrinkage = reader.ReadDouble() };
        return new UserKnnRecommender(options) { neighbours = CsrMatrix.Read(reader), train = CsrMatrix.Read(reader) };
    }
}
