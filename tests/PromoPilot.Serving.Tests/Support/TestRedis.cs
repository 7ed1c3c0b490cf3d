using PromoPilot.Ingestion.Tests.Support;
using StackExchange.Redis;

namespace PromoPilot.Serving.Tests.Support;

/// <summary>One shared connection to the test Redis, and a fresh key prefix per test so tests never see each other.</summary>
public static class TestRedis
{
    private static readonly Lazy<ConnectionMultiplexer> Shared = new(() => Connect());

    public static ConnectionMultiplexer Connection => Shared.Value;

    public static ConnectionMultiplexer Connect(bool admin = false)
    {
        var endpoint = TestServers.Redis ?? throw new InvalidOperationException($"{TestServers.RedisVariable} is not set");
        return ConnectionMultiplexer.Connect($"{endpoint},allowAdmin={(admin ? "true" : "false")}");
    }

    public static string NewPrefix() => $"pp-test-{Guid.NewGuid():N}";

    /// <summary>Every key under <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<RedisKey>> KeysAsync(string prefix)
    {
        var keys = new List<RedisKey>();
        foreach (var server in Connection.GetServers())
        {
            await foreach (var key in server.KeysAsync(pattern: prefix + ":*", pageSize: 1000))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    public static async Task DeleteAsync(string prefix)
    {
        var keys = await KeysAsync(prefix);
        if (keys.Count > 0)
        {
            await Connection.GetDatabase().KeyDeleteAsync([.. keys]);
        }
    }
}
