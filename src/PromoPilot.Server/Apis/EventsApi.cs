using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Serving;
using PromoPilot.Server.Http;
using PromoPilot.Server.Security;

namespace PromoPilot.Server.Apis;

/// <summary>One event as the storefront sends it.</summary>
/// <param name="EventId">The client's unique id; a retry with the same id is stored once. Without it, send the batch with an Idempotency-Key.</param>
/// <param name="UserId">The shopper.</param>
/// <param name="Type">view, click, add_to_cart, remove_from_cart, purchase, refund, offer_exposure, offer_redemption.</param>
/// <param name="Timestamp">When it happened; the server's clock when absent.</param>
public sealed record EventInput(
    string UserId,
    string Type,
    string? EventId = null,
    DateTimeOffset? Timestamp = null,
    string? ItemId = null,
    int? Quantity = null,
    decimal? Price = null,
    string? OrderId = null,
    string? DecisionId = null,
    string? OfferId = null);

/// <summary>A batch of events.</summary>
public sealed record EventBatch(IReadOnlyList<EventInput> Events);

/// <summary>The answer to an accepted batch: every event was durably written (or had been before).</summary>
public sealed record EventsAccepted(int Accepted, int Stored, int Duplicates);

/// <summary>POST /v1/events: one event or a batch, acknowledged only once durably written.</summary>
public static class EventsApi
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
    {
        "view", "click", "add_to_cart", "remove_from_cart", "favorite", "purchase", "refund", "offer_exposure", "offer_redemption",
    };

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/events", Ingest).RequireAuthorization(Policies.Decide).WithTags("Events")
            .WithName("Events").WithSummary("Ingests one event, an array, or {\"events\": [...]}; 200 only once durably written.");

    private static async Task<IResult> Ingest(HttpContext http, ServingRuntime runtime, ServerMetrics metrics, IOptions<ServerOptions> options, UserIds userIds, CancellationToken cancellationToken)
    {
        var (document, error) = await Problems.ReadAsync<JsonDocument>(http.Request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        IReadOnlyList<EventInput> events;
        using (document)
        {
            try
            {
                var root = document!.RootElement;
                events = root.ValueKind switch
                {
                    JsonValueKind.Array => root.Deserialize<List<EventInput>>(CampaignJson.Options)!,
                    JsonValueKind.Object when root.TryGetProperty("events", out _) => root.Deserialize<EventBatch>(CampaignJson.Options)!.Events,
                    JsonValueKind.Object => [root.Deserialize<EventInput>(CampaignJson.Options)!],
                    _ => throw new JsonException("expected an event object, an array of events, or {\"events\": [...]}"),
                };
            }
            catch (JsonException e)
            {
                return Problems.Result(StatusCodes.Status400BadRequest, "Malformed JSON", $"field {e.Path ?? "$"}: {e.Message.Split(" Path:", 2)[0]}");
            }
        }

        if (events is null || events.Count == 0 || events.Count > options.Value.MaxEventsPerBatch)
        {
            return Problems.Invalid([$"events: between 1 and {options.Value.MaxEventsPerBatch} per request, not {events?.Count ?? 0}"]);
        }

        var problems = new List<string>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e is null)
            {
                problems.Add($"events[{i}]: null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(e.UserId) || e.UserId.Length > 256)
            {
                problems.Add($"events[{i}].user_id: required, at most 256 characters");
            }

            if (!Types.Contains(e.Type))
            {
                problems.Add($"events[{i}].type: '{Truncate(e.Type)}' is not one of {string.Join(", ", Types.Order(StringComparer.Ordinal))}");
            }

            if (e.EventId is { Length: 0 or > 128 } || e.ItemId is { Length: > 256 } || e.OrderId is { Length: > 128 } || e.DecisionId is { Length: > 64 } || e.OfferId is { Length: > 128 })
            {
                problems.Add($"events[{i}]: event_id 1-128, item_id ≤ 256, order_id ≤ 128, decision_id ≤ 64, offer_id ≤ 128 characters");
            }

            if (e.Quantity is < -100_000 or > 100_000 || e.Price is < 0 or > 10_000_000)
            {
                problems.Add($"events[{i}]: quantity in [-100000, 100000], price in [0, 10000000]");
            }
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems.Take(50).ToList());
        }

        var now = runtime.Clock.GetUtcNow();
        var batchKey = Idempotency.Key(http);
        var prefix = batchKey is not null ? $"{http.User.Identity!.Name}:{batchKey}:" : $"{Guid.CreateVersion7(now):N}:";
        var served = events.Select((e, i) => new ServedEvent(
            e.EventId ?? prefix + i,
            userIds.Internal(e.UserId),
            e.Type,
            e.Timestamp ?? now,
            now,
            e.ItemId,
            e.Quantity,
            e.Price,
            e.OrderId,
            e.DecisionId,
            e.OfferId)).ToList();
        var result = await runtime.Store.AppendEventsAsync(served, cancellationToken);
        if (result.Duplicates == 0)
        {
            foreach (var user in served.GroupBy(e => e.UserId, StringComparer.Ordinal))
            {
                var deltas = user.GroupBy(e => Feature(e.Type)).Where(g => g.Key is not null).Select(g => KeyValuePair.Create(g.Key!, (double)g.Count())).ToList();
                if (deltas.Count > 0)
                {
                    await runtime.State.AddFeaturesAsync(user.Key, deltas, cancellationToken);
                }
            }
        }

        metrics.EventsAccepted(result.Stored, result.Duplicates);
        return TypedResults.Ok(new EventsAccepted(events.Count, result.Stored, result.Duplicates));
    }

    private static string? Feature(string type) => type switch
    {
        "view" => "views",
        "add_to_cart" => "cart_adds",
        "purchase" => "purchases",
        _ => null,
    };

    private static string Truncate(string? text) => text is null ? "null" : text.Length > 40 ? text[..40] + "…" : text;
}
