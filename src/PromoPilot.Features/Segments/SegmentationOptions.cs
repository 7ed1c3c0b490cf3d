namespace PromoPilot.Features.Segments;

/// <summary>How the number of segments is chosen when <see cref="SegmentationOptions.FixedK"/> is not set.</summary>
public enum KSelectionCriterion
{
    /// <summary>
    /// Mean silhouette coefficient (Rousseeuw 1987), Euclidean, on a seeded sample of customers; the largest
    /// wins. Between -1 and 1; a point alone in its cluster scores 0 (as scikit-learn does).
    /// </summary>
    Silhouette,

    /// <summary>
    /// Calinski-Harabasz variance ratio (Calinski and Harabasz 1974) on all customers; the largest wins.
    /// A partition with zero within-cluster spread scores <see cref="double.MaxValue"/>.
    /// </summary>
    CalinskiHarabasz,
}

/// <summary>Whether skewed features are log-transformed (<c>log1p</c>) before standardizing.</summary>
public enum LogTransformMode
{
    /// <summary>No transform: features are standardized as given.</summary>
    None,

    /// <summary>
    /// <c>log(1 + x)</c> for every feature whose values are all non-negative and whose sample skewness
    /// exceeds <see cref="SegmentationOptions.SkewnessThreshold"/>: money and count features (monetary,
    /// frequency, CLV) are typically long-tailed, and without the transform a handful of whales decide the clusters.
    /// </summary>
    SkewedNonNegative,
}

/// <summary>Settings of <see cref="Segmenter"/>; every default is stated here and checked by <see cref="Validate"/>.</summary>
public sealed record SegmentationOptions
{
    /// <summary>Smallest number of segments tried when choosing k. Default 2; at least 2.</summary>
    public int KMin { get; init; } = 2;

    /// <summary>Largest number of segments tried when choosing k. Default 8; capped at the customers less one and the distinct profiles.</summary>
    public int KMax { get; init; } = 8;

    /// <summary>A fixed number of segments (no search); null (default) chooses k by <see cref="Criterion"/>.</summary>
    public int? FixedK { get; init; }

    /// <summary>The criterion that chooses k. Default <see cref="KSelectionCriterion.Silhouette"/>; ties go to the smaller k.</summary>
    public KSelectionCriterion Criterion { get; init; } = KSelectionCriterion.Silhouette;

    /// <summary>
    /// Customers sampled (seeded, without replacement) for the silhouette, which costs the square of the sample.
    /// Default 5,000; all customers when fewer. At least 2.
    /// </summary>
    public int CriterionSampleSize { get; init; } = 5000;

    /// <summary>
    /// Customers (seeded sample) that k-means and PCA are fitted on when the table is larger; every customer is then
    /// assigned to its nearest centroid. Default 100,000: centroids of a few segments in a few dozen dimensions are
    /// estimated to well within the spread of a segment from that many, and it bounds the time of each k-means run.
    /// At least KMax and FixedK.
    /// </summary>
    public int FitSampleSize { get; init; } = 100_000;

    /// <summary>Log transform of skewed features. Default <see cref="LogTransformMode.SkewedNonNegative"/>.</summary>
    public LogTransformMode LogTransform { get; init; } = LogTransformMode.SkewedNonNegative;

    /// <summary>Sample skewness (Fisher-Pearson g1) above which a non-negative feature is log-transformed. Default 1.</summary>
    public double SkewnessThreshold { get; init; } = 1.0;

    /// <summary>k-means runs per k from different seeds; the one with the smallest within-segment sum of squares is kept. Default 10.</summary>
    public int Restarts { get; init; } = 10;

    /// <summary>Iteration cap of each k-means run (ML.NET's <c>MaximumNumberOfIterations</c>). Default 1000.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Seed of every random choice (k-means initialization, the criterion sample, PCA). Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>|z| of a segment's mean from which a feature counts as high or low when naming segments. Default 0.5.</summary>
    public double NameThreshold { get; init; } = 0.5;

    /// <summary>
    /// Threads for the independent k-means runs and the silhouette; null (default) uses every core. The result is the
    /// same for any value.
    /// </summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>The defaults.</summary>
    public static SegmentationOptions Default { get; } = new();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate(string parameterName)
    {
        if (KMin < 2)
        {
            throw new ArgumentException($"KMin must be at least 2; it is {KMin}.", parameterName);
        }

        if (KMax < KMin)
        {
            throw new ArgumentException($"KMax ({KMax}) must be at least KMin ({KMin}).", parameterName);
        }

        if (FixedK is < 1)
        {
            throw new ArgumentException($"FixedK must be at least 1; it is {FixedK}.", parameterName);
        }

        if (CriterionSampleSize < 2)
        {
            throw new ArgumentException($"CriterionSampleSize must be at least 2; it is {CriterionSampleSize}.", parameterName);
        }

        if (FitSampleSize < Math.Max(KMax, FixedK ?? 0))
        {
            throw new ArgumentException($"FitSampleSize ({FitSampleSize}) must be at least KMax and FixedK.", parameterName);
        }

        if (!Enum.IsDefined(Criterion) || !Enum.IsDefined(LogTransform))
        {
            throw new ArgumentException("Criterion or LogTransform is not a defined value.", parameterName);
        }

        if (!double.IsFinite(SkewnessThreshold))
        {
            throw new ArgumentException("SkewnessThreshold must be a finite number.", parameterName);
        }

        if (Restarts < 1)
        {
            throw new ArgumentException($"Restarts must be at least 1; it is {Restarts}.", parameterName);
        }

        if (MaxIterations < 1)
        {
            throw new ArgumentException($"MaxIterations must be at least 1; it is {MaxIterations}.", parameterName);
        }

        if (MaxDegreeOfParallelism is < 1)
        {
            throw new ArgumentException($"MaxDegreeOfParallelism must be at least 1 when set; it is {MaxDegreeOfParallelism}.", parameterName);
        }

        if (!(NameThreshold > 0) || !double.IsFinite(NameThreshold))
        {
            throw new ArgumentException($"NameThreshold must be a positive number; it is {NameThreshold}.", parameterName);
        }
    }
}
