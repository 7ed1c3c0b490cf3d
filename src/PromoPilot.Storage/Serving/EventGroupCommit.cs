using System.Threading.Channels;
using PromoPilot.Core.Serving;

namespace PromoPilot.Storage.Serving;

/// <summary>
/// Group commit of accepted events: every <see cref="IServingStore.AppendEventsAsync"/> call queues its batch, and one
/// writer takes everything pending, writes it in ONE transaction, commits, and only then completes each caller's task
/// with its own counts. Concurrent callers share one commit (one fsync) instead of each paying their own.
/// </summary>
/// <remarks>
/// An event id is stored once: the first caller (in queue order) whose batch holds a new id is credited with it; every
/// other copy, in the same group or already in the store, is a duplicate. When a group's transaction fails, each
/// caller's batch is retried alone, so one bad batch fails only its own caller.
/// </remarks>
internal sealed class EventGroupCommit : IAsyncDisposable
{
    /// <summary>Writes unique events in one transaction and returns the ids that were new (inserted).</summary>
    public delegate Task<HashSet<string>> WriteGroup(IReadOnlyList<ServedEvent> events);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly WriteGroup _write;
    private readonly int _maxGroupEvents;
    private readonly Task _writer;
    private long _commits;

    public EventGroupCommit(WriteGroup write, int maxGroupEvents = 20_000)
    {
        _write = write;
        _maxGroupEvents = maxGroupEvents;
        _writer = Task.Run(RunAsync);
    }

    /// <summary>Transactions committed so far (fewer than the batches when callers shared commits).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Queues a batch; the task completes after the transaction holding it has committed.</summary>
    public Task<EventAppendResult> AppendAsync(IReadOnlyList<ServedEvent> events, CancellationToken cancellationToken)
    {
        Validate(events);
        cancellationToken.ThrowIfCancellationRequested();
        if (events.Count == 0)
        {
            return Task.FromResult(new EventAppendResult(0, 0));
        }

        var pending = new Pending(events, new TaskCompletionSource<EventAppendResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(EventGroupCommit), "the store is closed");
        }

        // Not cancellable once queued: the caller learns the outcome of a write that may already be committing.
        return pending.Done.Task;
    }

    /// <summary>Stops accepting, writes everything queued, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private static void Validate(IReadOnlyList<ServedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new ArgumentException($"events[{i}] is null", nameof(events));
            if (string.IsNullOrEmpty(e.EventId))
            {
                throw new ArgumentException($"events[{i}]: event id is missing", nameof(events));
            }

            if (e.UserId is null || e.Type is null)
            {
                throw new ArgumentException($"events[{i}] ({e.EventId}): user id and type are required", nameof(events));
            }

            foreach (var text in (string?[])[e.EventId, e.UserId, e.Type, e.ItemId, e.OrderId, e.DecisionId, e.OfferId])
            {
                if (!ServingJson.IsStorable(text))
                {
                    throw new ArgumentException($"events[{i}]: a text holds a NUL character or a lone surrogate", nameof(events));
                }
            }

            if (e.Price is { } price && Math.Abs(price) >= 100_000_000_000_000m)
            {
                throw new ArgumentException($"events[{i}] ({e.EventId}): price {price} is out of range (|price| < 1e14)", nameof(events));
            }
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var group = new List<Pending>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var count = 0;
            while (count < _maxGroupEvents && reader.TryRead(out var pending))
            {
                group.Add(pending);
                count += pending.Events.Count;
            }

            try
            {
                await CommitAsync(group).ConfigureAwait(false);
            }
            catch (Exception) when (group.Count > 1)
            {
                // One batch may hold what the store refuses: retry each alone so only that caller fails.
                foreach (var pending in group)
                {
                    try
                    {
                        await CommitAsync([pending]).ConfigureAwait(false);
                    }
                    catch (Exception single)
                    {
                        pending.Done.TrySetException(single);
                    }
                }
            }
            catch (Exception e)
            {
                group[0].Done.TrySetException(e);
            }
        }
    }

    private async Task CommitAsync(IReadOnlyList<Pending> group)
    {
        var unique = new List<ServedEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pending in group)
        {
            foreach (var e in pending.Events)
            {
                if (seen.Add(e.EventId))
                {
                    unique.Add(e);
                }
            }
        }

        var inserted = await _write(unique).ConfigureAwait(false);
        Interlocked.Increment(ref _commits);
        foreach (var pending in group)
        {
            var stored = 0;
            foreach (var e in pending.Events)
            {
                if (inserted.Remove(e.EventId))
                {
                    stored++;
                }
            }

            pending.Done.TrySetResult(new EventAppendResult(stored, pending.Events.Count - stored));
        }
    }

    private sealed record Pending(IReadOnlyList<ServedEvent> Events, TaskCompletionSource<EventAppendResult> Done);
}
