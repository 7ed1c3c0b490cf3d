namespace PromoPilot.Storage.Queries;

/// <summary>One customer's segment in a segmentation run (with display coordinates for k-means runs).</summary>
public sealed record CustomerSegmentRow(int UserKey, int SegmentId, string SegmentName, double? X, double? Y);

/// <summary>Segmentation runs (k-means or rule) and their members: segment_runs and customer_segments.</summary>
public static class SegmentTables
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS segment_runs (
            run_id INTEGER PRIMARY KEY, created_at TIMESTAMPTZ, profile_version INTEGER, kind VARCHAR, definition VARCHAR, summary JSON);
        CREATE TABLE IF NOT EXISTS customer_segments (
            run_id INTEGER NOT NULL, user_key INTEGER NOT NULL, segment_id INTEGER NOT NULL, segment_name VARCHAR, x DOUBLE, y DOUBLE);
        """;

    /// <returns>The new run id.</returns>
    public static int Save(DuckDbStore store, DateTimeOffset createdAt, int profileVersion, string kind, string definition, string summaryJson, IReadOnlyList<CustomerSegmentRow> members)
    {
        store.Execute(Create);
        store.Execute("BEGIN TRANSACTION");
        try
        {
            var runId = store.Scalar<int>("SELECT coalesce(max(run_id), 0) + 1 FROM segment_runs");
            store.Execute(
                "INSERT INTO segment_runs VALUES ($id, $created, $version, $kind, $definition, $summary)",
                ("id", runId), ("created", createdAt.UtcDateTime), ("version", profileVersion), ("kind", kind), ("definition", definition), ("summary", summaryJson));
            using (var appender = store.Connection.CreateAppender("customer_segments"))
            {
                foreach (var m in members)
                {
                    appender.CreateRow().AppendValue(runId).AppendValue(m.UserKey).AppendValue(m.SegmentId).AppendValue(m.SegmentName).AppendValue(m.X).AppendValue(m.Y).EndRow();
                }
            }

            store.Execute("COMMIT");
            return runId;
        }
        catch
        {
            store.Execute("ROLLBACK");
            throw;
        }
    }
}
