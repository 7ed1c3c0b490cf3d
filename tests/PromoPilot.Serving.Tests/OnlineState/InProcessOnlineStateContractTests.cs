using PromoPilot.Decisioning.State;
using PromoPilot.Serving.Tests.Support;

namespace PromoPilot.Serving.Tests.OnlineState;

/// <summary>The contract on the in-process state (the reference), with a fake clock for expiry.</summary>
public sealed class InProcessOnlineStateContractTests : OnlineStateContract
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    protected override TimeSpan Window => TimeSpan.FromHours(1);

    public override Task InitializeAsync()
    {
        State = new InProcessOnlineState(_clock);
        return Task.CompletedTask;
    }

    public override Task DisposeAsync() => Task.CompletedTask;

    protected override Task PassAsync(TimeSpan span)
    {
        _clock.Advance(span);
        return Task.CompletedTask;
    }
}
