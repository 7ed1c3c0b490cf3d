using PromoPilot.Core.Serving;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Serving.Tests.Support;
using PromoPilot.Storage.Serving;
using StackExchange.Redis;

namespace PromoPilot.Serving.Tests.OnlineState;

/// <summary>
/// The contract on Redis: real expiry (a short window, waited for), and a second state on its own connection sharing
/// the prefix, standing for a second server.
/// </summary>
[NeedsServer(TestServers.RedisVariable)]
public sealed class RedisOnlineStateContractTests : OnlineStateContract
{
    private readonly string _prefix = TestRedis.NewPrefix();
    private ConnectionMultiplexer? _second;
    private RedisOnlineState? _secondState;

    protected override TimeSpan Window => TimeSpan.FromSeconds(3);

    protected override IOnlineState SecondServer => _secondState!;

    public override async Task InitializeAsync()
    {
        State = new RedisOnlineState(TestRedis.Connection, _prefix);
        _second = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis!);
        _secondState = new RedisOnlineState(_second, _prefix);
    }

    public override async Task DisposeAsync()
    {
        await TestRedis.DeleteAsync(_prefix);
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }
    }

    protected override Task PassAsync(TimeSpan span) => Task.Delay(span);
}
