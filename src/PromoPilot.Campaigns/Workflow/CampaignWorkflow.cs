using PromoPilot.Core.Campaigns;

namespace PromoPilot.Campaigns.Workflow;

/// <summary>What someone does to a campaign; each moves it between <see cref="CampaignStatus"/>es (see <see cref="CampaignWorkflow"/>).</summary>
public enum CampaignAction
{
    /// <summary>A new campaign is stored as a draft.</summary>
    Create,

    /// <summary>The definition changes; the campaign goes back to draft (its forecast and approval no longer hold).</summary>
    Edit,

    /// <summary>A forecast was made: draft or forecast → forecast.</summary>
    Forecast,

    /// <summary>Approved for launch: forecast → approved (from draft only when explicitly without a forecast).</summary>
    Approve,

    /// <summary>Launched with its holdout: approved → live.</summary>
    Launch,

    /// <summary>Stops serving for a while: live → paused.</summary>
    Pause,

    /// <summary>Serves again: paused → live.</summary>
    Resume,

    /// <summary>Ends for good: live or paused → finished.</summary>
    Finish,
}

/// <summary>One line of a campaign's audit trail: who did what, when, from which status to which, at which version.</summary>
/// <param name="CampaignId">The campaign.</param>
/// <param name="Version">The definition's version after the action (1 at creation, +1 per action).</param>
/// <param name="Action">What was done.</param>
/// <param name="From">Status before; null at creation.</param>
/// <param name="To">Status after.</param>
/// <param name="Actor">Who did it (a user name, a service).</param>
/// <param name="At">When, from the workflow's clock.</param>
/// <param name="Detail">What changed, in words (holdout share, forecast id, reason); null when nothing to add.</param>
public sealed record CampaignAuditEntry(
    string CampaignId, int Version, CampaignAction Action, CampaignStatus? From, CampaignStatus To, string Actor, DateTimeOffset At, string? Detail);

/// <summary>A transition that happened: the campaign with its new status and the audit line saying so.</summary>
public sealed record CampaignTransition(CampaignDefinition Campaign, CampaignAuditEntry Audit);

/// <summary>An action the campaign's status does not allow; the message names the allowed ones.</summary>
public sealed class CampaignWorkflowException : InvalidOperationException
{
    public CampaignWorkflowException()
    {
    }

    public CampaignWorkflowException(string message)
        : base(message)
    {
    }

    public CampaignWorkflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The campaign life cycle as a pure state machine: <c>draft → forecast → approved → live → finished</c>, with pause and
/// resume while live, edits sending a campaign that is not yet live back to draft. Every transition returns the audit
/// line (actor, action, time from the injected <see cref="TimeProvider"/>); nothing is stored here.
/// </summary>
/// <remarks>
/// <code>
///   action     from                         to
///   create     (none)                       draft
///   edit       draft, forecast, approved    draft
///   forecast   draft, forecast              forecast
///   approve    forecast (draft only with withoutForecast)   approved
///   launch     approved                     live      (not once the window has ended)
///   pause      live                         paused
///   resume     paused                       live      (not once the window has ended)
///   finish     live, paused                 finished
/// </code>
/// </remarks>
public sealed class CampaignWorkflow(TimeProvider clock)
{
    private static readonly Dictionary<CampaignAction, (CampaignStatus[] From, CampaignStatus To)> Table = new()
    {
        [CampaignAction.Edit] = ([CampaignStatus.Draft, CampaignStatus.Forecast, CampaignStatus.Approved], CampaignStatus.Draft),
        [CampaignAction.Forecast] = ([CampaignStatus.Draft, CampaignStatus.Forecast], CampaignStatus.Forecast),
        [CampaignAction.Approve] = ([CampaignStatus.Forecast], CampaignStatus.Approved),
        [CampaignAction.Launch] = ([CampaignStatus.Approved], CampaignStatus.Live),
        [CampaignAction.Pause] = ([CampaignStatus.Live], CampaignStatus.Paused),
        [CampaignAction.Resume] = ([CampaignStatus.Paused], CampaignStatus.Live),
        [CampaignAction.Finish] = ([CampaignStatus.Live, CampaignStatus.Paused], CampaignStatus.Finished),
    };

    private readonly TimeProvider _clock = clock ?? throw new ArgumentNullException(nameof(clock));

    /// <summary>The actions a campaign in <paramref name="status"/> allows (create aside).</summary>
    public static IReadOnlyList<CampaignAction> Allowed(CampaignStatus status) =>
        [.. Table.Where(t => t.Value.From.Contains(status)).Select(t => t.Key).Order()];

    /// <summary>A new campaign as a draft (version 1), whatever status its file stated.</summary>
    /// <exception cref="ArgumentException">The campaign has problems (every one listed).</exception>
    public CampaignTransition Create(CampaignDefinition campaign, string actor)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        CheckActor(actor);
        if (campaign.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"campaign '{campaign.Id}' has problems: {string.Join("; ", problems)}", nameof(campaign));
        }

        var draft = campaign with { Status = CampaignStatus.Draft };
        return new(draft, new CampaignAuditEntry(campaign.Id, 1, CampaignAction.Create, null, CampaignStatus.Draft, actor, _clock.GetUtcNow(), null));
    }

    /// <summary>Applies <paramref name="action"/> to a campaign at <paramref name="version"/>.</summary>
    /// <param name="campaign">The campaign as stored.</param>
    /// <param name="version">Its stored version; the audit line carries version + 1.</param>
    /// <param name="action">What is done (not <see cref="CampaignAction.Create"/>: use <see cref="Create"/>).</param>
    /// <param name="actor">Who does it.</param>
    /// <param name="detail">What to record beside it.</param>
    /// <param name="edited">For <see cref="CampaignAction.Edit"/>: the new definition (same id); its problems reject the edit.</param>
    /// <param name="withoutForecast">For <see cref="CampaignAction.Approve"/>: allow approving a draft that has no forecast (recorded in the audit).</param>
    /// <exception cref="CampaignWorkflowException">The status does not allow the action, or the campaign's window has ended (launch, resume).</exception>
    /// <exception cref="ArgumentException">The actor is empty, or an edit is missing, changes the id or has problems.</exception>
    public CampaignTransition Apply(
        CampaignDefinition campaign, int version, CampaignAction action, string actor, string? detail = null,
        CampaignDefinition? edited = null, bool withoutForecast = false)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        CheckActor(actor);
        if (action == CampaignAction.Create)
        {
            throw new ArgumentException("use Create for a new campaign", nameof(action));
        }

        var (from, to) = Table[action];
        var allowed = from.Contains(campaign.Status) || (action == CampaignAction.Approve && withoutForecast && campaign.Status == CampaignStatus.Draft);
        if (!allowed)
        {
            var options = Allowed(campaign.Status);
            throw new CampaignWorkflowException(
                $"campaign '{campaign.Id}' is {Name(campaign.Status)}: it cannot {Name(action)} (it can {(options.Count == 0 ? "do nothing more" : string.Join(", ", options.Select(Name)))})"
                + (action == CampaignAction.Approve && campaign.Status == CampaignStatus.Draft ? "; forecast it first, or approve it explicitly without a forecast" : string.Empty));
        }

        var now = _clock.GetUtcNow();
        if (action is CampaignAction.Launch or CampaignAction.Resume && campaign.Ends is { } ends && ends <= now)
        {
            throw new CampaignWorkflowException($"campaign '{campaign.Id}' ended at {ends:O}: it cannot {Name(action)}");
        }

        var next = campaign with { Status = to };
        if (action == CampaignAction.Edit)
        {
            if (edited is null || !string.Equals(edited.Id, campaign.Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"an edit needs the new definition of campaign '{campaign.Id}' (same id)", nameof(edited));
            }

            if (edited.Problems() is { Count: > 0 } problems)
            {
                throw new ArgumentException($"campaign '{campaign.Id}' has problems: {string.Join("; ", problems)}", nameof(edited));
            }

            next = edited with { Status = to };
        }

        if (action == CampaignAction.Approve && campaign.Status == CampaignStatus.Draft)
        {
            detail = detail is null ? "approved without a forecast" : $"approved without a forecast; {detail}";
        }

        return new(next, new CampaignAuditEntry(campaign.Id, version + 1, action, campaign.Status, to, actor, now, detail));
    }

    /// <summary>The snake_case name of a status or action, as files, audit rows and messages write it.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static void CheckActor(string actor)
    {
        if (string.IsNullOrWhiteSpace(actor))
        {
            throw new ArgumentException("who acts must be named (the audit trail records it)", nameof(actor));
        }
    }
}
