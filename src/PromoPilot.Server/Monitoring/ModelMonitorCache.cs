using System.Text.Json;
using Prometheus;
using PromoPilot.Server.Dashboard;

namespace PromoPilot.Server.Monitoring;

/// <summary>
/// The server's latest monitoring pass over its store, recomputed when older than <see cref="MaxAge"/> (a pass reads
/// every customer's attributes, so it is not run per scrape or per page view). Feeds the Models page and /metrics:
/// a Prometheus before-collect callback refreshes the gauges from the cached report.
/// </summary>
internal sealed class ModelMonitorCache(DashboardStore store, TimeProvider clock)
{
    /// <summary>How long a monitoring pass is reused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private (MonitorReport? Report, string? Problem, DateTimeOffset At)? _last;

    /// <summary>The cached pass, or a new one when there is none or it is older than <see cref="MaxAge"/>.</summary>
    public (MonitorReport? Report, string? Problem) Current()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_last is not { } last || now - last.At > MaxAge)
            {
                try
                {
                    var (report, problem) = store.Read(s => ModelMonitor.Run(s, now));
                    _last = (report, problem, now);
                }
                catch (Exception e) when (e is JsonException or InvalidDataException or ArgumentException or KeyNotFoundException)
                {
                    // A damaged reference row must not take /metrics or the page down: say so and retry after MaxAge.
                    _last = (null, $"monitoring failed: {e.Message}", now);
                }
            }

            return (_last.Value.Report, _last.Value.Problem);
        }
    }

    /// <summary>Refreshes the monitoring gauges before each scrape of <paramref name="registry"/>.</summary>
    public void AttachMetrics(CollectorRegistry registry, ServerMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(metrics);
        registry.AddBeforeCollectCallback(() =>
        {
            if (Current().Report is { } report)
            {
                metrics.Monitored(report);
            }
        });
    }
}
