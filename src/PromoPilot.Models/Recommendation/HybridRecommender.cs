using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Recommendation;

/// <summary>Options of <see cref="HybridRecommender"/>.</summary>
public sealed record HybridOptions
{
    /// <summary>Interactions a user needs before a model other than the last in the chain answers (default 5).</summary>
    public int MinHistory { get; init; } = 5;

    internal void Validate() => ModelArgs.Positive(MinHistory, nameof(MinHistory));
}

/// <summary>
/// A fallback chain (the "switching" hybrid of Burke 2002, "Hybrid recommender systems: survey and experiments"):
/// each user is answered by the first model in the chain that can score them, where every model but the last also
/// needs the user to have at least <see cref="HybridOptions.MinHistory"/> interactions. Users no model can score get
/// the most-popular items, marked cold-start. All members are fitted on the same matrix.
/// </summary>
public sealed class HybridRecommender : Recommender
{
    public const string Name = "hybrid";
    private readonly Recommender[] chain;

    public HybridRecommender(IReadOnlyList<Recommender> chain, HybridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count == 0 || chain.Any(m => m is null))
        {
            throw new ArgumentException("the chain needs at least one model and no null entries.", nameof(chain));
        }

        this.chain = [.. chain];
        Options = options ?? new HybridOptions();
        Options.Validate();
    }

    public HybridOptions Options { get; }

    public IReadOnlyList<Recommender> Chain => chain;

    public override string Algorithm => Name;

    protected override void FitCore(CsrMatrix userItems)
    {
        foreach (var model in chain)
        {
            model.Fit(userItems);
        }
    }

    protected internal override bool TryScore(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores)
    {
        for (var m = 0; m < chain.Length; m++)
        {
            if (m < chain.Length - 1 && historyItems.Length < Options.MinHistory)
            {
                continue;
            }

            if (chain[m].TryScore(user, historyItems, historyValues, scores))
            {
                return true;
            }

            scores.Clear();
        }

        return false;
    }

    protected override void ItemSimilarities(int item, Span<float> scores)
    {
        var similar = chain[0].SimilarItems(item, Items - 1 > 0 ? Items - 1 : 1);
        scores.Fill(float.NegativeInfinity);
        foreach (var s in similar)
        {
            scores[s.Item] = s.Score;
        }
    }

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(Options.MinHistory);
        writer.Write(chain.Length);
        foreach (var model in chain)
        {
            using var buffer = new MemoryStream();
            model.Save(buffer);
            writer.Write(buffer.Length);
            writer.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    internal static HybridRecommender LoadCore(BinaryReader reader)
    {
        var options = new HybridOptions { MinHistory = reader.ReadInt32() };
        var count = reader.ReadInt32();
        var chain = new Recommender[count];
        for (var m = 0; m < count; m++)
        {
            var length = reader.ReadInt64();
            using var buffer = new MemoryStream(reader.ReadBytes(checked((int)length)));
            chain[m] = Load(buffer);
        }

        return new HybridRecommender(chain, options);
    }
}
