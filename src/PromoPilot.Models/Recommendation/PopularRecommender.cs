using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Recommendation;

/// <summary>Options of <see cref="PopularRecommender"/>.</summary>
public sealed record PopularOptions
{
    /// <summary>Rank by the sum of interaction weights instead of the number of users (default false: users).</summary>
    public bool ByWeight { get; init; }

    /// <summary>
    /// The segment of each user (by matrix row; a negative value or a row past the end = no segment): each user then
    /// gets what is popular in their segment, and users without one get the global list. Null (default): global only.
    /// </summary>
    public IReadOnlyList<int>? UserSegments { get; init; }
}

/// <summary>
/// Most-popular items: every user gets the items with the most users (or the largest weight sum) that they
/// have not seen. The baseline every personalized model must beat (Cremonesi, Koren and Turrin 2010,
/// "Performance of recommender algorithms on top-N recommendation tasks"). <see cref="Recommender.SimilarItems"/>
/// returns the most popular other items: the model has no notion of similarity. Users without
/// history are marked cold-start, as with every other model. With <see cref="PopularOptions.UserSegments"/> the
/// counts are kept per segment (e.g. the customer segments of `promopilot segment`) as well as globally.
/// </summary>
public sealed class PopularRecommender(PopularOptions? options = null) : Recommender
{
    public const string Name = "pop";
    private float[] scores = [];
    private int[] segmentOf = [];
    private float[][] segmentScores = [];

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

        if (Options.UserSegments is not { } segments)
        {
            return;
        }

        segmentOf = [.. Enumerable.Range(0, userItems.Rows).Select(u => u < segments.Count ? segments[u] : -1)];
        var count = segmentOf.Length == 0 ? 0 : Math.Max(0, segmentOf.Max() + 1);
        segmentScores = [.. Enumerable.Range(0, count).Select(_ => new float[userItems.Columns])];
        for (var u = 0; u < userItems.Rows; u++)
        {
            if (segmentOf[u] < 0)
            {
                continue;
            }

            var target = segmentScores[segmentOf[u]];
            for (var p = userItems.RowPointers[u]; p < userItems.RowPointers[u + 1]; p++)
            {
                target[userItems.ColumnIndices[p]] += Options.ByWeight ? userItems.Values[p] : 1f;
            }
        }
    }

    protected internal override bool TryScore(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores)
    {
        // A user with no history is a cold start: the same list, marked as the fallback.
        var own = user >= 0 && user < segmentOf.Length && segmentOf[user] >= 0 ? segmentScores[segmentOf[user]] : this.scores;
        own.CopyTo(scores);
        return !historyItems.IsEmpty;
    }

    protected override void ItemSimilarities(int item, Span<float> scores) => this.scores.CopyTo(scores);

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(Options.ByWeight);
        RecommenderIo.WriteFloats(writer, scores);
        writer.Write(segmentOf.Length);
        foreach (var segment in segmentOf)
        {
            writer.Write(segment);
        }

        writer.Write(segmentScores.Length);
        foreach (var segment in segmentScores)
        {
            RecommenderIo.WriteFloats(writer, segment);
        }
    }

    internal static PopularRecommender LoadCore(BinaryReader reader)
    {
        var byWeight = reader.ReadBoolean();
        var scores = RecommenderIo.ReadFloats(reader);
        var segmentOf = new int[reader.ReadInt32()];
        for (var u = 0; u < segmentOf.Length; u++)
        {
            segmentOf[u] = reader.ReadInt32();
        }

        var segmentScores = new float[reader.ReadInt32()][];
        for (var g = 0; g < segmentScores.Length; g++)
        {
            segmentScores[g] = RecommenderIo.ReadFloats(reader);
        }

        return new PopularRecommender(new PopularOptions { ByWeight = byWeight, UserSegments = segmentOf.Length > 0 ? segmentOf : null })
        {
            scores = scores,
            segmentOf = segmentOf,
            segmentScores = segmentScores,
        };
    }
}
