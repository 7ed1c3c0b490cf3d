using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using DuckDB.NET.Data;
using PromoPilot.Core.Domain;

namespace PromoPilot.Storage;

/// <summary>
/// Appends fact rows on a thread of its own, in batches, so reading and validating the next rows
/// overlaps with DuckDB's append. The importing thread must not use the connection until <see cref="Complete"/>.
/// </summary>
internal sealed class BackgroundAppender
{
    private const int BatchSize = 16_384;
    private readonly BlockingCollection<Action> _work = new(boundedCapacity: 8);
    private readonly Thread _thread;
    private readonly DuckDBConnection _connection;
    private readonly int _importId;
    private readonly Dictionary<string, DuckDBAppender> _appenders = new(StringComparer.Ordinal);
    private Exception? _failure;

    public BackgroundAppender(DuckDBConnection connection, int importId)
    {
        _connection = connection;
        _importId = importId;
        Events = new Batch<EventRecord>(this, AppendEvents);
        Sales = new Batch<StoreWeekSaleRecord>(this, AppendSales);
        Exposures = new Batch<ExposureRecord>(this, AppendExposures);
        Responses = new Batch<ResponseRecord>(this, AppendResponses);
        Quarantine = new Batch<QuarantinedRow>(this, AppendQuarantine);
        _thread = new Thread(Run) { IsBackground = true, Name = "duckdb-appender" };
        _thread.Start();
    }

    public Batch<EventRecord> Events { get; }

    public Batch<StoreWeekSaleRecord> Sales { get; }

    public Batch<ExposureRecord> Exposures { get; }

    public Batch<ResponseRecord> Responses { get; }

    public Batch<QuarantinedRow> Quarantine { get; }

    /// <summary>Flushes what is buffered, waits for the thread, closes the appenders; rethrows an append failure.</summary>
    public void Complete()
    {
        if (_thread.IsAlive)
        {
            Events.Flush();
            Sales.Flush();
            Exposures.Flush();
            Responses.Flush();
            Quarantine.Flush();
            _work.Add(() =>
            {
                foreach (var appender in _appenders.Values)
                {
                    appender.Dispose();
                }
            });
            _work.CompleteAdding();
            _thread.Join();
        }

        if (_failure is not null)
        {
            throw new IOException($"Appending to the store failed: {_failure.Message}", _failure);
        }
    }

    private void Enqueue(Action work)
    {
        if (_failure is not null)
        {
            throw new IOException($"Appending to the store failed: {_failure.Message}", _failure);
        }

        _work.Add(work);
    }

    private void Run()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            if (_failure is not null)
            {
                continue;
            }

            try
            {
                work();
            }
            catch (Exception e)
            {
                _failure = e;
            }
        }
    }

    private DuckDBAppender Appender(string table)
    {
        if (!_appenders.TryGetValue(table, out var appender))
        {
            appender = _connection.CreateAppender(table);
            _appenders.Add(table, appender);
        }

        return appender;
    }

    private void AppendEvents(ReadOnlySpan<EventRecord> rows)
    {
        var appender = Appender("events");
        foreach (ref readonly var row in rows)
        {
            appender.CreateRow()
                .AppendValue((sbyte)row.Type)
                .AppendValue(row.UserKey)
                .AppendValue(row.ItemKey)
                .AppendValue(row.Timestamp)
                .AppendValue(row.Quantity)
                .AppendValue(row.UnitPrice)
                .AppendValue(row.Discount)
                .AppendValue(row.Value)
                .AppendValue(row.OrderKey)
                .AppendValue(row.CampaignKey)
                .AppendValue(row.OfferKey)
                .AppendValue(row.StoreKey)
                .AppendValue((sbyte)row.Channel)
                .AppendValue(_importId)
                .AppendValue(row.SourceLine)
                .EndRow();
        }
    }

    private void AppendSales(ReadOnlySpan<StoreWeekSaleRecord> rows)
    {
        var appender = Appender("store_week_sales");
        foreach (ref readonly var row in rows)
        {
            appender.CreateRow()
                .AppendValue(row.StoreKey)
                .AppendValue(row.ItemKey)
                .AppendValue(row.Week)
                .AppendValue(row.Units)
                .AppendValue(row.UnitPrice)
                .AppendValue(row.Deal)
                .AppendValue(row.Feature)
                .AppendValue(row.AttributesJson)
                .AppendValue(_importId)
                .AppendValue(row.SourceLine)
                .EndRow();
        }
    }

    private void AppendExposures(ReadOnlySpan<ExposureRecord> rows)
    {
        var appender = Appender("exposures");
        foreach (ref readonly var row in rows)
        {
            appender.CreateRow()
                .AppendValue(row.CampaignKey)
                .AppendValue(row.UserKey)
                .AppendValue(row.Arm)
                .AppendValue(row.IsControl)
                .AppendValue(row.ExposedAt)
                .AppendValue(row.Visited)
                .AppendValue(row.Converted)
                .AppendValue(row.Revenue)
                .AppendValue(row.OutcomesJson)
                .AppendValue(_importId)
                .AppendValue(row.SourceLine)
                .EndRow();
        }
    }

    private void AppendResponses(ReadOnlySpan<ResponseRecord> rows)
    {
        var appender = Appender("responses");
        foreach (ref readonly var row in rows)
        {
            appender.CreateRow()
                .AppendValue(row.CampaignKey)
                .AppendValue(row.UserKey)
                .AppendValue(row.OfferType)
                .AppendValue(row.Accepted)
                .AppendValue(row.ContextJson)
                .AppendValue(_importId)
                .AppendValue(row.SourceLine)
                .EndRow();
        }
    }

    private void AppendQuarantine(ReadOnlySpan<QuarantinedRow> rows)
    {
        var appender = Appender("quarantine");
        foreach (var row in rows)
        {
            appender.CreateRow()
                .AppendValue(_importId)
                .AppendValue(row.File)
                .AppendValue(row.Line)
                .AppendValue(row.Column)
                .AppendValue(row.Reason)
                .AppendValue(row.Raw)
                .EndRow();
        }
    }

    internal delegate void AppendRows<T>(ReadOnlySpan<T> rows);

    /// <summary>Rows of one table collected on the importing thread and handed over when full.</summary>
    /// <remarks>Batch arrays are large-object-heap sized, so they are pooled: fresh ones per batch cost full GCs.</remarks>
    internal sealed class Batch<T>(BackgroundAppender owner, AppendRows<T> append)
    {
        private T[] _rows = ArrayPool<T>.Shared.Rent(BatchSize);
        private int _count;

        public void Add(in T row)
        {
            _rows[_count++] = row;
            if (_count == BatchSize)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_count == 0)
            {
                return;
            }

            var rows = _rows;
            var count = _count;
            owner.Enqueue(() =>
            {
                append(rows.AsSpan(0, count));
                ArrayPool<T>.Shared.Return(rows, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
            });
            _rows = ArrayPool<T>.Shared.Rent(BatchSize);
            _count = 0;
        }
    }
}
