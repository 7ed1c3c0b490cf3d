using DuckDB.NET.Data;
using PromoPilot.Core.Customers;

namespace PromoPilot.Storage.Queries;

/// <summary>One customer's CLV predictions, as stored in customer_clv.</summary>
/// <param name="UserKey">The customer.</param>
/// <param name="Summary">The history the predictions are conditioned on (weeks).</param>
/// <param name="ProbabilityAlive">P(alive).</param>
/// <param name="ExpectedPurchases">Expected purchases over the horizon.</param>
/// <param name="ExpectedSpend">Expected value per purchase; null without a spend model.</param>
/// <param name="Clv">Discounted expected value over the horizon; null without a spend model.</param>
public sealed record CustomerClvRow(
    int UserKey,
    RepeatPurchaseSummary Summary,
    double ProbabilityAlive,
    double ExpectedPurchases,
    double? ExpectedSpend,
    double? Clv);

/// <summary>The customer_clv table: the latest CLV predictions per dataset and customer.</summary>
public static class CustomerClvTable
{
    public const string Name = "customer_clv";

    private const string Create = """
        CREATE TABLE IF NOT EXISTS customer_clv (
            dataset VARCHAR NOT NULL, user_key INTEGER NOT NULL, as_of DATE NOT NULL, horizon_weeks DOUBLE NOT NULL,
            frequency INTEGER NOT NULL, recency_weeks DOUBLE NOT NULL, age_weeks DOUBLE NOT NULL, mean_spend DOUBLE,
            p_alive DOUBLE NOT NULL, expected_purchases DOUBLE NOT NULL, expected_spend DOUBLE, clv DOUBLE);
        """;

    /// <summary>Replaces the rows of <paramref name="dataset"/> with <paramref name="rows"/>, in one transaction.</summary>
    public static void Replace(DuckDbStore store, string dataset, DateTime asOf, double horizonWeeks, IReadOnlyList<CustomerClvRow> rows)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(rows);
        store.Execute(Create);
        store.Execute("BEGIN TRANSACTION");
        try
        {
            store.Execute("DELETE FROM customer_clv WHERE dataset = $dataset", ("dataset", dataset));
            var day = DateOnly.FromDateTime(asOf);
            using (var appender = store.Connection.CreateAppender(Name))
            {
                foreach (var r in rows)
                {
                    appender.CreateRow()
                        .AppendValue(dataset)
                        .AppendValue(r.UserKey)
                        .AppendValue(day)
                        .AppendValue(horizonWeeks)
                        .AppendValue(r.Summary.Frequency)
                        .AppendValue(r.Summary.Recency)
                        .AppendValue(r.Summary.Age)
                        .AppendValue(r.Summary.Frequency > 0 ? r.Summary.MeanSpend : (double?)null)
                        .AppendValue(r.ProbabilityAlive)
                        .AppendValue(r.ExpectedPurchases)
                        .AppendValue(r.ExpectedSpend)
                        .AppendValue(r.Clv)
                        .EndRow();
                }
            }

            store.Execute("COMMIT");
        }
        catch (Exception e) when (e is DuckDBException or InvalidOperationException or ArgumentException)
        {
            store.Execute("ROLLBACK");
            throw;
        }
    }

    /// <summary>CLV and P(alive) by customer, over every dataset; empty when no CLV was computed.</summary>
    public static IReadOnlyDictionary<int, (double? Clv, double ProbabilityAlive)> LoadValues(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Execute(Create);
        return store.Query("SELECT user_key, clv, p_alive FROM customer_clv")
            .ToDictionary(r => (int)r["user_key"]!, r => ((double?)r["clv"], (double)r["p_alive"]!));
    }
}
