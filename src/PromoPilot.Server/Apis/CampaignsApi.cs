using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Rules;
using PromoPilot.Core.Serving;
using PromoPilot.Server.Http;
using PromoPilot.Server.Security;

namespace PromoPilot.Server.Apis;

/// <summary>A campaign as the API shows it: its definition, version, and what it has spent.</summary>
public sealed record CampaignView(CampaignDefinition Campaign, int Version, DateTimeOffset UpdatedAt, decimal Spent, long Redemptions);

/// <summary>GET/POST/PUT /v1/campaigns.</summary>
public static class CampaignsApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/campaigns").WithTags("Campaigns");
        group.MapGet("/", List).RequireAuthorization(Policies.Read).WithName("ListCampaigns");
        group.MapGet("/{id}", Get).RequireAuthorization(Policies.Read).WithName("GetCampaign");
        group.MapPost("/", Create).RequireAuthorization(Policies.Manage).WithName("CreateCampaign").WithSummary("Creates a campaign (validated: every problem is listed).");
        group.MapPut("/{id}", Update).RequireAuthorization(Policies.Manage).WithName("UpdateCampaign").WithSummary("Replaces a campaign; If-Match: its version guards against lost updates.");
    }

    private static async Task<IResult> List(ServingRuntime runtime, CancellationToken cancellationToken)
    {
        var views = new List<CampaignView>();
        foreach (var stored in runtime.Campaigns.OrderBy(c => c.Definition.Id, StringComparer.Ordinal))
        {
            views.Add(await View(runtime, stored, cancellationToken));
        }

        return TypedResults.Ok(new { campaigns = views });
    }

    private static async Task<IResult> Get(string id, ServingRuntime runtime, CancellationToken cancellationToken) =>
        runtime.Campaigns.FirstOrDefault(c => c.Definition.Id == id) is { } stored
            ? TypedResults.Ok(await View(runtime, stored, cancellationToken))
            : Problems.Result(StatusCodes.Status404NotFound, "Unknown campaign", $"no campaign '{Show(id)}'");

    private static Task<IResult> Create(HttpContext http, ServingRuntime runtime, CancellationToken cancellationToken) =>
        Save(http, runtime, null, cancellationToken);

    private static Task<IResult> Update(string id, HttpContext http, ServingRuntime runtime, CancellationToken cancellationToken) =>
        Save(http, runtime, id, cancellationToken);

    private static async Task<IResult> Save(HttpContext http, ServingRuntime runtime, string? id, CancellationToken cancellationToken)
    {
        var (campaign, error) = await Problems.ReadAsync<CampaignDefinition>(http.Request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var problems = Validate(campaign!, runtime.Schema).ToList();
        if (id is not null && campaign!.Id != id)
        {
            problems.Add($"id: the body's id '{Show(campaign.Id)}' is not the path's '{Show(id)}'");
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems);
        }

        var current = runtime.Campaigns.FirstOrDefault(c => c.Definition.Id == campaign!.Id);
        if (id is null && current is not null)
        {
            return Problems.Result(StatusCodes.Status409Conflict, "Campaign exists", $"campaign '{campaign!.Id}' exists (version {current.Version}); PUT /v1/campaigns/{campaign.Id} to change it");
        }

        if (id is not null && current is null)
        {
            return Problems.Result(StatusCodes.Status404NotFound, "Unknown campaign", $"no campaign '{Show(id)}'; POST /v1/campaigns to create it");
        }

        var expected = current?.Version ?? 0;
        if (http.Request.Headers.IfMatch.ToString().Trim('"', ' ') is { Length: > 0 } ifMatch)
        {
            if (!int.TryParse(ifMatch, out expected))
            {
                return Problems.Invalid([$"If-Match: '{Show(ifMatch)}' is not a version number"]);
            }
        }

        var (actor, role) = Actors.Of(http.User);
        var audit = new AuditEntry(runtime.Clock.GetUtcNow(), actor, role, id is null ? "create" : "update", "campaign", campaign!.Id,
            JsonSerializer.Serialize(new { status = campaign.Status, version = expected + 1 }, CampaignJson.Options));
        StoredCampaign saved;
        try
        {
            saved = await runtime.Store.SaveCampaignAsync(campaign, expected, audit, cancellationToken);
        }
        catch (VersionConflictException e)
        {
            return Problems.Result(StatusCodes.Status409Conflict, "Version conflict", e.Message);
        }

        await runtime.RefreshAsync(cancellationToken);
        var view = await View(runtime, saved, cancellationToken);
        return id is null ? TypedResults.Created($"/v1/campaigns/{saved.Definition.Id}", view) : TypedResults.Ok(view);
    }

    /// <summary>The definition's own problems, then its audience rule against the decision schema.</summary>
    public static IEnumerable<string> Validate(CampaignDefinition campaign, RuleSchema schema)
    {
        foreach (var problem in campaign.Problems())
        {
            yield return problem;
        }

        if (campaign.Audience is { Length: > 0 } audience)
        {
            string? ruleProblem = null;
            try
            {
                _ = Rule.Parse(audience, schema);
            }
            catch (RuleSyntaxException e)
            {
                ruleProblem = $"audience: {e.Message}";
            }

            if (ruleProblem is not null)
            {
                yield return ruleProblem;
            }
        }
    }

    private static async Task<CampaignView> View(ServingRuntime runtime, StoredCampaign stored, CancellationToken cancellationToken)
    {
        var spend = await runtime.State.GetSpendAsync(stored.Definition.Id, cancellationToken);
        return new CampaignView(stored.Definition, stored.Version, stored.UpdatedAt, spend.SpentCents / 100m, spend.Redemptions);
    }

    internal static string Show(string text) => text.Length > 64 ? text[..64] + "…" : text;
}
