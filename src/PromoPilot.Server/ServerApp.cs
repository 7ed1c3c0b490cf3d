using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using PromoPilot.Core.Rules;
using PromoPilot.Core.Serving;
using PromoPilot.Decisioning;
using PromoPilot.Decisioning.Scoring;
using PromoPilot.Ingestion;
using PromoPilot.Server.Apis;
using PromoPilot.Server.Dashboard;
using PromoPilot.Server.Http;
using PromoPilot.Server.Security;
using Scalar.AspNetCore;

namespace PromoPilot.Server;

/// <summary>What a server is built from: chosen by the host (the CLI's serve command, or a test).</summary>
/// <param name="Store">The durable store (embedded or PostgreSQL); the app disposes it on shutdown.</param>
/// <param name="State">The online state (in process or Redis).</param>
/// <param name="Users">Shoppers' snapshots.</param>
/// <param name="Schema">What campaign audience rules may use.</param>
/// <param name="Model">The effect model scoring offers; null = none.</param>
/// <param name="Pseudonymizer">Makes a pseudonymizer (one per thread) that turns storefront ids into the store's pseudonyms; null = ids as sent.</param>
public sealed record ServingComponents(
    IServingStore Store,
    IOnlineState State,
    IUserDirectory Users,
    RuleSchema Schema,
    LinearUpliftModel? Model = null,
    Func<Pseudonymizer>? Pseudonymizer = null,
    DecisionOptions? Decisions = null,
    TimeProvider? Clock = null);

/// <summary>Builds the decision service: minimal APIs under /v1, OpenAPI, /health, /metrics, API keys with roles.</summary>
public static class ServerApp
{
    /// <summary>Builds the app; <see cref="WebApplication.RunAsync(string?)"/> serves it. Seeds the admin key when given.</summary>
    public static async Task<WebApplication> BuildAsync(ServerOptions options, ServingComponents components, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(components);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Logging.ClearProviders();
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole(json => json.TimestampFormat = "O");
        }
        else
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        var clock = components.Clock ?? TimeProvider.System;
        var registry = Metrics.NewCustomRegistry();
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<ApiKeyRing>();
        builder.Services.AddSingleton(new UserIds(components.Pseudonymizer));
        builder.Services.AddSingleton(provider => new ServingRuntime(
            components.Store, components.State, components.Users, components.Schema, components.Model, components.Decisions ?? new DecisionOptions(),
            provider.GetRequiredService<ApiKeyRing>(), clock, provider.GetRequiredService<ILogger<ServingRuntime>>())
        {
            DecisionTtl = options.DecisionTimeToLive,
        });
        builder.Services.AddHostedService<RefreshLoop>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            // The API writes what it reads: snake_case, enums as snake_case strings, no nulls.
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Decide, policy => policy.RequireRole(Roles.Decision, Roles.Admin))
            .AddPolicy(Policies.Read, policy => policy.RequireRole(Roles.Analyst, Roles.Admin))
            .AddPolicy(Policies.Manage, policy => policy.RequireRole(Roles.Admin));
        builder.Services.AddDashboard(DashboardApp.StorePath(options, components));
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetTokenBucketLimiter(http.User.Identity?.Name ?? "anonymous", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RateLimitPerSecond,
                    TokensPerPeriod = options.RateLimitPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = (context, token) => new ValueTask(Problems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"the key's limit of {options.RateLimitPerSecond} requests per second is reached; retry after a second"));
        });

        var app = builder.Build();
        app.Services.GetRequiredService<Monitoring.ModelMonitorCache>().AttachMetrics(registry, app.Services.GetRequiredService<ServerMetrics>());
        app.UseExceptionHandler(error => error.Run(async http =>
        {
            var exception = http.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, title) = exception switch
            {
                BadHttpRequestException bad => (bad.StatusCode, "Bad request"),
                OperationCanceledException => (499, "Client closed request"),
                _ => (StatusCodes.Status500InternalServerError, "Internal error"),
            };
            if (status == StatusCodes.Status500InternalServerError)
            {
                http.RequestServices.GetRequiredService<ILogger<ServingRuntime>>().LogError(exception, "unhandled error on {Path}", http.Request.Path);
            }

            await Problems.Write(http, status, title, status == 500 ? "an unexpected error; it was logged" : exception?.Message ?? title);
        }));
        app.UseStatusCodePages();
        var requestMetrics = new RequestMetrics(registry);
        app.Use(requestMetrics.InvokeAsync);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapGet("/health", (ServingRuntime runtime) => TypedResults.Ok(new
        {
            status = "ok",
            catalog_version = runtime.Engine.Catalog.Version,
            live_campaigns = runtime.Engine.Catalog.Count,
            model = runtime.Engine.Model is null ? "none" : "linear_uplift",
        })).WithTags("Operations");
        app.MapMetrics("/metrics", registry);
        app.MapGet("/v1/ping", () => TypedResults.Ok(new { pong = true })).RequireAuthorization(Policies.Decide).WithTags("Operations")
            .WithSummary("A trivial authorized JSON endpoint: the ceiling the load benchmark compares decisions with.");
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", scalar => scalar.WithTitle("PromoPilot decision API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        DecisionsApi.Map(app);
        EventsApi.Map(app);
        CampaignsApi.Map(app);
        ExperimentsApi.Map(app);
        KeysApi.Map(app);
        DashboardApp.Map(app);

        var runtime = app.Services.GetRequiredService<ServingRuntime>();
        if (options.AdminKey is { Length: > 0 } adminKey)
        {
            await SeedAdminKeyAsync(runtime, adminKey, clock, cancellationToken).ConfigureAwait(false);
        }

        runtime.Tokens = await DecisionTokens.OpenAsync(components.State, cancellationToken).ConfigureAwait(false);
        await runtime.RefreshAsync(cancellationToken).ConfigureAwait(false);
        app.Lifetime.ApplicationStopped.Register(runtime.Tokens.Dispose);
        app.Lifetime.ApplicationStopped.Register(() => components.Store.DisposeAsync().AsTask().GetAwaiter().GetResult());
        return app;
    }

    private static async Task SeedAdminKeyAsync(ServingRuntime runtime, string secret, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (secret.Length < 16)
        {
            throw new ArgumentException("the admin key must be at least 16 characters", nameof(secret));
        }

        var hash = ApiKeyRing.Hash(secret);
        var keys = await runtime.Store.LoadApiKeysAsync(cancellationToken).ConfigureAwait(false);
        if (keys.Any(k => k.SecretHash == hash && !k.Revoked))
        {
            return;
        }

        var key = new StoredApiKey("admin-" + hash[..8], "bootstrap admin", Roles.Admin, hash, clock.GetUtcNow(), false);
        await runtime.Store.SaveApiKeyAsync(key, new AuditEntry(key.CreatedAt, "serve --admin-key", Roles.Admin, "create", "api_key", key.Id, null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Re-reads campaigns, experiments, keys and spend every <see cref="ServerOptions.RefreshInterval"/>.</summary>
    private sealed class RefreshLoop(ServingRuntime runtime, ServerMetrics metrics, IOptions<ServerOptions> options, ILogger<RefreshLoop> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(options.Value.RefreshInterval);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await runtime.RefreshAsync(stoppingToken).ConfigureAwait(false);
                    foreach (var campaign in runtime.Campaigns)
                    {
                        if (runtime.Spend.TryGetValue(campaign.Definition.Id, out var spend))
                        {
                            metrics.Burn(campaign.Definition.Id, campaign.Definition.Budget, spend);
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "refresh failed; serving the last catalog");
                }
            }
        }
    }
}
