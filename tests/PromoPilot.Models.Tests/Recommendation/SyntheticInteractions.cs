using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Tests.Recommendation;

/// <summary>
/// A block "checkerboard" with a known answer: users fall in groups, each group shares a block of items, and every
/// user has all items of their block but one (the held-out item, different for neighbouring users). A sound
/// personalized model must rank the held-out item first among the user's unseen items.
/// </summary>
internal static class SyntheticInteractions
{
    public const int Groups = 4;
    public const int UsersPerGroup = 12;
    public const int BlockSize = 6;

    public static int Users => Groups * UsersPerGroup;

    public static int Items => Groups * BlockSize;

    public static int HeldOut(int user) => (Group(user) * BlockSize) + (user % BlockSize);

    public static int Group(int user) => user / UsersPerGroup;

    public static CsrMatrix Train()
    {
        var rows = new List<int>();
        var cols = new List<int>();
        var vals = new List<float>();
        for (var u = 0; u < Users; u++)
        {
            for (var i = Group(u) * BlockSize; i < (Group(u) + 1) * BlockSize; i++)
            {
                if (i != HeldOut(u))
                {
                    rows.Add(u);
                    cols.Add(i);
                    vals.Add(1f);
                }
            }
        }

        return CsrMatrix.FromTriples(Users, Items, rows.ToArray(), cols.ToArray(), vals.ToArray());
    }

    /// <summary>
    /// Attributes that say which block an item is in (category, brand and a title word of the block), plus noise: a
    /// title word and a price shared across blocks, so only the block features separate them.
    /// </summary>
    public static ItemAttributes[] Attributes() =>
    [
        .. Enumerable.Range(0, Items).Select(i => new ItemAttributes(
            Title: $"block{i / BlockSize}word item{i} {(i % 2 == 0 ? "even" : "odd")}",
            CategoryPath: $"Shop/Block {i / BlockSize}",
            Brand: $"brand{i / BlockSize}",
            Price: 1 + (i % 3))),
    ];
}
