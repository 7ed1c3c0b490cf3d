using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PromoPilot.Core.Serving;
using PromoPilot.Server.Http;

namespace PromoPilot.Server.Security;

/// <summary>
/// Authenticates a request by its API key, from <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>. The
/// principal's name is the key id, its role claim the key's role. Refusals are problem details: 401 without a valid
/// key, 403 for a key whose role may not call the endpoint.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    // One principal per key, made on its first request (nothing in the pipeline changes a principal once made); a key
    // reloaded from the store is a new object, so its ticket is made afresh.
    private static readonly ConditionalWeakTable<StoredApiKey, AuthenticateResult> Tickets = new();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = Presented(Request);
        if (secret is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = keys.Find(secret);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown or revoked API key"));
        }

        return Task.FromResult(Tickets.GetValue(key, static key => AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Id), new Claim(ClaimTypes.Role, key.Role), new Claim("key_name", key.Name)], SchemeName)), SchemeName))));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Presented(Request) is not null;
        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            presented ? "The API key is unknown or revoked." : "An API key is required: send 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Forbidden",
            $"The key's role '{Context.User.FindFirstValue(ClaimTypes.Role)}' may not call {Request.Method} {Request.Path}.");

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var value = authorization[7..].Trim();
            return value.Length is > 0 and <= 256 ? value : null;
        }

        var header = request.Headers["X-Api-Key"].ToString().Trim();
        return header.Length is > 0 and <= 256 ? header : null;
    }
}
