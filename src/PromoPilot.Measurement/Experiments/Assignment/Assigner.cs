using System.Buffers;
using PromoPilot.Core.Rules;

namespace PromoPilot.Measurement.Experiments.Assignment;

/// <summary>Why a unit got the variant it got, or none. Checked in this order; the first that applies is reported.</summary>
public enum AssignmentReason
{
    /// <summary>The unit does not match the experiment's targeting rule.</summary>
    NotTargeted = 0,

    /// <summary>The unit's layer hash falls outside the experiment's range of its layer.</summary>
    NotInLayerRange = 1,

    /// <summary>The unit's bucket is not enrolled (coverage below 1).</summary>
    NotCovered = 2,

    /// <summary>The unit would be enrolled but is in the holdout: it sees no treatment.</summary>
    Holdout = 3,

    /// <summary>The unit is in the experiment with <see cref="UnitAssignment.Variant"/>.</summary>
    Assigned = 4,
}

/// <summary>
/// The outcome for one unit: its variant (null unless <see cref="Reason"/> is <see cref="AssignmentReason.Assigned"/>)
/// and its bucket in [0, <see cref="UnitHash.Buckets"/>) under the experiment's bucket salt, whatever the reason.
/// </summary>
public readonly record struct UnitAssignment(string ExperimentKey, string? Variant, AssignmentReason Reason, int Bucket);

/// <summary>
/// Assigns units to an experiment's variants by hashing (docs/experiment-assignment.md): deterministic, stateless per
/// unit, and the same in every process. Build one per experiment and reuse it; assigning allocates nothing per unit.
/// </summary>
/// <remarks>
/// Per unit: UTF-8 encode the id once (on the stack), then hash it under the bucket, layer and holdout seeds in one
/// pass. The bucket's owner comes from a table of <see cref="UnitHash.Buckets"/> entries built once by
/// <see cref="BucketAllocation"/>.
/// </remarks>
public sealed class Assigner
{
    private readonly string _key;
    private readonly string[] _variants;
    private readonly short[] _owners;
    private readonly uint _bucketSeed;
    private readonly Func<IRuleContext, bool>? _targeting;
    private readonly uint _layerSeed;
    private readonly double _layerStart;
    private readonly double _layerEnd;
    private readonly uint _holdoutSeed;
    private readonly double _holdoutShare;

    /// <exception cref="ExperimentDefinitionException">The definition is invalid (<see cref="ExperimentDefinition.Validate"/>).</exception>
    public Assigner(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        Definition = definition;
        _key = definition.Key;
        _variants = [.. definition.Variants.Select(v => v.Name)];
        _owners = BucketAllocation.Owners(definition.Stickiness == Stickiness.Sticky ? definition.Steps() : [definition.Steps()[^1]]);
        _bucketSeed = UnitHash.Seed(definition.BucketSalt);
        _targeting = definition.Targeting?.Compile().Predicate;

        // No layer is the range [0, 1) and no holdout a share of 0: every unit passes, and no unit needs a branch.
        (_layerSeed, _layerStart, _layerEnd) = definition.Layer is { } layer ? (UnitHash.Seed(layer.Name), layer.Start, layer.End) : (0u, 0.0, 1.0);
        (_holdoutSeed, _holdoutShare) = definition.Holdout is { } holdout ? (UnitHash.Seed(holdout.Salt), holdout.Share) : (0u, 0.0);
    }

    public ExperimentDefinition Definition { get; }

    /// <summary>Assigns one unit.</summary>
    /// <param name="unitId">The unit's id (non-empty).</param>
    /// <param name="attributes">The unit's attributes for the targeting rule; required when the experiment has one.</param>
    public UnitAssignment Assign(string unitId, IRuleContext? attributes = null)
    {
        CheckUnit(unitId);
        byte[]? rented = null;
        var assignment = Assign(UnitHash.Encode(unitId, stackalloc byte[UnitHash.StackBytes], ref rented), attributes);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return assignment;
    }

    /// <summary>Assigns many units: <c>destination[i]</c> is the assignment of <c>unitIds[i]</c>.</summary>
    /// <param name="unitIds">The units (each non-empty).</param>
    /// <param name="destination">Where results go; at least as long as <paramref name="unitIds"/>.</param>
    /// <param name="attributes">Each unit's attributes, by position; required when the experiment has a targeting rule.</param>
    public void Assign(ReadOnlySpan<string> unitIds, Span<UnitAssignment> destination, IReadOnlyList<IRuleContext>? attributes = null)
    {
        if (destination.Length < unitIds.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} results for {unitIds.Length} units.", nameof(destination));
        }

        if (attributes is not null && attributes.Count != unitIds.Length)
        {
            throw new ArgumentException($"{attributes.Count} attribute sets for {unitIds.Length} units.", nameof(attributes));
        }

        Span<byte> stack = stackalloc byte[UnitHash.StackBytes];
        for (var i = 0; i < unitIds.Length; i++)
        {
            var unitId = unitIds[i];
            CheckUnit(unitId);
            byte[]? rented = null;
            destination[i] = Assign(UnitHash.Encode(unitId, stack, ref rented), attributes?[i]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private UnitAssignment Assign(ReadOnlySpan<byte> unit, IRuleContext? attributes)
    {
        var (bucketHash, layerHash, holdoutHash) = MurmurHash3.Hash32(unit, _bucketSeed, _layerSeed, _holdoutSeed);
        var bucket = UnitHash.Bucket(bucketHash);
        if (_targeting is not null && !_targeting(attributes ?? throw MissingAttributes()))
        {
            return new(_key, null, AssignmentReason.NotTargeted, bucket);
        }

        var position = UnitHash.UnitInterval(layerHash);
        if (position < _layerStart || position >= _layerEnd)
        {
            return new(_key, null, AssignmentReason.NotInLayerRange, bucket);
        }

        var owner = _owners[bucket];
        if (owner == BucketAllocation.None)
        {
            return new(_key, null, AssignmentReason.NotCovered, bucket);
        }

        if (UnitHash.UnitInterval(holdoutHash) < _holdoutShare)
        {
            return new(_key, null, AssignmentReason.Holdout, bucket);
        }

        return new(_key, _variants[owner], AssignmentReason.Assigned, bucket);
    }

    private static void CheckUnit(string unitId)
    {
        if (string.IsNullOrEmpty(unitId))
        {
            throw new ArgumentException("A unit id must be a non-empty string.", nameof(unitId));
        }
    }

    private ArgumentException MissingAttributes() =>
        new($"Experiment '{_key}' targets units by the rule '{Definition.Targeting!.Rule}': pass each unit's attributes.", "attributes");
}
