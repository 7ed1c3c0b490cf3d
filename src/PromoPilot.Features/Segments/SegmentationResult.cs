namespace PromoPilot.Features.Segments;

/// <summary>The criterion's score for one number of segments tried.</summary>
/// <param name="K">Number of segments asked of k-means.</param>
/// <param name="Score">The criterion's value (larger is better for both criteria).</param>
/// <param name="NonEmptySegments">Segments that kept at least one customer (below <paramref name="K"/> only on degenerate data).</param>
public sealed record KScore(int K, double Score, int NonEmptySegments);

/// <summary>One segment. Per-feature arrays follow <see cref="SegmentationResult.FeatureNames"/>.</summary>
/// <param name="Id">1-based; segments are numbered by size, largest first.</param>
/// <param name="Name">A readable name from the profile (<see cref="SegmentNamer"/>), unique within the result.</param>
/// <param name="Size">Customers in the segment.</param>
/// <param name="CustomerShare">Size over all customers.</param>
/// <param name="FeatureMeans">Mean of each feature in its original units (after median imputation, before any log transform).</param>
/// <param name="ZMeans">Mean of each standardized feature (log-transformed first where the result says so).</param>
/// <param name="Centroid">The k-means centroid in the standardized space.</param>
/// <param name="RevenueShare">The segment's revenue over all revenue; null when the total is not positive.</param>
/// <param name="ClvShare">The segment's CLV over all CLV; null when the total is not positive.</param>
public sealed record Segment(
    int Id,
    string Name,
    int Size,
    double CustomerShare,
    double[] FeatureMeans,
    double[] ZMeans,
    double[] Centroid,
    double? RevenueShare,
    double? ClvShare);

/// <summary>One customer's segment and position on the two principal components (for a scatter plot).</summary>
public sealed record SegmentAssignment(int UserKey, int SegmentId, double X, double Y);

/// <summary>A feature left out of the clustering and why.</summary>
public sealed record DroppedFeature(string Name, string Reason);

/// <summary>What <see cref="Segmenter.Fit"/> found.</summary>
/// <param name="K">Number of segments.</param>
/// <param name="KWasFixed">True when k came from <see cref="SegmentationOptions.FixedK"/>.</param>
/// <param name="Criterion">The criterion: <c>silhouette</c> or <c>calinski-harabasz</c>.</param>
/// <param name="CriterionSampleSize">Customers the silhouette was computed on (all customers for Calinski-Harabasz).</param>
/// <param name="Scores">The criterion for every k tried (only the fixed k when fixed; empty when only one segment was possible).</param>
/// <param name="FeatureNames">Features clustered on, in table order.</param>
/// <param name="LogTransformedFeatures">Features that were log1p-transformed before standardizing.</param>
/// <param name="DroppedFeatures">Features left out (constant, or missing everywhere).</param>
/// <param name="Segments">Segments by id.</param>
/// <param name="Customers">One assignment per input row, in input order.</param>
/// <param name="ExplainedVariance">Share of the standardized variance on each of the two display components (0 when there is none).</param>
/// <param name="WithinSumOfSquares">k-means objective: squared distance of every customer to its centroid, standardized space.</param>
/// <param name="Notes">Decisions taken on the data (imputations, dropped features, reduced k), in plain words.</param>
public sealed record SegmentationResult(
    int K,
    bool KWasFixed,
    string Criterion,
    int CriterionSampleSize,
    IReadOnlyList<KScore> Scores,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<string> LogTransformedFeatures,
    IReadOnlyList<DroppedFeature> DroppedFeatures,
    IReadOnlyList<Segment> Segments,
    IReadOnlyList<SegmentAssignment> Customers,
    double[] ExplainedVariance,
    double WithinSumOfSquares,
    IReadOnlyList<string> Notes);
