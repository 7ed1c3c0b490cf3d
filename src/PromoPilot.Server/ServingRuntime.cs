using System.Text.Json;
using Microsoft.Extensions.Logging;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Rules;
using PromoPilot.Core.Serving;
using PromoPilot.Decisioning;
using PromoPilot.Decisioning.Scoring;
using PromoPilot.Measurement.Experiments.Assignment;
using PromoPilot.Server.Security;

namespace PromoPilot.Server;

/// <summary>
/// What every request of a server shares: the decision engine over the current catalog (swapped atomically when
/// campaigns or experiments change, here or on another server), the shoppers' snapshots, the online state, the
/// durable store, the API keys and a recent snapshot of campaign spend.
/// </summary>
public sealed class ServingRuntime(
    IServingStore store,
    IOnlineState state,
    IUserDirectory users,
    RuleSchema schema,
    LinearUpliftModel? model,
    DecisionOptions decisionOptions,
    ApiKeyRing keys,
    TimeProvider clock,
    ILogger<ServingRuntime> logger)
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile DecisionEngine _engine = new(LiveCatalog.Empty, model, null, decisionOptions);
    private volatile IReadOnlyDictionary<string, CampaignSpend> _spend = new Dictionary<string, CampaignSpend>();
    private IReadOnlyList<StoredCampaign> _campaigns = [];
    private IReadOnlyList<StoredExperiment> _experiments = [];
    private long _version;

    /// <summary>How long a decision can be redeemed (and an idempotency key remembered).</summary>
    public TimeSpan DecisionTtl { get; init; } = TimeSpan.FromDays(7);

    public IServingStore Store => store;

    public IOnlineState State => state;

    public IUserDirectory Users => users;

    public RuleSchema Schema => schema;

    public ApiKeyRing Keys => keys;

    public TimeProvider Clock => clock;

    public DecisionEngine Engine => _engine;

    /// <summary>Seals what a decision granted into its id; set when the server is built (the key lives in the online state).</summary>
    public DecisionTokens Tokens { get; internal set; } = null!;

    public IReadOnlyDictionary<string, CampaignSpend> Spend => _spend;

    /// <summary>Every stored campaign (any status), as last loaded.</summary>
    public IReadOnlyList<StoredCampaign> Campaigns => Volatile.Read(ref _campaigns);

    /// <summary>Every stored experiment, as last loaded.</summary>
    public IReadOnlyList<StoredExperiment> Experiments => Volatile.Read(ref _experiments);

    /// <summary>
    /// Re-reads campaigns, experiments and keys from the store and rebuilds the engine when any changed; then refreshes
    /// the spend of the live campaigns from the online state.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var campaigns = await store.LoadCampaignsAsync(cancellationToken).ConfigureAwait(false);
            var experiments = await store.LoadExperimentsAsync(cancellationToken).ConfigureAwait(false);
            keys.Load(await store.LoadApiKeysAsync(cancellationToken).ConfigureAwait(false));
            if (!SameVersions(campaigns, Campaigns, c => c.Definition.Id, c => c.Version) || !SameVersions(experiments, Experiments, e => e.Key, e => e.Version))
            {
                var catalog = LiveCatalog.Build(campaigns.Select(c => c.Definition), schema, Interlocked.Increment(ref _version));
                foreach (var problem in catalog.Problems)
                {
                    logger.LogWarning("campaign not served: {Problem}", problem);
                }

                var definitions = new List<ExperimentDefinition>();
                foreach (var experiment in experiments)
                {
                    try
                    {
                        definitions.Add(ExperimentJson.Parse(experiment.DefinitionJson));
                    }
                    catch (Exception e) when (e is ExperimentDefinitionException or JsonException or FormatException)
                    {
                        logger.LogWarning("experiment {Key} not served: {Message}", experiment.Key, e.Message);
                    }
                }

                _engine = new DecisionEngine(catalog, model, definitions, decisionOptions);
                Volatile.Write(ref _campaigns, campaigns);
                Volatile.Write(ref _experiments, experiments);
            }

            var spend = new Dictionary<string, CampaignSpend>(StringComparer.Ordinal);
            foreach (var campaign in campaigns.Where(c => c.Definition.Status == CampaignStatus.Live))
            {
                spend[campaign.Definition.Id] = await state.GetSpendAsync(campaign.Definition.Id, cancellationToken).ConfigureAwait(false);
            }

            _spend = spend;
        }
        finally
        {
            _reload.Release();
        }
    }

    private static bool SameVersions<T>(IReadOnlyList<T> a, IReadOnlyList<T> b, Func<T, string> id, Func<T, int> version) =>
        a.Count == b.Count && a.Select(x => (id(x), version(x))).OrderBy(x => x.Item1, StringComparer.Ordinal)
            .SequenceEqual(b.Select(x => (id(x), version(x))).OrderBy(x => x.Item1, StringComparer.Ordinal));
}
