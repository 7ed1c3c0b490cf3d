using System.Text.Json;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Rules;
using PromoPilot.Measurement.Experiments.Assignment;

namespace PromoPilot.Decisioning;

/// <summary>
/// An eligibility check as the trace reports it: its key (rejections are counted by it), the reason when it fails,
/// and how many of the campaign's passed checks come before it.
/// </summary>
internal sealed record CampaignCheck(string Key, string Failed, int PassedBefore);

/// <summary>
/// A campaign compiled for serving: its audience rule, channel set, holdout assignment, and the texts of its checks,
/// written once here so a decision allocates no reason strings.
/// </summary>
internal sealed class CompiledCampaign
{
    public const string HoldoutCheck = "holdout";

    public static readonly CampaignCheck Window = new("window", "window: not live now", 0);

    public CompiledCampaign(CampaignDefinition definition, RuleSchema schema)
    {
        Definition = definition;
        Audience = definition.Audience is { } audience ? Rule.Parse(audience, schema) : null;
        Channels = definition.Channels is { } channels ? channels.ToHashSet(StringComparer.OrdinalIgnoreCase) : null;
        Holdout = CampaignHoldout.Test(definition);
        BudgetCents = definition.Budget is { } budget ? Cents(budget) : null;
        var passed = new List<string>();
        if (definition.Channels is { } list)
        {
            ChannelCheck = new("channel", $"channel: not in [{string.Join(", ", list)}]", passed.Count);
            passed.Add($"channel: in [{string.Join(", ", list)}] passed");
        }

        if (definition.FirstPurchaseOnly)
        {
            FirstPurchaseCheck = new("first_purchase", "first_purchase: the shopper has bought before", passed.Count);
            passed.Add("first_purchase: passed");
        }

        if (definition.Segment is { } segment)
        {
            SegmentCheck = new("segment", $"segment: not {segment}", passed.Count);
            passed.Add($"segment: {segment} passed");
        }

        if (Audience is { } rule)
        {
            AudienceCheck = new("audience", $"audience: {rule.Text} failed", passed.Count);
            passed.Add($"audience: {rule.Text} passed");
        }

        BudgetSpent = new("budget", "budget: campaign budget spent", passed.Count);
        RedemptionsReached = new("redemptions", "redemptions: campaign redemption limit reached", passed.Count);
        HoldoutRejection = new(HoldoutCheck, $"holdout: the shopper is in the campaign's {definition.HoldoutFraction.ToString("P0", System.Globalization.CultureInfo.InvariantCulture)} holdout", passed.Count);
        passed.Add("holdout: treatment");
        Passed = new EncodedStrings(passed);
        if (definition.FrequencyCap is { } cap)
        {
            CapPassedReasons = new EncodedStrings([.. passed, $"frequency_cap: {cap.Count} per {cap.WindowHours} h passed"]);
            CapReachedReasons = new EncodedStrings([.. passed, $"frequency_cap: {cap.Count} per {cap.WindowHours} h reached"]);
        }

        EncodedId = JsonEncodedText.Encode(definition.Id);
        Offers = [.. definition.Offers.Select(o => new CompiledOffer(this, o))];
    }

    public CampaignCheck? ChannelCheck { get; }

    public CampaignCheck? FirstPurchaseCheck { get; }

    public CampaignCheck? SegmentCheck { get; }

    public CampaignCheck? AudienceCheck { get; }

    public CampaignCheck BudgetSpent { get; }

    public CampaignCheck RedemptionsReached { get; }

    public CampaignCheck HoldoutRejection { get; }

    /// <summary>The texts of every check the campaign has, passed, in order (the last is the holdout): the trace of a campaign that served an offer.</summary>
    public EncodedStrings Passed { get; }

    /// <summary>The trace of a capped campaign that served an offer, or whose cap was reached (null when uncapped).</summary>
    public EncodedStrings? CapPassedReasons { get; }

    /// <inheritdoc cref="CapPassedReasons"/>
    public EncodedStrings? CapReachedReasons { get; }

    /// <summary>The campaign id as a JSON property name.</summary>
    public JsonEncodedText EncodedId { get; }

    /// <summary>The trace of a campaign rejected by <paramref name="check"/>: the checks passed before it, then its failure.</summary>
    public IReadOnlyList<string> ReasonsUntil(CampaignCheck check) => [.. Passed.Take(check.PassedBefore), check.Failed];

    public CampaignDefinition Definition { get; }

    public string Id => Definition.Id;

    public Rule? Audience { get; }

    public HashSet<string>? Channels { get; }

    public HoldoutTest Holdout { get; }

    public CompiledOffer[] Offers { get; }

    public long? BudgetCents { get; }

    public static long Cents(decimal amount) => (long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);
}

/// <summary>An offer compiled for serving, with the texts of its own checks.</summary>
internal sealed class CompiledOffer(CompiledCampaign campaign, OfferDefinition definition)
{
    public static readonly CampaignCheck MembersOnly = new("membership", "membership: member price for members only", 0);

    public static readonly CampaignCheck NoStock = new("stock", "stock: none left", 0);

    public CampaignCheck MinimumBasketCheck { get; } = new("minimum_basket", $"minimum_basket: cart below {definition.MinimumBasket}", 0);

    public CampaignCheck BudgetLeftCheck { get; } = new("budget", $"budget: less than one redemption ({definition.CostPerRedemption}) left", 0);

    public CompiledCampaign Campaign { get; } = campaign;

    public OfferDefinition Definition { get; } = definition;

    public string Id => Definition.Id;

    /// <summary>The offer's type as decisions name it, made once per catalog.</summary>
    public string TypeName { get; } = DecisionEngine.Snake(definition.Type);

    // Arrays, so the per-offer loops of scoring enumerate without allocating.
    public string[] Categories { get; } = [.. definition.Scope?.Categories ?? []];

    public string[] FeaturedItems { get; } = [.. definition.FeaturedItems ?? definition.Scope?.Items ?? []];

    /// <summary>The cost per redemption in cents, null when the offer has none fixed.</summary>
    public long? CostCents { get; } = definition.CostPerRedemption is { } cost ? CompiledCampaign.Cents(cost) : null;

    // The money terms of scoring as doubles, converted once rather than per request.
    public double? Cost { get; } = (double?)definition.CostPerRedemption;

    public double? Margin { get; } = (double?)definition.Margin;

    public double? Percent { get; } = (double?)definition.Percent;

    /// <summary>Campaign plus offer priority.</summary>
    public double Priority { get; } = campaign.Definition.Priority + definition.Priority;
}

/// <summary>
/// The live campaigns compiled once per change and shared by every request: audience rules compiled against the
/// decision schema, campaigns indexed by placement. Immutable, so the host swaps a new catalog in atomically when a
/// campaign changes.
/// </summary>
public sealed class LiveCatalog
{
    private readonly Dictionary<string, CompiledCampaign[]> _byPlacement;
    private readonly CompiledCampaign[] _anyPlacement;
    private readonly Dictionary<string, CompiledCampaign> _byId;

    private LiveCatalog(IReadOnlyList<CompiledCampaign> campaigns, IReadOnlyList<string> problems, long version)
    {
        Version = version;
        Problems = problems;
        NeedsOnlineFeatures = campaigns.Any(c => c.Definition.FirstPurchaseOnly
            || (c.Audience?.Fields.Any(f => f is "has_purchased" || f.StartsWith("online_", StringComparison.Ordinal)) ?? false));
        _byId = campaigns.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _anyPlacement = [.. campaigns.Where(c => c.Definition.Placements is null)];
        _byPlacement = campaigns
            .Where(c => c.Definition.Placements is not null)
            .SelectMany(c => c.Definition.Placements!.Select(p => (Placement: p, Campaign: c)))
            .GroupBy(p => p.Placement, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Campaign).Concat(_anyPlacement).ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A catalog with no campaigns.</summary>
    public static LiveCatalog Empty { get; } = new([], [], 0);

    /// <summary>Increases with every rebuild; decisions record it.</summary>
    public long Version { get; }

    /// <summary>Campaigns left out because they did not compile, with the reason.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>True when some campaign reads the event API's online features (so a decision must fetch them).</summary>
    public bool NeedsOnlineFeatures { get; }

    /// <summary>Campaigns served (status live), by id.</summary>
    public int Count => _byId.Count;

    /// <summary>
    /// Compiles the campaigns whose status is live (windows are checked per request); a campaign that does not compile
    /// is left out and named in <see cref="Problems"/>.
    /// </summary>
    public static LiveCatalog Build(IEnumerable<CampaignDefinition> campaigns, RuleSchema schema, long version)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(schema);
        var compiled = new List<CompiledCampaign>();
        var problems = new List<string>();
        foreach (var campaign in campaigns.Where(c => c.Status == CampaignStatus.Live).OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            try
            {
                compiled.Add(new CompiledCampaign(campaign, schema));
            }
            catch (Exception e) when (e is RuleSyntaxException or ArgumentException or ExperimentDefinitionException)
            {
                problems.Add($"{campaign.Id}: {e.Message}");
            }
        }

        return new LiveCatalog(compiled, problems, version);
    }

    /// <summary>The campaign with this id, if it is served.</summary>
    public CampaignDefinition? Find(string campaignId) => _byId.GetValueOrDefault(campaignId)?.Definition;

    internal CompiledCampaign? FindCompiled(string campaignId) => _byId.GetValueOrDefault(campaignId);

    internal CompiledCampaign[] ForPlacement(string placement) => _byPlacement.GetValueOrDefault(placement) ?? _anyPlacement;
}
