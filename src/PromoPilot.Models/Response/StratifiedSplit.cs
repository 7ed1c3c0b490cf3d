namespace PromoPilot.Models.Response;

/// <summary>
/// A seeded split that keeps each stratum's share: within every stratum, rows are ordered by
/// SplitMix64(seed &lt;&lt; 32 | row) (ties by row) and the first round(n_stratum x fraction) go to the test side.
/// Pure integer arithmetic, so a Python script reproduces the same split exactly (bench/response/reference_xgboost.py).
/// </summary>
public static class StratifiedSplit
{
    /// <summary>Training and test row indices, each ascending.</summary>
    /// <exception cref="ArgumentException">The fraction is outside (0, 1) or there are no rows.</exception>
    public static (int[] Train, int[] Test) Split(IReadOnlyList<int> strata, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(strata);
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must be in (0, 1).");
        }

        if (strata.Count == 0)
        {
            throw new ArgumentException("no rows to split.", nameof(strata));
        }

        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, strata.Count).GroupBy(i => strata[i]))
        {
            var rows = group.OrderBy(i => Key(seed, i)).ThenBy(i => i).ToList();
            var take = (int)Math.Floor(rows.Count * testFraction + 0.5);
            test.AddRange(rows.Take(take));
        }

        var isTest = new bool[strata.Count];
        foreach (var i in test)
        {
            isTest[i] = true;
        }

        return ([.. Enumerable.Range(0, strata.Count).Where(i => !isTest[i])], [.. Enumerable.Range(0, strata.Count).Where(i => isTest[i])]);
    }

    /// <summary>SplitMix64 (Steele, Lea &amp; Flood 2014) of seed and row.</summary>
    public static ulong Key(int seed, int row)
    {
        var z = ((ulong)(uint)seed << 32 | (uint)row) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
