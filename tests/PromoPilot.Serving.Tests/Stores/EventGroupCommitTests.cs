using PromoPilot.Core.Serving;
using PromoPilot.Storage.Serving;

namespace PromoPilot.Serving.Tests.Stores;

/// <summary>The group commit itself, over a fake writer: grouping, per-caller counts, acknowledgement after the write, isolation of a failing batch.</summary>
public sealed class EventGroupCommitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static ServedEvent Event(string id) => new(id, "u", "view", T0, T0);

    [Fact]
    public async Task AppendAsync_CallersQueuedDuringAWrite_ShareTheNextTransactionWithTheirOwnCounts()
    {
        var firstWriteStarted = new TaskCompletionSource();
        var releaseFirstWrite = new TaskCompletionSource();
        var groups = new List<string[]>();
        var stored = new HashSet<string>(StringComparer.Ordinal) { "old" };
        await using var commit = new EventGroupCommit(async events =>
        {
            groups.Add([.. events.Select(e => e.EventId)]);
            if (groups.Count == 1)
            {
                firstWriteStarted.SetResult();
                await releaseFirstWrite.Task;
            }

            return [.. events.Select(e => e.EventId).Where(stored.Add)];
        });

        var first = commit.AppendAsync([Event("a")], CancellationToken.None);
        await firstWriteStarted.Task;
        var second = commit.AppendAsync([Event("b"), Event("c"), Event("b")], CancellationToken.None);
        var third = commit.AppendAsync([Event("c"), Event("old"), Event("d")], CancellationToken.None);
        await Task.Delay(50);
        Assert.False(first.IsCompleted); // not acknowledged before its write returns
        Assert.False(second.IsCompleted);

        releaseFirstWrite.SetResult();
        Assert.Equal(new EventAppendResult(1, 0), await first);
        Assert.Equal(new EventAppendResult(2, 1), await second);
        Assert.Equal(new EventAppendResult(1, 2), await third);
        Assert.Equal([["a"], ["b", "c", "old", "d"]], groups);
        Assert.Equal(2, commit.Commits);
    }

    [Fact]
    public async Task AppendAsync_GroupWriteFails_EachBatchRetriedAloneSoOnlyTheBadOneFails()
    {
        var firstWriteStarted = new TaskCompletionSource();
        var releaseFirstWrite = new TaskCompletionSource();
        var calls = 0;
        await using var commit = new EventGroupCommit(async events =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                firstWriteStarted.SetResult();
                await releaseFirstWrite.Task;
            }

            if (events.Any(e => e.EventId == "poison"))
            {
                throw new InvalidOperationException("the store refused the poison event");
            }

            return [.. events.Select(e => e.EventId)];
        });

        var first = commit.AppendAsync([Event("a")], CancellationToken.None);
        await firstWriteStarted.Task;
        var good = commit.AppendAsync([Event("b")], CancellationToken.None);
        var bad = commit.AppendAsync([Event("poison"), Event("c")], CancellationToken.None);
        var alsoGood = commit.AppendAsync([Event("d")], CancellationToken.None);
        releaseFirstWrite.SetResult();

        Assert.Equal(new EventAppendResult(1, 0), await first);
        Assert.Equal(new EventAppendResult(1, 0), await good);
        await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal(new EventAppendResult(1, 0), await alsoGood);
        Assert.Equal(1 + 1 + 3, calls); // first, the failed group, then its three batches alone
    }

    [Fact]
    public async Task DisposeAsync_PendingBatches_WrittenBeforeItReturns()
    {
        var written = 0;
        var commit = new EventGroupCommit(async events =>
        {
            await Task.Delay(20);
            Interlocked.Add(ref written, events.Count);
            return [.. events.Select(e => e.EventId)];
        });
        var appends = Enumerable.Range(0, 10).Select(i => commit.AppendAsync([Event($"e{i}")], CancellationToken.None)).ToList();
        await commit.DisposeAsync();

        Assert.Equal(10, written);
        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully));
        Assert.Throws<ObjectDisposedException>(() => { _ = commit.AppendAsync([Event("late")], CancellationToken.None); });
    }
}
