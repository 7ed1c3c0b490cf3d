namespace PromoPilot.Server;

/// <summary>
/// How <c>promopilot serve</c> runs. Read from appsettings.json (section "PromoPilot"), environment variables
/// (PROMOPILOT__URLS, ...) and flags, in that order, later ones winning.
/// </summary>
public sealed class ServerOptions
{
    /// <summary>Where to listen. Default http://127.0.0.1:5080.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The embedded store (profiles, and campaigns/events when no PostgreSQL is given). Default promopilot.duckdb.</summary>
    public string Db { get; set; } = "promopilot.duckdb";

    /// <summary>Redis "host:port" for shared online state; null = in process.</summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every Redis key, so deployments can share one Redis. Default "promopilot".</summary>
    public string RedisPrefix { get; set; } = "promopilot";

    /// <summary>PostgreSQL connection string for campaigns, experiments, keys, audit and events; null = the embedded store.</summary>
    public string? Postgres { get; set; }

    /// <summary>An admin key to accept (stored hashed on start); null = only keys already stored.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Requests per second each key may make (token bucket, burst of one second). Default 100,000.</summary>
    public int RateLimitPerSecond { get; set; } = 100_000;

    /// <summary>Largest request body in bytes. Default 1 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>Most events in one batch. Default 5,000.</summary>
    public int MaxEventsPerBatch { get; set; } = 5_000;

    /// <summary>A linear uplift model (JSON, <c>promopilot decide fit-effect</c>) that scores offers; null = none.</summary>
    public string? EffectModel { get; set; }

    /// <summary>How long a decision can be redeemed. Default 7 days.</summary>
    public TimeSpan DecisionTimeToLive { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often campaigns, experiments and spend are re-read (changes made by other servers). Default 2 s.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Write structured (JSON) logs; else plain console lines.</summary>
    public bool JsonLogs { get; set; } = true;
}
