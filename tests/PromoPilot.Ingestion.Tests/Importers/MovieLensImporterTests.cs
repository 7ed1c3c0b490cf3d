using PromoPilot.Core.Storage;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests.Importers;

// The GroupLens licence forbids redistribution: these tests read ../shared/data only, and no slice is bundled.
// Expected values were computed independently with python3 (csv / split, u.item decoded as latin-1).
public class MovieLensImporterTests(MovieLensImporterTests.FullImport full) : IClassFixture<MovieLensImporterTests.FullImport>
{
    [DatasetFact("movielens_100k")]
    public void Import_FullDataset_AccountsForEveryRowAsTheDatasetReadmeDocuments()
    {
        var (store, summary) = (full.Store, full.Summary);

        // 943 users + 1,682 items + 100,000 ratings.
        Assert.Equal(102_625, summary.RowsRead);
        Assert.Equal(summary.RowsRead, summary.RowsAccepted + summary.RowsQuarantined);
        Assert.Equal(0, summary.RowsQuarantined);
        Assert.Equal(943, summary.Tables["users"]);
        Assert.Equal(1_682, summary.Tables["items"]);
        Assert.Equal(100_000, summary.Tables["events"]);
        Assert.Equal(100_000, store.Count("SELECT count(*) FROM events WHERE event_type = 9"));
        Assert.Equal(943, store.Count("SELECT count(DISTINCT user_key) FROM events"));
        Assert.Equal(1_682, store.Count("SELECT count(DISTINCT item_key) FROM events"));
        Assert.Equal(100_000, store.Count("SELECT count(DISTINCT (user_key, item_key)) FROM events"));
    }

    [DatasetFact("movielens_100k")]
    public void Import_FullDataset_KeepsScoresAndUnixTimesExactly()
    {
        var store = full.Store;

        Assert.Equal(352_986, store.Count("SELECT sum(value)::BIGINT FROM events"));
        Assert.Equal(6_110, store.Count("SELECT count(*) FROM events WHERE value = 1"));
        Assert.Equal(34_174, store.Count("SELECT count(*) FROM events WHERE value = 4"));
        Assert.Equal(21_201, store.Count("SELECT count(*) FROM events WHERE value = 5"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM events WHERE order_key IS NOT NULL OR unit_price IS NOT NULL OR ts IS NULL"));
        // Unix seconds as UTC wall-clock time: the sum of the seconds survives the round trip.
        Assert.Equal(88_352_885_148_862, store.Count("SELECT sum(epoch(ts))::BIGINT FROM events"));
        Assert.Equal(new DateTime(1997, 9, 20, 3, 5, 10), (DateTime)store.Query("SELECT min(ts) AS t FROM events")[0]["t"]!);
        Assert.Equal(new DateTime(1998, 4, 22, 23, 10, 38), (DateTime)store.Query("SELECT max(ts) AS t FROM events")[0]["t"]!);
        // Star Wars (1977), movie 50: 583 ratings summing to 2,541.
        Assert.Equal(583, store.Count("SELECT count(*) FROM events e JOIN items i USING (item_key) WHERE i.item_id = '50'"));
        Assert.Equal(2_541, store.Count("SELECT sum(e.value)::BIGINT FROM events e JOIN items i USING (item_key) WHERE i.item_id = '50'"));
    }

    [DatasetFact("movielens_100k")]
    public void Import_FullDataset_DecodesLatin1TitlesAndKeepsGenres()
    {
        var store = full.Store;

        Assert.Equal("Á köldum klaka (Cold Fever) (1994)", Title(store, "1633"));
        Assert.Equal("Metisse (Café au Lait) (1993)", Title(store, "1322"));
        Assert.Equal("Misérables, Les (1995)", Title(store, "543"));
        Assert.Equal("Toy Story (1995)", Title(store, "1"));
        // 9 titles have non-ASCII characters, none a replacement character.
        Assert.Equal(9, store.Count("SELECT count(*) FROM items WHERE regexp_matches(title, '[^\\x00-\\x7F]')"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM items WHERE title LIKE '%\uFFFD%'"));

        Assert.Equal(
            """{"release_date":"1995-01-01","imdb_url":"http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)","genres":["Animation","Children's","Comedy"]}""",
            store.Query("SELECT attributes::VARCHAR AS a FROM items WHERE item_id = '1'")[0]["a"]);
        Assert.Equal("""{"release_date":"1971-02-04","imdb_url":"http://us.imdb.com/M/title-exact?Good%20Morning%20(1971)","genres":["unknown"]}""",
            store.Query("SELECT attributes::VARCHAR AS a FROM items WHERE item_id = '1373'")[0]["a"]);
        Assert.Equal("""{"genres":["unknown"]}""", store.Query("SELECT attributes::VARCHAR AS a FROM items WHERE item_id = '267'")[0]["a"]);
        Assert.Equal(725, store.Count("""SELECT count(*) FROM items WHERE attributes::VARCHAR LIKE '%"Drama"%'"""));
        Assert.Equal(122, store.Count("""SELECT count(*) FROM items WHERE attributes::VARCHAR LIKE '%"Children''s"%'"""));
        Assert.Equal(1_681, store.Count("SELECT count(*) FROM items WHERE attributes::VARCHAR LIKE '%release_date%'"));
    }

    [DatasetFact("movielens_100k")]
    public void Import_FullDataset_StoresPseudonymsWithDemographicsNeverRawIds()
    {
        var store = full.Store;

        Assert.Equal(0, store.Count("SELECT count(*) FROM users WHERE NOT starts_with(user_id, 'u_') OR regexp_matches(user_id, '^[0-9]+$')"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM users WHERE user_id IN ('1', '196', '943')"));
        var user1 = store.Pseudonymizer.Pseudonymize("1");
        Assert.Equal(
            """{"age":24,"gender":"M","occupation":"technician","zip":"85711"}""",
            store.Query($"SELECT attributes::VARCHAR AS a FROM users WHERE user_id = '{user1}'")[0]["a"]);
        Assert.Equal(272, store.Count($"SELECT count(*) FROM events e JOIN users u USING (user_key) WHERE u.user_id = '{user1}'"));
        // Canadian postcodes stay text.
        var user74 = store.Pseudonymizer.Pseudonymize("74");
        Assert.Equal(
            """{"age":39,"gender":"M","occupation":"scientist","zip":"T8H1N"}""",
            store.Query($"SELECT attributes::VARCHAR AS a FROM users WHERE user_id = '{user74}'")[0]["a"]);
        Assert.Equal(273, store.Count("""SELECT count(*) FROM users WHERE attributes::VARCHAR LIKE '%"gender":"F"%'"""));
    }

    /// <summary>The full dataset imported once for the class, on first use (so skipped tests import nothing).</summary>
    public sealed class FullImport : IDisposable
    {
        private readonly Lazy<(TestStore Store, ImportSummary Summary)> _import = new(() =>
        {
            var store = new TestStore();
            return (store, store.Import(new MovieLensImporter(), SharedData.Path("movielens_100k")));
        });

        public TestStore Store => _import.Value.Store;

        public ImportSummary Summary => _import.Value.Summary;

        public void Dispose()
        {
            if (_import.IsValueCreated)
            {
                _import.Value.Store.Dispose();
            }
        }
    }

    private static string? Title(TestStore store, string itemId) =>
        (string?)store.Query($"SELECT title FROM items WHERE item_id = '{itemId}'")[0]["title"];
}
