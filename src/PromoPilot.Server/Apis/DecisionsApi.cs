using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PromoPilot.Core.Serving;
using PromoPilot.Decisioning;
using PromoPilot.Server.Http;
using PromoPilot.Server.Security;

namespace PromoPilot.Server.Apis;

/// <summary>The body of a redeem call.</summary>
/// <param name="OfferId">The offer of the decision being redeemed.</param>
/// <param name="Amount">The discount given; null = the offer's cost per redemption.</param>
/// <param name="OrderId">The order it was redeemed on, for the log.</param>
public sealed record RedeemRequest(string OfferId, decimal? Amount = null, string? OrderId = null);

/// <summary>The answer to a redeem call that was granted.</summary>
public sealed record RedeemResponse(string DecisionId, string OfferId, string CampaignId, string Status, decimal Amount, bool Replayed);

/// <summary>POST /v1/decisions and POST /v1/decisions/{id}/redeem.</summary>
public static class DecisionsApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/decisions").RequireAuthorization(Policies.Decide).WithTags("Decisions");
        group.MapPost("/", Decide).WithName("Decide").WithSummary("Ranked offers and recommended items for a shopper now, with the reason trace.");
        group.MapPost("/{id}/redeem", Redeem).WithName("Redeem").WithSummary("Redeems an offer of a decision against its budget and limits (idempotent).");
    }

    private static async Task<IResult> Decide(HttpContext http, ServingRuntime runtime, ServerMetrics metrics, UserIds userIds, CancellationToken cancellationToken)
    {
        var (request, error) = await Problems.ReadAsync<DecisionRequest>(http.Request, cancellationToken, DecisionRequestJson.TryRead);
        if (error is not null)
        {
            return error;
        }

        var problems = request!.Problems();
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems);
        }

        var clientUserId = request.UserId;
        var internalRequest = request with { UserId = userIds.Internal(request.UserId) };
        var decisionId = DecisionIds.Next(runtime.Clock.GetUtcNow());
        if (Idempotency.Key(http) is { } key)
        {
            var stored = await runtime.State.GetOrAddAsync($"idem:decide:{http.User.Identity!.Name}:{key}", decisionId, runtime.DecisionTtl, cancellationToken);
            if (stored != decisionId)
            {
                var body = await runtime.State.GetAsync($"decision-body:{stored}", cancellationToken);
                return body is null
                    ? Problems.Result(StatusCodes.Status409Conflict, "In progress", $"the decision for Idempotency-Key '{key}' is still being made; retry shortly")
                    : Results.Text(body, "application/json");
            }
        }

        var engine = runtime.Engine;
        var user = runtime.Users.Find(internalRequest.UserId);
        var decision = await engine.DecideAsync(decisionId, internalRequest, user, runtime.State, runtime.Spend, runtime.Clock.GetUtcNow(), cancellationToken);
        // The id the client redeems with carries what was granted: nothing is kept per decision.
        var token = runtime.Tokens.Seal(DecisionRecord.From(decision));
        var json = DecisionJson.SerializeToThreadBuffer(decision with { DecisionId = token, UserId = clientUserId });
        var idempotentBody = Idempotency.Key(http) is null ? null : System.Text.Encoding.UTF8.GetString(json);
        // Copied into the response pipe now, before any await: the thread's buffer is reused by its next decision.
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = json.Length;
        http.Response.BodyWriter.Write(json);
        if (idempotentBody is not null)
        {
            await runtime.State.GetOrAddAsync($"decision-body:{decisionId}", idempotentBody, runtime.DecisionTtl, cancellationToken);
        }

        metrics.Decided(decision);
        return Results.Empty;
    }

    private static string Shorten(string id) => id.Length > 48 ? id[..48] + "…" : id;

    private static async Task<IResult> Redeem(string id, HttpContext http, ServingRuntime runtime, ServerMetrics metrics, CancellationToken cancellationToken)
    {
        var (request, error) = await Problems.ReadAsync<RedeemRequest>(http.Request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(request!.OfferId) || request.OfferId.Length > 128)
        {
            return Problems.Invalid(["offer_id: required, at most 128 characters"]);
        }

        var record = runtime.Tokens.Open(id);
        if (record is null || runtime.Clock.GetUtcNow() - record.DecidedAt > runtime.DecisionTtl)
        {
            return Problems.Result(StatusCodes.Status404NotFound, "Unknown decision", $"no decision '{Shorten(id)}' (not a decision id this service issued, or older than its time to live)");
        }

        id = record.DecisionId;
        var granted = record.Offers.FirstOrDefault(o => o.OfferId == request.OfferId);
        if (granted is null)
        {
            return Problems.Result(StatusCodes.Status404NotFound, "Offer not in decision", $"decision {id} did not grant offer '{request.OfferId}' (granted: {string.Join(", ", record.Offers.Select(o => o.OfferId))})");
        }

        var campaign = runtime.Engine.Catalog.Find(granted.CampaignId);
        if (campaign is null)
        {
            return Problems.Result(StatusCodes.Status409Conflict, "Campaign not live", $"campaign '{granted.CampaignId}' is no longer live");
        }

        RedemptionClaim claim;
        try
        {
            var key = Idempotency.Key(http) is { } k ? $"{http.User.Identity!.Name}:{k}" : $"{id}/{request.OfferId}";
            claim = Redemptions.Claim(record, request.OfferId, request.Amount, key, campaign);
        }
        catch (ArgumentException e)
        {
            return Problems.Invalid([e.Message.Split(" (Parameter", 2)[0]]);
        }

        var outcome = await runtime.State.RedeemAsync(claim, cancellationToken);
        metrics.Redeemed(campaign.Id, outcome);
        if (outcome.Status != RedemptionStatus.Granted)
        {
            return Problems.Result(StatusCodes.Status409Conflict, "Not redeemed", $"{outcome.Status}: the redemption was refused", new Dictionary<string, object?> { ["status_code"] = Names.Snake(outcome.Status.ToString()) });
        }

        return TypedResults.Ok(new RedeemResponse(id, request.OfferId, campaign.Id, "granted", outcome.AmountCents / 100m, outcome.Replayed));
    }
}

/// <summary>The Idempotency-Key header.</summary>
public static class Idempotency
{
    /// <summary>The request's idempotency key: 1-128 visible ASCII characters, else null.</summary>
    public static string? Key(HttpContext http)
    {
        var value = http.Request.Headers["Idempotency-Key"].ToString();
        return value.Length is > 0 and <= 128 && value.All(c => c is > ' ' and < '\u007f') ? value : null;
    }
}

internal static class Names
{
    public static string Snake(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
