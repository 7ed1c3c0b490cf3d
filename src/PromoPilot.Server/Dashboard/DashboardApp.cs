using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PromoPilot.Server.Security;
using PromoPilot.Storage.Serving;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Dashboard;

/// <summary>
/// The web dashboard under /dashboard (docs/dashboard.md): server-rendered HTML with SVG charts, no JavaScript and
/// nothing from a CDN. Signing in takes an API key and sets a cookie (a second authentication scheme beside the API
/// key one); analyst and admin keys may open the pages, decision keys are refused. The cookie names the key, so a
/// revoked key ends its sessions at the next request.
/// </summary>
public static class DashboardApp
{
    /// <summary>The cookie authentication scheme of the dashboard.</summary>
    public const string Scheme = "Dashboard";

    /// <summary>The authorization policy of every dashboard page: a dashboard cookie of an analyst or admin key.</summary>
    public const string Policy = "dashboard";

    /// <summary>The store the dashboard reads: the serving store's file when it is embedded, else --db when it exists.</summary>
    public static string? StorePath(ServerOptions options, ServingComponents components)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(components);
        return components.Store is DuckDbServingStore embedded ? embedded.Path : File.Exists(options.Db) ? Path.GetFullPath(options.Db) : null;
    }

    /// <summary>Registers the cookie scheme, the policy, antiforgery and the store reader.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, string? storePath)
    {
        services.AddSingleton(_ => new DashboardStore(storePath));
        services.AddSingleton<Monitoring.ModelMonitorCache>();
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "promopilot_af";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddAuthentication().AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "promopilot_dashboard";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/dashboard";
            cookie.LoginPath = "/dashboard/login";
            cookie.AccessDeniedPath = "/dashboard/login";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = context =>
            {
                var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyRing>();
                var id = context.Principal?.Identity?.Name;
                if (id is null || keys.FindById(id) is not { } key || key.Role == Roles.Decision)
                {
                    context.RejectPrincipal();
                }

                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Analyst, Roles.Admin));
        return services;
    }

    /// <summary>Maps the login, logout, the stylesheet and the pages.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/dashboard/assets/site.css", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(Css, "text/css");
        }).ExcludeFromDescription();
        app.MapGet("/dashboard/login", (HttpContext http, IAntiforgery antiforgery, string? returnUrl) => LoginPage(http, antiforgery, returnUrl, null, StatusCodes.Status200OK))
            .ExcludeFromDescription();
        app.MapPost("/dashboard/login", SignIn).ExcludeFromDescription().DisableAntiforgery();
        app.MapPost("/dashboard/logout", SignOut).ExcludeFromDescription().DisableAntiforgery().RequireAuthorization(Policy);
        var pages = app.MapGroup("/dashboard").RequireAuthorization(Policy).ExcludeFromDescription();
        pages.MapGet("/", DashboardPages.Overview);
        pages.MapGet("/customers", DashboardPages.Customers);
        pages.MapGet("/campaigns", DashboardPages.Campaigns);
        pages.MapGet("/inspector", DashboardPages.Inspector);
        pages.MapGet("/designer", DesignerPage.Show);
        pages.MapPost("/designer", DesignerPage.Submit).DisableAntiforgery(); // checked in the handler, as the login does
        pages.MapGet("/campaigns/{id}", ResultsPage.Show);
        pages.MapGet("/experiments", ExperimentsPage.Show);
        pages.MapGet("/models", ModelsPage.Render);
    }

    /// <summary>An HTML response (no caching: pages show live state and the signed-in user).</summary>
    internal static IResult Page(HttpContext http, string html, int status = StatusCodes.Status200OK)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'none'; frame-ancestors 'none'; form-action 'self'";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>The layout for a signed-in user, with a fresh token for the sign-out form.</summary>
    internal static string Layout(HttpContext http, string title, string path, string body)
    {
        var token = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken;
        var user = http.User;
        var who = $"{user.FindFirstValue("key_name")} ({user.FindFirstValue(ClaimTypes.Role)})";
        return Html.Page(title, path, body, who, token);
    }

    private static IResult LoginPage(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? error, int status)
    {
        var token = antiforgery.GetAndStoreTokens(http).RequestToken;
        var message = error is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"login-error\">{E(error)}</p>";
        var describedBy = error is null ? "key-help" : "key-help login-error";
        var body = $"""
            <p>Sign in with an API key of role <strong>analyst</strong> or <strong>admin</strong> (<code>promopilot serve</code> prints the first admin key; admins create more with <code>POST /v1/keys</code>).</p>
            {message}
            <form class="panel" method="post" action="/dashboard/login">
            <input type="hidden" name="__RequestVerificationToken" value="{E(token)}">
            <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
            <label for="key">API key</label>
            <input id="key" name="key" type="password" autocomplete="current-password" required maxlength="256" aria-describedby="{describedBy}" autofocus>
            <p id="key-help" class="note">The key is checked against the server's keys and kept only as a signed session cookie naming the key.</p>
            <button type="submit">Sign in</button>
            </form>
            """;
        return Page(http, Html.Page("Sign in", "/dashboard/login", body), status);
    }

    private static async Task<IResult> SignIn(HttpContext http, IAntiforgery antiforgery, ApiKeyRing keys)
    {
        if (!http.Request.HasFormContentType)
        {
            return LoginPage(http, antiforgery, null, "The sign-in form was not sent as a form.", StatusCodes.Status400BadRequest);
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return LoginPage(http, antiforgery, null, "The sign-in form could not be read.", StatusCodes.Status400BadRequest);
        }

        var returnUrl = form["returnUrl"].ToString();
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return LoginPage(http, antiforgery, returnUrl, "The form expired; please sign in again.", StatusCodes.Status400BadRequest);
        }

        var secret = form["key"].ToString().Trim();
        var key = secret.Length is > 0 and <= 256 ? keys.Find(secret) : null;
        if (key is null)
        {
            return LoginPage(http, antiforgery, returnUrl, "This API key is unknown or revoked.", StatusCodes.Status401Unauthorized);
        }

        if (key.Role is not (Roles.Analyst or Roles.Admin))
        {
            return LoginPage(http, antiforgery, returnUrl, $"A key of role '{key.Role}' may not open the dashboard: use an analyst or admin key.", StatusCodes.Status403Forbidden);
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, key.Id), new Claim(ClaimTypes.Role, key.Role), new Claim("key_name", key.Name)], Scheme);
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        return Results.Redirect(IsLocal(returnUrl) ? returnUrl : "/dashboard");
    }

    private static async Task<IResult> SignOut(HttpContext http, IAntiforgery antiforgery)
    {
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Redirect("/dashboard");
        }

        await http.SignOutAsync(Scheme);
        return Results.Redirect("/dashboard/login");
    }

    /// <summary>Only paths under /dashboard are followed after sign-in (no open redirect).</summary>
    private static bool IsLocal(string url) =>
        url.StartsWith("/dashboard", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal);
}
