namespace PromoPilot.Storage.Queries;

/// <summary>What one run of the rule miner was asked and found.</summary>
public sealed record RuleRun(
    DateTimeOffset AsOf,
    string? Dataset,
    double MinSupport,
    double MinConfidence,
    double MinLift,
    int? MaxLength,
    long Baskets,
    long Items,
    long FrequentItemsets,
    double Seconds);

/// <summary>A rule as stored: readable item ids and their keys, and its measures (conviction null when infinite).</summary>
public sealed record StoredRule(
    IReadOnlyList<string> Antecedent,
    IReadOnlyList<string> Consequent,
    IReadOnlyList<int> AntecedentKeys,
    IReadOnlyList<int> ConsequentKeys,
    long BasketCount,
    double Support,
    double Confidence,
    double Lift,
    double Leverage,
    double? Conviction);

/// <summary>
/// Mined rules in the store: association_rule_runs holds one row per run (run_id, as_of, the thresholds, what was
/// mined), association_rules every rule of every run with its run_id and as_of, ranked within the run as given
/// (by lift, as the miner orders them). Item ids are the dataset's item_id text; conviction is null when infinite.
/// </summary>
public static class AssociationRulesTable
{
    public const string Table = "association_rules";

    public const string RunsTable = "association_rule_runs";

    private const string Create = """
        CREATE TABLE IF NOT EXISTS association_rule_runs (
            run_id INTEGER PRIMARY KEY, as_of TIMESTAMPTZ NOT NULL, dataset VARCHAR,
            min_support DOUBLE NOT NULL, min_confidence DOUBLE NOT NULL, min_lift DOUBLE NOT NULL, max_length INTEGER,
            baskets BIGINT NOT NULL, items BIGINT NOT NULL, frequent_itemsets BIGINT NOT NULL, rules BIGINT NOT NULL, seconds DOUBLE);
        CREATE TABLE IF NOT EXISTS association_rules (
            run_id INTEGER NOT NULL, as_of TIMESTAMPTZ NOT NULL, rank INTEGER NOT NULL,
            antecedent VARCHAR[] NOT NULL, consequent VARCHAR[] NOT NULL, antecedent_keys INTEGER[] NOT NULL, consequent_keys INTEGER[] NOT NULL,
            basket_count BIGINT NOT NULL, support DOUBLE NOT NULL, confidence DOUBLE NOT NULL, lift DOUBLE NOT NULL,
            leverage DOUBLE NOT NULL, conviction DOUBLE);
        """;

    /// <summary>Records a run and appends its rules in one transaction; returns its run id (one more than the largest so far).</summary>
    public static int Save(DuckDbStore store, RuleRun run, IReadOnlyList<StoredRule> rules)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(rules);
        store.Execute(Create);
        using var transaction = store.Connection.BeginTransaction();
        var runId = store.Scalar<int>($"SELECT coalesce(max(run_id), 0) + 1 FROM {RunsTable}");
        store.Execute(
            $"INSERT INTO {RunsTable} VALUES ($run, $as_of, $dataset, $support, $confidence, $lift, $max_length, $baskets, $items, $itemsets, $rules, $seconds)",
            ("run", runId), ("as_of", run.AsOf), ("dataset", run.Dataset), ("support", run.MinSupport), ("confidence", run.MinConfidence),
            ("lift", run.MinLift), ("max_length", run.MaxLength), ("baskets", run.Baskets), ("items", run.Items),
            ("itemsets", run.FrequentItemsets), ("rules", (long)rules.Count), ("seconds", run.Seconds));
        using (var appender = store.Connection.CreateAppender(Table))
        {
            for (var rank = 0; rank < rules.Count; rank++)
            {
                var r = rules[rank];
                appender.CreateRow()
                    .AppendValue(runId).AppendValue(run.AsOf).AppendValue(rank + 1).AppendValue(r.Antecedent).AppendValue(r.Consequent)
                    .AppendValue(r.AntecedentKeys).AppendValue(r.ConsequentKeys).AppendValue(r.BasketCount)
                    .AppendValue(r.Support).AppendValue(r.Confidence).AppendValue(r.Lift).AppendValue(r.Leverage).AppendValue(r.Conviction)
                    .EndRow();
            }
        }

        transaction.Commit();
        return runId;
    }
}
