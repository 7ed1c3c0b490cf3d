using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PromoPilot.Core.Serving;
using StackExchange.Redis;

namespace PromoPilot.Storage.Serving;

/// <summary>
/// The online state shared by several servers through one Redis (<c>promopilot serve --redis host:port</c>). Every
/// operation is one Lua script run with EVALSHA (or one plain command), so each is atomic in Redis and every limit
/// holds exactly however many servers and threads claim at once. Semantics are those of the in-process state
/// (PromoPilot.Decisioning.State.InProcessOnlineState); the contract tests run the same suite on both.
/// </summary>
/// <remarks>
/// <para>Keys start with a configurable prefix, so tests and several deployments can share one Redis. The counters of
/// one campaign carry the hash tag <c>{campaign}</c>, so a Redis Cluster keeps them on one slot and the redemption
/// script (which touches the campaign, user, offer and answer keys at once) stays legal there.</para>
/// <para>Layout: <c>P:{C}:c</c> campaign hash (spent, n); <c>P:{C}:u:U</c> the user's counters in the campaign
/// (n, o:OFFER); <c>P:{C}:o:O</c> offer hash (spent, n); <c>P:{C}:r:KEY</c> the answer of a granted redemption;
/// <c>P:i:C:U</c> impression counter; <c>P:v:KEY</c> stored values; <c>P:f:U</c> online feature deltas.</para>
/// <para>Money is whole cents in integer counters (HINCRBY), so sums are exact. Lua compares them as doubles, exact
/// below 2^53 cents.</para>
/// </remarks>
public sealed class RedisOnlineState : IOnlineState, IAsyncDisposable, IDisposable
{
    /// <summary>The key prefix when none is given.</summary>
    public const string DefaultKeyPrefix = "promopilot";

    /// <summary>How long the answer of a granted redemption is remembered for replays, by default.</summary>
    public static readonly TimeSpan DefaultAnswerTimeToLive = TimeSpan.FromDays(30);

    private static readonly Script Impression = new("""
        -- KEYS[1] the user's impression counter for the campaign; ARGV[1] cap; ARGV[2] window in ms
        local n = tonumber(redis.call('GET', KEYS[1]) or '0')
        if n >= tonumber(ARGV[1]) then return 0 end
        if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 1
        """);

    private static readonly Script Redeem = new("""
        -- KEYS[1] campaign hash (spent, n); KEYS[2] the user's counters in the campaign (n, o:OFFER);
        -- KEYS[3] offer hash (spent, n); KEYS[4] the answer of this idempotency key.
        -- ARGV[1] amount in cents; ARGV[2..7] campaign budget, max redemptions, per user, offer budget, offer stock,
        -- offer per user ('' = no limit); ARGV[8] the offer's field in the user hash; ARGV[9] answer ttl in ms.
        -- Returns {replayed (0/1), 'status:amount'}; only a granted answer is remembered.
        local answer = redis.call('GET', KEYS[4])
        if answer then return {1, answer} end
        local function num(v) if v then return tonumber(v) end return 0 end
        local function limit(i) if ARGV[i] == '' then return nil end return tonumber(ARGV[i]) end
        local amount = tonumber(ARGV[1])
        local c = redis.call('HMGET', KEYS[1], 'spent', 'n')
        local u = redis.call('HMGET', KEYS[2], 'n', ARGV[8])
        local o = redis.call('HMGET', KEYS[3], 'spent', 'n')
        local budget, max, perUser = limit(2), limit(3), limit(4)
        local offerBudget, stock, offerPerUser = limit(5), limit(6), limit(7)
        local status = 0
        if budget and num(c[1]) + amount > budget then status = 1
        elseif max and num(c[2]) >= max then status = 2
        elseif perUser and num(u[1]) >= perUser then status = 3
        elseif offerBudget and num(o[1]) + amount > offerBudget then status = 4
        elseif stock and num(o[2]) >= stock then status = 5
        elseif offerPerUser and num(u[2]) >= offerPerUser then status = 6
        end
        if status ~= 0 then return {0, status .. ':0'} end
        redis.call('HINCRBY', KEYS[1], 'spent', ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'n', 1)
        redis.call('HINCRBY', KEYS[2], 'n', 1)
        redis.call('HINCRBY', KEYS[2], ARGV[8], 1)
        redis.call('HINCRBY', KEYS[3], 'spent', ARGV[1])
        redis.call('HINCRBY', KEYS[3], 'n', 1)
        answer = '0:' .. ARGV[1]
        redis.call('SET', KEYS[4], answer, 'PX', ARGV[9])
        return {0, answer}
        """);

    private static readonly Script GetOrAdd = new("""
        -- KEYS[1] the value's key; ARGV[1] value; ARGV[2] ttl in ms. Returns the value stored afterwards.
        local current = redis.call('GET', KEYS[1])
        if current then return current end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return ARGV[1]
        """);

    private static readonly Script AddFeatures = new("""
        -- KEYS[1] the user's feature hash; ARGV name, delta, name, delta...
        for i = 1, #ARGV, 2 do redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i], ARGV[i + 1]) end
        return #ARGV / 2
        """);

    private static readonly RedisValue[] SpendFields = ["spent", "n"];

    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly IDatabase _db;
    private readonly string _prefix;
    private readonly string _answerTtlMs;

    /// <summary>Uses an open connection (not disposed with this state).</summary>
    /// <param name="connection">An open multiplexer.</param>
    /// <param name="keyPrefix">Start of every key (no braces): separates deployments and tests sharing one Redis.</param>
    /// <param name="answerTimeToLive">How long granted redemptions are remembered for replays; default 30 days.</param>
    /// <exception cref="ArgumentException"><paramref name="keyPrefix"/> is empty or holds a brace, or the time to live is not positive.</exception>
    public RedisOnlineState(IConnectionMultiplexer connection, string keyPrefix = DefaultKeyPrefix, TimeSpan? answerTimeToLive = null)
        : this(connection, keyPrefix, answerTimeToLive, ownsConnection: false)
    {
    }

    private RedisOnlineState(IConnectionMultiplexer connection, string keyPrefix, TimeSpan? answerTimeToLive, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (string.IsNullOrEmpty(keyPrefix) || keyPrefix.Contains('{', StringComparison.Ordinal) || keyPrefix.Contains('}', StringComparison.Ordinal))
        {
            throw new ArgumentException($"key prefix '{keyPrefix}' must be non-empty and hold no brace (braces are the campaigns' hash tags)", nameof(keyPrefix));
        }

        var ttl = answerTimeToLive ?? DefaultAnswerTimeToLive;
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"answer time to live must be positive, not {ttl}", nameof(answerTimeToLive));
        }

        _connection = connection;
        _ownsConnection = ownsConnection;
        _db = connection.GetDatabase();
        _prefix = keyPrefix;
        _answerTtlMs = Milliseconds(ttl);
    }

    /// <summary>The prefix of every key this state writes.</summary>
    public string KeyPrefix => _prefix;

    /// <summary>
    /// Connects to Redis at <paramref name="endpoint"/> ("host:port", or any StackExchange.Redis configuration string)
    /// and returns a state that owns (and disposes) the connection.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is empty, or the prefix is invalid.</exception>
    /// <exception cref="IOException">Redis cannot be reached.</exception>
    public static async Task<RedisOnlineState> ConnectAsync(string endpoint, string keyPrefix = DefaultKeyPrefix, TimeSpan? answerTimeToLive = null)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            throw new ArgumentException("a Redis endpoint such as 127.0.0.1:6379 is needed", nameof(endpoint));
        }

        var options = ConfigurationOptions.Parse(endpoint);
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 2;
        ConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        }
        catch (RedisConnectionException e)
        {
            throw new IOException($"cannot connect to Redis at {endpoint}: {e.Message}", e);
        }

        try
        {
            return new RedisOnlineState(connection, keyPrefix, answerTimeToLive, ownsConnection: true);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<bool> TryClaimImpressionAsync(ImpressionClaim claim, CancellationToken cancellationToken = default)
    {
        if (claim.CapCount is not { } cap)
        {
            return true;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var key = $"{_prefix}:i:{Escape(claim.CampaignId)}:{claim.UserId}";
        var result = await RunAsync(Impression, [key], [cap, Milliseconds(claim.CapWindow)]).ConfigureAwait(false);
        return (long)result == 1;
    }

    public async ValueTask<RedemptionOutcome> RedeemAsync(RedemptionClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentOutOfRangeException.ThrowIfNegative(claim.AmountCents, nameof(claim));
        cancellationToken.ThrowIfCancellationRequested();
        var campaign = CampaignTag(claim.CampaignId);
        RedisKey[] keys =
        [
            $"{campaign}:c",
            $"{campaign}:u:{claim.UserId}",
            $"{campaign}:o:{claim.OfferId}",
            $"{campaign}:r:{claim.IdempotencyKey}",
        ];
        RedisValue[] args =
        [
            claim.AmountCents,
            Limit(claim.CampaignBudgetCents),
            Limit(claim.CampaignMaxRedemptions),
            Limit(claim.PerUserRedemptions),
            Limit(claim.OfferBudgetCents),
            Limit(claim.OfferStock),
            Limit(claim.OfferPerUserLimit),
            $"o:{claim.OfferId}",
            _answerTtlMs,
        ];
        var result = await RunAsync(Redeem, keys, args).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        var replayed = (long)parts[0] == 1;
        var answer = (string)parts[1]!;
        var colon = answer.IndexOf(':', StringComparison.Ordinal);
        var status = int.Parse(answer.AsSpan(0, colon), CultureInfo.InvariantCulture);
        var amount = long.Parse(answer.AsSpan(colon + 1), CultureInfo.InvariantCulture);
        if (!Enum.IsDefined((RedemptionStatus)status))
        {
            throw new InvalidOperationException($"Redis answered an unknown redemption status {status}");
        }

        return new RedemptionOutcome((RedemptionStatus)status, amount, replayed);
    }

    public async ValueTask<CampaignSpend> GetSpendAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var values = await _db.HashGetAsync($"{CampaignTag(campaignId)}:c", SpendFields).ConfigureAwait(false);
        return new CampaignSpend(values[0].IsNull ? 0 : (long)values[0], values[1].IsNull ? 0 : (long)values[1]);
    }

    public async ValueTask<string> GetOrAddAsync(string key, string value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        var result = await RunAsync(GetOrAdd, [ValueKey(key)], [value, Milliseconds(timeToLive)]).ConfigureAwait(false);
        return (string)result!;
    }

    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        return await _db.StringGetAsync(ValueKey(key)).ConfigureAwait(false);
    }

    /// <exception cref="ArgumentException">A delta is not a finite number.</exception>
    public async ValueTask AddFeaturesAsync(string userId, IReadOnlyList<KeyValuePair<string, double>> deltas, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        if (deltas.Count == 0)
        {
            return;
        }

        var args = new RedisValue[deltas.Count * 2];
        for (var i = 0; i < deltas.Count; i++)
        {
            var (name, delta) = deltas[i];
            if (!double.IsFinite(delta))
            {
                throw new ArgumentException($"feature '{name}': delta {delta} is not a finite number", nameof(deltas));
            }

            args[2 * i] = name;
            args[(2 * i) + 1] = delta.ToString("R", CultureInfo.InvariantCulture);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await RunAsync(AddFeatures, [FeatureKey(userId)], args).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyDictionary<string, double>> GetFeaturesAsync(string userId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entries = await _db.HashGetAllAsync(FeatureKey(userId)).ConfigureAwait(false);
        var features = new Dictionary<string, double>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            features[(string)entry.Name!] = double.Parse((string)entry.Value!, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return features;
    }

    public void Dispose()
    {
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs a script by its SHA-1 (EVALSHA); after a restart or SCRIPT FLUSH, sends it once more in full (EVAL).</summary>
    private async Task<RedisResult> RunAsync(Script script, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await _db.ScriptEvaluateAsync(script.Sha1, keys, args).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await _db.ScriptEvaluateAsync(script.Source, keys, args).ConfigureAwait(false);
        }
    }

    private string CampaignTag(string campaignId) => $"{_prefix}:{{{Escape(campaignId)}}}";

    private string ValueKey(string key) => $"{_prefix}:v:{key}";

    private string FeatureKey(string userId) => $"{_prefix}:f:{userId}";

    private static RedisValue Limit(long? limit) => limit is { } value ? value : RedisValue.EmptyString;

    /// <summary>Whole milliseconds, at least 1 (Redis refuses a zero expiry).</summary>
    private static string Milliseconds(TimeSpan span) =>
        Math.Max(1L, (long)Math.Ceiling(span.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Makes a campaign id safe inside a hash tag and between separators: '%', ':', '{' and '}' become %XX, so two
    /// different ids never share a key and the tag always ends where it should.
    /// </summary>
    private static string Escape(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.AsSpan().IndexOfAny("%:{}") < 0)
        {
            return id;
        }

        var builder = new StringBuilder(id.Length + 8);
        foreach (var c in id)
        {
            _ = c switch
            {
                '%' => builder.Append("%25"),
                ':' => builder.Append("%3A"),
                '{' => builder.Append("%7B"),
                '}' => builder.Append("%7D"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    /// <summary>A Lua script and its SHA-1, the name Redis's script cache knows it by.</summary>
    private sealed class Script(string source)
    {
        public string Source { get; } = source;

#pragma warning disable CA5350 // SHA-1 is not used for security here: it is how Redis names cached scripts (EVALSHA).
        public byte[] Sha1 { get; } = SHA1.HashData(Encoding.UTF8.GetBytes(source));
#pragma warning restore CA5350
    }
}
