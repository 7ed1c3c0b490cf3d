using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Recommendation;

/// <summary>Options of <see cref="PopularRecommender"/>.</summary>
public sealed record PopularOptions
{
    /// <summary>Rank by the sum of interaction weights instead of the number of users (default false: users).</summary>
    public bool ByWeight { get; init; }
}

/// <summary>
/// Most-popular items: every user gets the items with the most users (or the largest weight sum) that they
/// have not seen. The baseline every personalized model must beat (Cremonesi, Koren and Turrin 2010,
/// "Performance of recommender algorithms on top-N recommendation tasks"). <see cref="Recommender.SimilarItems"/>
/// returns the most popular other items: the model has no notion of similarity. Users without
/// history are marked cold-start, as with every other model.
/// </summary>
public sealed class PopularRecommender(PopularOptions? options = null) : Recommender
{
    public const string Name = "pop";
    private float[] scores = [];

    public PopularOptions Options { get; } = options ?? new PopularOptions();

    public override string Algorithm => Name;

    protected override void FitCore(CsrMatrix userItems)
    {
        scores = ItemPopularity.ToArray();
        if (Options.ByWeight)
        {
            Array.Clear(scores);
            for (var p = 0; p < userItems.NonZeros; p++)
            {
                scores[userItems.ColumnIndices[p]] += userItems.Values[p];
            }
        }
    }

    protected internal override bool TryScore(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores)
    {
        // A user with no history is a cold start: the same list, marked as the fallback.
        this.scores.CopyTo(scores);
        return !historyItems.IsEmpty;
    }

    protected override void ItemSimilarities(int item, Span<float> scores) => this.scores.CopyTo(scores);

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(Options.ByWeight);
        RecommenderIo.WriteFloats(writer, scores);
    }

    internal static PopularRecommender LoadCore(BinaryReader reader)
    {
        var model = new PopularRecommender(new PopularOptions { ByWeight = reader.ReadBoolean() });
        model.scores = RecommenderIo.ReadFloats(reader);
        return model;
    }
}
