using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Evaluation;

/// <summary>One user-item interaction for splitting: indices into the matrix, a weight and a time (any unit).</summary>
public readonly record struct RatedInteraction(int User, int Item, float Weight, long Timestamp);

/// <summary>A train / test split: two matrices of the same shape.</summary>
public sealed record RecommendationSplit(CsrMatrix Train, CsrMatrix Test);

/// <summary>
/// Train / test splits for offline evaluation of recommenders. All splits are deterministic: the same input and
/// seed give the same split on any machine and thread count.
/// </summary>
public static class RecommendationSplits
{
    /// <summary>
    /// Per-user stratified random split (the Microsoft recommenders <c>python_stratified_split</c> protocol): every
    /// user's interactions are shuffled and the first round(trainFraction · n) go to train (round half to even, as
    /// Python's <c>round</c>), the rest to test. The shuffle orders a user's interactions by
    /// <see cref="ShuffleKey"/>(seed, user, item), a SplitMix64 hash that a reference script can reproduce exactly.
    /// </summary>
    public static RecommendationSplit Stratified(IReadOnlyList<RatedInteraction> interactions, int users, int items, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must be in (0, 1).");
        }

        var trainFraction = 1 - testFraction;
        return SplitPerUser(interactions, users, items, (list, isTest) =>
        {
            list.Sort((a, b) => ShuffleKey(seed, a.User, a.Item).CompareTo(ShuffleKey(seed, b.User, b.Item)));
            var train = (int)Math.Round(trainFraction * list.Count, MidpointRounding.ToEven);
            for (var n = train; n < list.Count; n++)
            {
                isTest[n] = true;
            }
        });
    }

    /// <summary>
    /// Leave-last-k: each user's <paramref name="k"/> latest interactions (by timestamp, ties by item index) go to
    /// test; users with k or fewer interactions keep them all in train.
    /// </summary>
    public static RecommendationSplit LeaveLastK(IReadOnlyList<RatedInteraction> interactions, int users, int items, int k)
    {
        ModelArgs.Positive(k, nameof(k));
        return SplitPerUser(interactions, users, items, (list, isTest) =>
        {
            if (list.Count <= k)
            {
                return;
            }

            list.Sort((a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : a.Item.CompareTo(b.Item));
            for (var n = list.Count - k; n < list.Count; n++)
            {
                isTest[n] = true;
            }
        });
    }

    /// <summary>Global temporal split: interactions at or after <paramref name="cutoff"/> go to test, earlier ones to train.</summary>
    public static RecommendationSplit Temporal(IReadOnlyList<RatedInteraction> interactions, int users, int items, long cutoff)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        return Build(interactions, users, items, x => x.Timestamp >= cutoff);
    }

    /// <summary>
    /// Global temporal split for purchase-style data, predicting new items: interactions are first merged per
    /// (user, item) (weights summed, the earliest time kept); pairs first seen at or after <paramref name="cutoff"/> go
    /// to test, so a test item is never one the user had before the cut, and the test rows of users without any
    /// training interaction (cold-start users, <c>ColdUsers</c>) are dropped.
    /// </summary>
    public static (RecommendationSplit Split, int ColdUsers) TemporalUnseen(IReadOnlyList<RatedInteraction> interactions, int users, int items, long cutoff)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        var merged = new Dictionary<(int User, int Item), (float Weight, long Time)>();
        foreach (var x in interactions)
        {
            merged[(x.User, x.Item)] = merged.TryGetValue((x.User, x.Item), out var m)
                ? (m.Weight + x.Weight, Math.Min(m.Time, x.Timestamp))
                : (x.Weight, x.Timestamp);
        }

        var hasTrain = new bool[users];
        foreach (var ((user, _), (_, time)) in merged)
        {
            if ((uint)user >= (uint)users)
            {
                throw new ArgumentOutOfRangeException(nameof(interactions), user, $"user index must be in [0, {users}).");
            }

            if (time < cutoff)
            {
                hasTrain[user] = true;
            }
        }

        var train = new List<RatedInteraction>();
        var test = new List<RatedInteraction>();
        var cold = new HashSet<int>();
        foreach (var ((user, item), (weight, time)) in merged)
        {
            var x = new RatedInteraction(user, item, weight, time);
            if (time < cutoff)
            {
                train.Add(x);
            }
            else if (hasTrain[user])
            {
                test.Add(x);
            }
            else
            {
                cold.Add(user);
            }
        }

        return (new RecommendationSplit(Matrix(train, users, items), Matrix(test, users, items)), cold.Count);
    }

    /// <summary>The shuffle key of the stratified split: SplitMix64 of seed · golden ratio + (user &lt;&lt; 32 | item).</summary>
    public static ulong ShuffleKey(int seed, int user, int item)
    {
        unchecked
        {
            var z = ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) + (((ulong)(uint)user << 32) | (uint)item);
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static RecommendationSplit SplitPerUser(IReadOnlyList<RatedInteraction> interactions, int users, int items, Action<List<RatedInteraction>, bool[]> split)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        var byUser = new List<RatedInteraction>?[users];
        foreach (var x in interactions)
        {
            if ((uint)x.User >= (uint)users)
            {
                throw new ArgumentOutOfRangeException(nameof(interactions), x.User, $"user index must be in [0, {users}).");
            }

            (byUser[x.User] ??= []).Add(x);
        }

        var train = new List<RatedInteraction>(interactions.Count);
        var test = new List<RatedInteraction>();
        foreach (var list in byUser)
        {
            if (list is null)
            {
                continue;
            }

            var isTest = new bool[list.Count];
            split(list, isTest);
            for (var n = 0; n < list.Count; n++)
            {
                (isTest[n] ? test : train).Add(list[n]);
            }
        }

        return new RecommendationSplit(Matrix(train, users, items), Matrix(test, users, items));
    }

    private static RecommendationSplit Build(IReadOnlyList<RatedInteraction> interactions, int users, int items, Func<RatedInteraction, bool> isTest)
    {
        var train = interactions.Where(x => !isTest(x)).ToList();
        var test = interactions.Where(isTest).ToList();
        return new RecommendationSplit(Matrix(train, users, items), Matrix(test, users, items));
    }

    private static CsrMatrix Matrix(List<RatedInteraction> list, int users, int items) =>
        CsrMatrix.FromTriples(users, items, list.Select(x => x.User).ToArray(), list.Select(x => x.Item).ToArray(), list.Select(x => x.Weight).ToArray());
}
