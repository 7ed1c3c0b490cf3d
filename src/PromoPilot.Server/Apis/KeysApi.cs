using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PromoPilot.Core.Serving;
using PromoPilot.Server.Http;
using PromoPilot.Server.Security;

namespace PromoPilot.Server.Apis;

/// <summary>The body of a key creation.</summary>
public sealed record NewKeyRequest(string Name, string Role);

/// <summary>A key as listed (never its secret).</summary>
public sealed record KeyView(string Id, string Name, string Role, DateTimeOffset CreatedAt, bool Revoked);

/// <summary>A key just created: its secret, shown this once.</summary>
public sealed record NewKeyResponse(string Id, string Name, string Role, string Key);

/// <summary>/v1/keys (admin) and /v1/audit (admin, analyst).</summary>
public static class KeysApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v1/keys").RequireAuthorization(Policies.Manage).WithTags("Keys");
        keys.MapGet("/", List).WithName("ListKeys");
        keys.MapPost("/", Create).WithName("CreateKey").WithSummary("Creates a key; its secret is in this answer only.");
        keys.MapDelete("/{id}", Revoke).WithName("RevokeKey");
        app.MapGet("/v1/audit", Audit).RequireAuthorization(Policies.Read).WithTags("Audit").WithName("Audit");
    }

    private static async Task<IResult> List(ServingRuntime runtime, CancellationToken cancellationToken) =>
        TypedResults.Ok(new { keys = (await runtime.Store.LoadApiKeysAsync(cancellationToken)).Select(k => new KeyView(k.Id, k.Name, k.Role, k.CreatedAt, k.Revoked)).ToList() });

    private static async Task<IResult> Create(HttpContext http, ServingRuntime runtime, CancellationToken cancellationToken)
    {
        var (request, error) = await Problems.ReadAsync<NewKeyRequest>(http.Request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(request!.Name) || request.Name.Length > 64)
        {
            problems.Add("name: required, at most 64 characters");
        }

        if (!Roles.All.Contains(request.Role))
        {
            problems.Add($"role: must be one of {string.Join(", ", Roles.All)}");
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems);
        }

        var secret = ApiKeyRing.NewSecret();
        var key = new StoredApiKey(ApiKeyRing.NewId(), request.Name, request.Role, ApiKeyRing.Hash(secret), runtime.Clock.GetUtcNow(), false);
        var (actor, role) = Actors.Of(http.User);
        await runtime.Store.SaveApiKeyAsync(key, new AuditEntry(key.CreatedAt, actor, role, "create", "api_key", key.Id, $"{{\"role\":\"{key.Role}\"}}"), cancellationToken);
        await runtime.RefreshAsync(cancellationToken);
        return TypedResults.Created($"/v1/keys/{key.Id}", new NewKeyResponse(key.Id, key.Name, key.Role, secret));
    }

    private static async Task<IResult> Revoke(string id, HttpContext http, ServingRuntime runtime, CancellationToken cancellationToken)
    {
        var key = (await runtime.Store.LoadApiKeysAsync(cancellationToken)).FirstOrDefault(k => k.Id == id);
        if (key is null)
        {
            return Problems.Result(StatusCodes.Status404NotFound, "Unknown key", $"no key '{CampaignsApi.Show(id)}'");
        }

        var (actor, role) = Actors.Of(http.User);
        await runtime.Store.SaveApiKeyAsync(key with { Revoked = true }, new AuditEntry(runtime.Clock.GetUtcNow(), actor, role, "revoke", "api_key", id, null), cancellationToken);
        await runtime.RefreshAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Audit(ServingRuntime runtime, int? limit, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? 100, 1, 1000);
        return TypedResults.Ok(new { entries = await runtime.Store.LoadAuditAsync(take, cancellationToken) });
    }
}
