using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Recommendation;

/// <summary>Options of <see cref="HybridRecommender"/>.</summary>
public sealed record HybridOptions
{
    /// <summary>Interactions a user needs before a model other than the last in the chain answers (default 5).</summary>
    public int MinHistory { get; init; } = 5;

    internal void Validate() => ModelArgs.Positive(MinHistory, nameof(MinHistory));
}

/// <summary>One link of a <see cref="HybridRecommender"/> chain: a model and the history a user needs before it answers.</summary>
/// <param name="Model">The member model (fitted with the chain).</param>
/// <param name="MinHistory">Interactions the user needs for this member to be asked (0: always asked).</param>
public sealed record HybridMember(Recommender Model, int MinHistory);

/// <summary>
/// A fallback chain (the "switching" hybrid of Burke 2002, "Hybrid recommender systems: survey and experiments"):
/// each user is answered by the first member that has enough of the user's history (<see cref="HybridMember.MinHistory"/>)
/// and can score them; <see cref="Recommendations.Source"/> names that member. Users no member can score get the
/// most-popular items, marked cold-start. All members are fitted on the same matrix. Similar items come from the
/// first member, except for items without any interaction in the training matrix (cold-start items), which a
/// <see cref="ContentRecommender"/> member answers from item attributes when the chain has one.
/// </summary>
public sealed class HybridRecommender : Recommender
{
    public const string Name = "hybrid";
    private readonly HybridMember[] members;

    /// <summary>A chain where every model but the last needs <see cref="HybridOptions.MinHistory"/> interactions.</summary>
    public HybridRecommender(IReadOnlyList<Recommender> chain, HybridOptions? options = null)
        : this(ToMembers(chain, options ?? new HybridOptions()))
    {
        Options = options ?? new HybridOptions();
    }

    /// <summary>A chain with a minimum history per member.</summary>
    public HybridRecommender(IReadOnlyList<HybridMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0 || members.Any(m => m?.Model is null))
        {
            throw new ArgumentException("the chain needs at least one model and no null entries.", nameof(members));
        }

        foreach (var m in members)
        {
            ModelArgs.NonNegative(m.MinHistory, nameof(HybridMember.MinHistory));
        }

        this.members = [.. members];
        Options = new HybridOptions { MinHistory = Math.Max(1, members[0].MinHistory) };
    }

    public HybridOptions Options { get; }

    public IReadOnlyList<Recommender> Chain => [.. members.Select(m => m.Model)];

    public IReadOnlyList<HybridMember> Members => members;

    public override string Algorithm => Name;

    protected override void FitCore(CsrMatrix userItems)
    {
        foreach (var member in members)
        {
            member.Model.Fit(userItems);
        }
    }

    protected internal override bool TryScore(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores) =>
        ScoreWithSource(user, historyItems, historyValues, scores) is not null;

    protected internal override string? ScoreWithSource(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores)
    {
        foreach (var member in members)
        {
            if (historyItems.Length < member.MinHistory)
            {
                continue;
            }

            if (member.Model.ScoreWithSource(user, historyItems, historyValues, scores) is { } source)
            {
                return source;
            }

            scores.Clear();
        }

        return null;
    }

    protected override void ItemSimilarities(int item, Span<float> scores)
    {
        var answer = members[0].Model;
        if (ItemPopularity[item] == 0 && members.FirstOrDefault(m => m.Model is ContentRecommender) is { } content)
        {
            answer = content.Model;
        }

        var similar = answer.SimilarItems(item, Items - 1 > 0 ? Items - 1 : 1);
        scores.Fill(float.NegativeInfinity);
        foreach (var s in similar)
        {
            scores[s.Item] = s.Score;
        }
    }

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(members.Length);
        foreach (var member in members)
        {
            writer.Write(member.MinHistory);
            using var buffer = new MemoryStream();
            member.Model.Save(buffer);
            writer.Write(buffer.Length);
            writer.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    internal static HybridRecommender LoadCore(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var chain = new HybridMember[count];
        for (var m = 0; m < count; m++)
        {
            var minHistory = reader.ReadInt32();
            var length = reader.ReadInt64();
            using var buffer = new MemoryStream(reader.ReadBytes(checked((int)length)));
            chain[m] = new HybridMember(Load(buffer), minHistory);
        }

        return new HybridRecommender(chain);
    }

    private static HybridMember[] ToMembers(IReadOnlyList<Recommender> chain, HybridOptions options)
    {
        ArgumentNullException.ThrowIfNull(chain);
        options.Validate();
        if (chain.Count == 0 || chain.Any(m => m is null))
        {
            throw new ArgumentException("the chain needs at least one model and no null entries.", nameof(chain));
        }

        return [.. chain.Select((m, n) => new HybridMember(m, n < chain.Count - 1 ? options.MinHistory : 0))];
    }
}
