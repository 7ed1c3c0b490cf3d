using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PromoPilot.Core.Serving;
using PromoPilot.Decisioning;
using PromoPilot.Decisioning.Scoring;
using PromoPilot.Decisioning.State;
using PromoPilot.Server;
using PromoPilot.Server.Security;
using PromoPilot.Models.Recommendation;
using PromoPilot.Storage.Queries;
using PromoPilot.Storage.Serving;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot serve: the decision service (docs/decision-service.md).</summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://127.0.0.1:5080)." };
        var db = new Option<string?>("--db") { Description = "The embedded store: profiles, and campaigns/events without --postgres (default promopilot.duckdb)." };
        var redis = new Option<string?>("--redis") { Description = "Redis host:port for shared online state (budgets, caps, idempotency keys); default in process." };
        var redisPrefix = new Option<string?>("--redis-prefix") { Description = "Prefix of every Redis key (default promopilot)." };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string for campaigns, experiments, keys, audit and events." };
        var adminKey = new Option<string?>("--admin-key") { Description = "An admin API key to accept (also PROMOPILOT_ADMIN_KEY); one is generated and printed when no key exists." };
        var model = new Option<string?>("--effect-model") { Description = "The effect model that scores offers (promopilot decide fit-effect)." };
        var rateLimit = new Option<int?>("--rate-limit") { Description = "Requests per second per key (default 100000)." };
        var command = new Command("serve", "Runs the decision service: /v1 API, OpenAPI at /openapi/v1.json (UI at /docs), /health, /metrics.")
        {
            urls, db, redis, redisPrefix, postgres, adminKey, model, rateLimit,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var options = Options(parse.GetValue(urls), parse.GetValue(db), parse.GetValue(redis), parse.GetValue(redisPrefix), parse.GetValue(postgres), parse.GetValue(adminKey), parse.GetValue(model), parse.GetValue(rateLimit));
                await RunAsync(console, options, cancellationToken);
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException)
            {
                console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>appsettings.json (section PromoPilot) &lt; environment (PROMOPILOT__URLS, ...) &lt; flags.</summary>
    private static ServerOptions Options(string? urls, string? db, string? redis, string? redisPrefix, string? postgres, string? adminKey, string? model, int? rateLimit)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath("appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = new ServerOptions();
        configuration.GetSection("PromoPilot").Bind(options);
        options.Urls = urls ?? options.Urls;
        options.Db = db ?? options.Db;
        options.Redis = redis ?? options.Redis;
        options.RedisPrefix = redisPrefix ?? options.RedisPrefix;
        options.Postgres = postgres ?? options.Postgres;
        options.AdminKey = adminKey ?? Environment.GetEnvironmentVariable("PROMOPILOT_ADMIN_KEY") ?? options.AdminKey;
        options.EffectModel = model ?? options.EffectModel;
        options.RateLimitPerSecond = rateLimit ?? options.RateLimitPerSecond;
        if (options.RateLimitPerSecond < 1)
        {
            throw new ArgumentException($"--rate-limit must be at least 1, not {options.RateLimitPerSecond}");
        }

        return options;
    }

    private static async Task RunAsync(CliConsole console, ServerOptions options, CancellationToken cancellationToken)
    {
        var (loaded, attributes) = DecideCommand.LoadUsers(options.Db);
        IUserDirectory users = loaded;
        var recommendations = LoadRecommendations(options.Db);
        if (recommendations is not null)
        {
            users = new RecommendingUserDirectory(loaded, userId => [.. recommendations.Recommend(userId, 10).Items.Select(i => new Decisioning.ScoredItem(i.ItemId, i.Score))]);
        }

        Func<Ingestion.Pseudonymizer>? pseudonymizer = File.Exists(options.Db) ? () => CommonOptions.Pseudonymizer(options.Db) : null;
        LinearUpliftModel? effect = null;
        if (options.EffectModel is { } modelPath)
        {
            await using var file = File.OpenRead(modelPath);
            effect = LinearUpliftModel.Load(file);
        }

        IOnlineState state = options.Redis is { } endpoint
            ? await RedisOnlineState.ConnectAsync(endpoint, options.RedisPrefix)
            : new InProcessOnlineState(TimeProvider.System);
        IServingStore store = options.Postgres is { } connection
            ? await PostgresServingStore.OpenAsync(connection, cancellationToken)
            : DuckDbServingStore.Open(options.Db);
        if (options.AdminKey is null && (await store.LoadApiKeysAsync(cancellationToken)).Count == 0)
        {
            options.AdminKey = ApiKeyRing.NewSecret();
            console.Error.WriteLine($"no API key exists: created an admin key (shown once): {options.AdminKey}");
        }

        var components = new ServingComponents(store, state, users, DecisionRuleContext.Schema(attributes), effect, pseudonymizer);
        var app = await ServerApp.BuildAsync(options, components, cancellationToken);
        console.Error.WriteLine($"serving {loaded.Count} shoppers on {options.Urls} (state: {(options.Redis is null ? "in process" : "redis " + options.Redis)}, store: {(options.Postgres is null ? options.Db : "postgresql")}, model: {(effect is null ? "none" : options.EffectModel)}, recommendations: {(recommendations is null ? "none" : "latest recs model")})");
        await app.RunAsync();
        if (state is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>The latest stored recommendation model (promopilot recs train), or null when there is none.</summary>
    private static RecommendationModel? LoadRecommendations(string dbPath)
    {
        if (!File.Exists(dbPath))
        {
            return null;
        }

        using var store = CommonOptions.OpenStore(dbPath);
        if (RecommendationModelsTable.Find(store) is not { } row)
        {
            return null;
        }

        using var file = File.OpenRead(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dbPath))!, row.Path));
        return RecommendationModel.Load(file);
    }
}
