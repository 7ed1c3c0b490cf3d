namespace PromoPilot.Storage.Queries;

/// <summary>Behaviour reports as released (after suppression and noise), kept so a readout can be traced later.</summary>
public static class BehaviourReports
{
    public static int Save(DuckDbStore store, DateTime asOf, DateTimeOffset createdAt, string reportJson)
    {
        store.Execute("CREATE TABLE IF NOT EXISTS behaviour_reports (report_id INTEGER PRIMARY KEY, as_of TIMESTAMP, created_at TIMESTAMPTZ, report JSON)");
        var id = store.Scalar<int>("SELECT coalesce(max(report_id), 0) + 1 FROM behaviour_reports");
        store.Execute("INSERT INTO behaviour_reports VALUES ($id, $as_of, $created, $report)", ("id", id), ("as_of", asOf), ("created", createdAt.UtcDateTime), ("report", reportJson));
        return id;
    }
}
