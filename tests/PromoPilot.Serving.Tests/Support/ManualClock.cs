namespace PromoPilot.Serving.Tests.Support;

/// <summary>A clock that moves only when told to (a fake TimeProvider for expiry tests).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan span) => Interlocked.Add(ref _ticks, span.Ticks);
}
