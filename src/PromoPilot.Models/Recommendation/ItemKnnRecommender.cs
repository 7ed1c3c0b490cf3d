using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Recommendation;

/// <summary>Options of <see cref="ItemKnnRecommender"/>.</summary>
public sealed record ItemKnnOptions
{
    /// <summary>Neighbours kept per item (default 100, as in the Microsoft recommenders and implicit baselines).</summary>
    public int Neighbors { get; init; } = 100;

    /// <summary>Added to the cosine denominator, pulling similarities of rarely co-occurring items down (default 0).</summary>
    public double Shrinkage { get; init; }

    /// <summary>Re-weighting of the matrix before similarities (default none: plain cosine).</summary>
    public KnnWeighting Weighting { get; init; } = KnnWeighting.None;

    /// <summary>BM25 term-frequency saturation K1 (default 1.2).</summary>
    public double Bm25K1 { get; init; } = 1.2;

    /// <summary>BM25 length normalization B in [0, 1] (default 0.75).</summary>
    public double Bm25B { get; init; } = 0.75;

    internal void Validate()
    {
        ModelArgs.Positive(Neighbors, nameof(Neighbors));
        ModelArgs.NonNegative(Shrinkage, nameof(Shrinkage));
        ModelArgs.NonNegative(Bm25K1, nameof(Bm25K1));
        if (!(Bm25B >= 0 && Bm25B <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Bm25B), Bm25B, "Bm25B must be in [0, 1].");
        }

        if (!Enum.IsDefined(Weighting))
        {
            throw new ArgumentOutOfRangeException(nameof(Weighting), Weighting, "unknown weighting.");
        }
    }
}

/// <summary>
/// Item-based k-nearest-neighbour top-N recommendation (Sarwar, Karypis, Konstan and Riedl 2001;
/// Deshpande and Karypis 2004): item-item cosine similarity over the users who share them, optionally
/// shrunk and TF-IDF / BM25 weighted, keeping the <see cref="ItemKnnOptions.Neighbors"/> best per item;
/// a user's score for item j is the sum over their items i of weight(u, i) * sim(i, j).
/// Any user with history can be scored, including users not seen at fit time, unless none of their items has a
/// neighbour (items without co-occurrences in the training matrix): then the fallback answers.
/// </summary>
public sealed class ItemKnnRecommender : Recommender
{
    public const string Name = "itemknn";
    private CsrMatrix similarity = new(0, 0, [0], [], []);

    public ItemKnnRecommender(ItemKnnOptions? options = null)
    {
        Options = options ?? new ItemKnnOptions();
        Options.Validate();
    }

    public ItemKnnOptions Options { get; }

    public override string Algorithm => Name;

    protected override void FitCore(CsrMatrix userItems)
    {
        var weighted = Neighbourhood.Weight(userItems, Options.Weighting, Options.Bm25K1, Options.Bm25B);
        similarity = Neighbourhood.TopCosine(weighted.Transpose(), weighted, Options.Neighbors, Options.Shrinkage);
    }

    protected internal override bool TryScore(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores)
    {
        if (historyItems.IsEmpty)
        {
            return false;
        }

        var any = false;
        for (var h = 0; h < historyItems.Length; h++)
        {
            var neighbours = similarity.RowColumns(historyItems[h]);
            var sims = similarity.RowValues(historyItems[h]);
            var w = historyValues[h];
            any |= neighbours.Length > 0;
            for (var n = 0; n < neighbours.Length; n++)
            {
                scores[neighbours[n]] += w * sims[n];
            }
        }

        // A history of items nobody else shares (cold-start items) says nothing: let the fallback answer.
        return any;
    }

    protected override void ItemSimilarities(int item, Span<float> scores)
    {
        scores.Fill(float.NegativeInfinity);
        var neighbours = similarity.RowColumns(item);
        var sims = similarity.RowValues(item);
        for (var n = 0; n < neighbours.Length; n++)
        {
            scores[neighbours[n]] = sims[n];
        }
    }

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(Options.Neighbors);
        writer.Write(Options.Shrinkage);
        writer.Write((int)Options.Weighting);
        writer.Write(Options.Bm25K1);
        writer.Write(Options.Bm25B);
        similarity.Write(writer);
    }

    internal static ItemKnnRecommender LoadCore(BinaryReader reader)
    {
        var options = new ItemKnnOptions
        {
            Neighbors = reader.ReadInt32(),
            Shrinkage = reader.ReadDouble(),
            Weighting = (KnnWeighting)reader.ReadInt32(),
            Bm25K1 = reader.ReadDouble(),
            Bm25B = reader.ReadDouble(),
        };
        return new ItemKnnRecommender(options) { similarity = CsrMatrix.Read(reader) };
    }
}
