namespace PromoPilot.Measurement.Experiments.Assignment;

/// <summary>
/// Which variant owns each of the <see cref="UnitHash.Buckets"/> buckets, built from a sequence of allocations
/// (coverage and weights) so that a change keeps units where it can (docs/experiment-assignment.md, "Sticky design").
/// </summary>
/// <remarks>
/// The first allocation lays the variants out as contiguous ranges in their fixed order from bucket 0, the
/// unenrolled buckets last. Each later allocation first makes every variant whose bucket count falls release its
/// highest buckets, then lets every variant whose count rises take the lowest free buckets, in variant order.
/// Hence a bucket changes owner only if it was unenrolled or its variant shrank, and exactly
/// sum(max(0, old count - new count)) buckets leave a variant: the least any allocation can move.
/// </remarks>
public static class BucketAllocation
{
    /// <summary>Marks a bucket no variant owns (its units are not covered).</summary>
    public const short None = -1;

    /// <summary>
    /// Bucket counts per variant: <c>round(coverage * Buckets)</c> buckets shared in proportion to the weights by
    /// largest remainders (Hamilton's method; ties to the earlier variant), so the counts sum exactly to the total.
    /// </summary>
    public static int[] Counts(double coverage, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (coverage is not (>= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "Coverage must lie in [0, 1].");
        }

        var total = weights.Sum();
        if (weights.Any(w => !double.IsFinite(w) || w < 0) || !(total > 0))
        {
            throw new ArgumentException("Weights must be finite, >= 0 and sum to a positive total.", nameof(weights));
        }

        var enrolled = (int)Math.Round(coverage * UnitHash.Buckets, MidpointRounding.AwayFromZero);
        var quotas = weights.Select(w => enrolled * (w / total)).ToArray();
        var counts = quotas.Select(q => (int)Math.Floor(q)).ToArray();
        var order = Enumerable.Range(0, counts.Length).OrderByDescending(i => quotas[i] - counts[i]).ThenBy(i => i);
        foreach (var i in order.Take(enrolled - counts.Sum()))
        {
            counts[i]++;
        }

        return counts;
    }

    /// <summary>The owner of each bucket (a variant index or <see cref="None"/>) after applying <paramref name="steps"/> in order.</summary>
    public static short[] Owners(IReadOnlyList<(double Coverage, double[] Weights)> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0 || steps.Any(s => s.Weights is null || s.Weights.Length != steps[0].Weights.Length) || steps[0].Weights.Length > short.MaxValue)
        {
            throw new ArgumentException("Give at least one step, each with one weight per variant.", nameof(steps));
        }

        var owners = new short[UnitHash.Buckets];
        Array.Fill(owners, None);
        var held = new int[steps[0].Weights.Length];
        foreach (var (coverage, weights) in steps)
        {
            var counts = Counts(coverage, weights);
            for (var b = owners.Length - 1; b >= 0; b--)
            {
                var owner = owners[b];
                if (owner != None && held[owner] > counts[owner])
                {
                    owners[b] = None;
                    held[owner]--;
                }
            }

            var free = 0;
            for (short v = 0; v < counts.Length; v++)
            {
                for (; held[v] < counts[v]; held[v]++)
                {
                    while (owners[free] != None)
                    {
                        free++;
                    }

                    owners[free] = v;
                }
            }
        }

        return owners;
    }
}
