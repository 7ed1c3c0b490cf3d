using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PromoPilot.Core.Rules;

namespace PromoPilot.Measurement.Experiments.Assignment;

/// <summary>
/// An experiment as assignment sees it (JSON format: docs/experiment-assignment.md; read by <see cref="ExperimentJson"/>).
/// A unit is in the experiment when it matches <see cref="Targeting"/>, falls in its <see cref="Layer"/> range, is
/// covered by the allocation and is not in the <see cref="Holdout"/>; it then gets the variant owning its bucket.
/// </summary>
/// <param name="Key">The experiment's name, as exposures and analyses refer to it.</param>
/// <param name="Variants">Variants in a fixed order with their current weights (relative; any positive total).</param>
/// <param name="Salt">The hash salt; the key when null. Two experiments with different salts assign independently.</param>
/// <param name="Coverage">Share of eligible units enrolled, in [0, 1] (default 1).</param>
/// <param name="Holdout">Units kept out of every treatment, hashed with their own salt; none when null.</param>
/// <param name="Layer">The range of a layer this experiment owns, for mutual exclusion; the whole population when null.</param>
/// <param name="Targeting">Who may enter, as a rule over the unit's attributes; everyone when null.</param>
/// <param name="Stickiness">What a change of weights or coverage recorded in <paramref name="History"/> does.</param>
/// <param name="History">Earlier allocations, oldest first; the current one is <paramref name="Variants"/> and <paramref name="Coverage"/>.</param>
/// <param name="Description">Free text for people.</param>
public sealed record ExperimentDefinition(
    string Key,
    IReadOnlyList<VariantDefinition> Variants,
    string? Salt = null,
    double Coverage = 1,
    HoldoutDefinition? Holdout = null,
    LayerRange? Layer = null,
    TargetingDefinition? Targeting = null,
    Stickiness Stickiness = Stickiness.Sticky,
    IReadOnlyList<AllocationStep>? History = null,
    string? Description = null)
{
    /// <summary>
    /// The salt the variant bucket is hashed with: <see cref="Salt"/> (or the key), followed by <c>/phase</c> in
    /// <see cref="Stickiness.Rerandomize"/> mode once <see cref="History"/> holds earlier allocations
    /// (phase = their count), so every recorded change draws every unit afresh.
    /// </summary>
    public string BucketSalt
    {
        get
        {
            var salt = Salt ?? Key;
            var phase = Stickiness == Stickiness.Rerandomize ? History?.Count ?? 0 : 0;
            return phase == 0 ? salt : string.Create(CultureInfo.InvariantCulture, $"{salt}/{phase}");
        }
    }

    /// <summary>The allocation steps in order: the history, then the current weights and coverage.</summary>
    internal IReadOnlyList<(double Coverage, double[] Weights)> Steps() =>
    [
        .. (History ?? []).Select(step => (step.Coverage, Variants.Select(v => step.Weights.GetValueOrDefault(v.Name)).ToArray())),
        (Coverage, Variants.Select(v => v.Weight).ToArray()),
    ];

    /// <summary>Checks every field; the first problem is reported with its path (<c>variants[1].weight</c>).</summary>
    /// <exception cref="ExperimentDefinitionException">A field is missing or out of range, names repeat, or the rule does not compile.</exception>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Key), "key", "must be a non-empty string");
        Require(Salt is null || Salt.Length > 0, "salt", "must be a non-empty string when given (or leave it out to use the key)");
        Require(Variants is { Count: > 0 }, "variants", "must list at least one variant");
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Variants.Count; i++)
        {
            var path = $"variants[{i}]";
            Require(Variants[i] is not null, path, "must be an object with a name and a weight");
            var name = Variants[i].Name;
            Require(!string.IsNullOrWhiteSpace(name), $"{path}.name", "must be a non-empty string");
            Require(names.TryAdd(name, i), $"{path}.name", $"duplicate variant name '{name}' (also variants[{names.GetValueOrDefault(name)}])");
        }

        CheckWeights([.. Variants.Select(v => v.Weight)], i => $"variants[{i}].weight", "variants");
        CheckShare(Coverage, "coverage");
        for (var s = 0; s < (History?.Count ?? 0); s++)
        {
            var step = History![s];
            var path = $"history[{s}]";
            Require(step is { Weights: not null }, path, "must be an object with a coverage and weights");
            CheckShare(step.Coverage, $"{path}.coverage");
            foreach (var name in step.Weights.Keys)
            {
                Require(names.ContainsKey(name), $"{path}.weights.{name}", $"unknown variant '{name}' (variants: {string.Join(", ", names.Keys)})");
            }

            var weights = step.Weights.ToArray();
            CheckWeights([.. weights.Select(w => w.Value)], i => $"{path}.weights.{weights[i].Key}", $"{path}.weights");
        }

        var bucketSalt = Salt ?? Key;
        if (Holdout is not null)
        {
            Require(!string.IsNullOrEmpty(Holdout.Salt), "holdout.salt", "must be a non-empty string");
            Require(Holdout.Salt != bucketSalt, "holdout.salt", "must differ from the experiment's salt (the same hash would hold out the first variant's buckets)");
            CheckShare(Holdout.Share, "holdout.share");
        }

        if (Layer is not null)
        {
            Require(!string.IsNullOrEmpty(Layer.Name), "layer.name", "must be a non-empty string");
            Require(Layer.Name != bucketSalt, "layer.name", "must differ from the experiment's salt (the same hash would tie the layer range to the variant buckets)");
            Require(Layer.Name != Holdout?.Salt, "layer.name", "must differ from the holdout's salt");
            CheckShare(Layer.Start, "layer.start");
            CheckShare(Layer.End, "layer.end");
            Require(Layer.Start < Layer.End, "layer.end", $"must be greater than layer.start ({Format(Layer.Start)}): the range is [start, end)");
        }

        if (Targeting is not null)
        {
            _ = Targeting.Compile();
        }
    }

    /// <summary>
    /// Checks a set of experiments together: keys are unique, and experiments sharing a layer own disjoint ranges
    /// (so a unit is in at most one of them). Each experiment is validated first; paths start with its index.
    /// </summary>
    /// <exception cref="ExperimentDefinitionException">The first problem, e.g. <c>[2].layer: range [0.4, 0.7) overlaps ...</c>.</exception>
    public static void ValidateAll(IReadOnlyList<ExperimentDefinition> experiments)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var layers = new Dictionary<string, List<(int Index, LayerRange Range)>>(StringComparer.Ordinal);
        for (var i = 0; i < experiments.Count; i++)
        {
            var experiment = experiments[i] ?? throw new ExperimentDefinitionException($"[{i}]", "must be an experiment object");
            try
            {
                experiment.Validate();
            }
            catch (ExperimentDefinitionException e)
            {
                throw new ExperimentDefinitionException($"[{i}].{e.Field}", e.Reason);
            }

            Require(keys.TryAdd(experiment.Key, i), $"[{i}].key", $"duplicate experiment key '{experiment.Key}' (also [{keys.GetValueOrDefault(experiment.Key)}])");
            if (experiment.Layer is not { } range)
            {
                continue;
            }

            var owners = layers.TryGetValue(range.Name, out var list) ? list : layers[range.Name] = [];
            foreach (var (other, taken) in owners)
            {
                Require(
                    range.End <= taken.Start || taken.End <= range.Start,
                    $"[{i}].layer",
                    $"range [{Format(range.Start)}, {Format(range.End)}) of '{experiment.Key}' overlaps [{Format(taken.Start)}, {Format(taken.End)}) of '{experiments[other].Key}' in layer '{range.Name}'");
            }

            owners.Add((i, range));
        }
    }

    private static void CheckWeights(double[] weights, Func<int, string> path, string total)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            Require(double.IsFinite(weights[i]) && weights[i] >= 0, path(i), $"must be a finite number >= 0, got {Format(weights[i])}");
        }

        Require(weights.Sum() > 0, total, "weights must sum to a positive total");
    }

    private static void CheckShare(double value, string path) =>
        Require(value is >= 0 and <= 1, path, $"must lie in [0, 1], got {Format(value)}");

    internal static void Require([DoesNotReturnIf(false)] bool condition, string field, string reason)
    {
        if (!condition)
        {
            throw new ExperimentDefinitionException(field, reason);
        }
    }

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A variant and its weight (relative to the other variants' weights).</summary>
public sealed record VariantDefinition(string Name, double Weight);

/// <summary>
/// A holdout: units whose hash under <paramref name="Salt"/> falls in [0, <paramref name="Share"/>) are kept out of
/// every treatment. Experiments that name the same salt hold out the same units (nested when their shares differ).
/// </summary>
public sealed record HoldoutDefinition(string Salt, double Share);

/// <summary>
/// The range [<paramref name="Start"/>, <paramref name="End"/>) of layer <paramref name="Name"/>'s hash space (the
/// unit interval, hashed with the layer name as salt) that an experiment owns. Experiments of one layer own disjoint
/// ranges, so a unit is in at most one of them.
/// </summary>
public sealed record LayerRange(string Name, double Start, double End);

/// <summary>
/// Who may enter: a rule of the rule language (docs/rules.md) over the unit's attributes, whose names and kinds
/// <paramref name="Attributes"/> declares (the rule is checked against them before any unit is assigned).
/// </summary>
public sealed record TargetingDefinition(string Rule, IReadOnlyDictionary<string, RuleValueKind> Attributes)
{
    /// <summary>The rule, checked against the declared attributes and compiled.</summary>
    /// <exception cref="ExperimentDefinitionException">The rule or an attribute declaration is invalid.</exception>
    public Rule Compile()
    {
        ExperimentDefinition.Require(!string.IsNullOrWhiteSpace(Rule), "targeting.rule", "must be a non-empty rule, e.g. \"country = 'DE'\"");
        RuleSchema schema;
        try
        {
            schema = new RuleSchema((Attributes ?? new Dictionary<string, RuleValueKind>()).Select(a => new RuleFieldSpec(a.Key, a.Value)));
        }
        catch (ArgumentException e)
        {
            throw new ExperimentDefinitionException("targeting.attributes", e.Message.Split(" (Parameter", 2)[0]);
        }

        try
        {
            return Core.Rules.Rule.Parse(Rule, schema);
        }
        catch (RuleSyntaxException e)
        {
            throw new ExperimentDefinitionException("targeting.rule", e.Message);
        }
    }
}

/// <summary>What a change of weights or coverage does to units already assigned.</summary>
public enum Stickiness
{
    /// <summary>
    /// Units keep their variant unless it shrinks: a unit moves only if it was not enrolled, or its variant's share
    /// of all units fell. Needs every earlier allocation in <see cref="ExperimentDefinition.History"/>.
    /// </summary>
    Sticky = 0,

    /// <summary>Every recorded change starts a new phase with a new bucket salt: every unit is drawn afresh.</summary>
    Rerandomize = 1,
}

/// <summary>An earlier allocation: coverage and weights by variant name (a variant left out had weight 0).</summary>
public sealed record AllocationStep(double Coverage, IReadOnlyDictionary<string, double> Weights);

/// <summary>A definition mistake, naming the field (<c>variants[1].weight</c>) and the reason.</summary>
public sealed class ExperimentDefinitionException : FormatException
{
    public ExperimentDefinitionException()
        : this(string.Empty, "invalid experiment definition")
    {
    }

    public ExperimentDefinitionException(string message)
        : this(string.Empty, message)
    {
    }

    public ExperimentDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
        Reason = message;
    }

    public ExperimentDefinitionException(string field, string reason)
        : base(field.Length == 0 ? reason : $"{field}: {reason}")
    {
        Field = field;
        Reason = reason;
    }

    /// <summary>The JSON path of the field (<c>variants[1].weight</c>); empty for the document as a whole.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
