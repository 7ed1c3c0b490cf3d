using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromoPilot.Core.Domain;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Importers;

/// <summary>
/// MovieLens 100K (GroupLens, Harper &amp; Konstan 2015): 100,000 explicit 1–5 star ratings of 1,682 movies by
/// 943 users, with user demographics. The input is the dataset's folder (u.user, u.item, u.data, plain or .gz).
/// </summary>
/// <remarks>
/// <para>u.user (pipe-separated, no header) gives the users; their ids are pseudonymized like any customer id,
/// and age, gender, occupation and zip code (kept as text: 18 are Canadian postcodes) become attributes.</para>
/// <para>u.item (pipe-separated, no header, ISO-8859-1, so "Café" decodes) gives the items: the title as given
/// (with its year), and as attributes the release date (ISO), the IMDb URL and the genres as a JSON array of
/// the 19 MovieLens genre names. Genres are a set (1 to 6 per movie), not a hierarchy, so no category path is
/// invented from them. video_release_date is always empty and is not kept. Movie 267 is a placeholder whose
/// title is literally "unknown"; it is kept as given. 18 titles occur under two movie ids; both ids are kept.</para>
/// <para>u.data (tab-separated: user, item, rating, Unix seconds) gives one <see cref="EventType.Rating"/> event
/// per line, <see cref="EventRecord.Value"/> holding the score 1–5 and the timestamp the UTC wall-clock time of
/// the Unix seconds. Ratings are not purchases: no order, no price.</para>
/// </remarks>
public sealed class MovieLensImporter : IDatasetImporter
{
    /// <summary>The genre flag columns of u.item, in file order (u.genre).</summary>
    public static readonly IReadOnlyList<string> Genres =
    [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    private static readonly string[] ReleaseDateFormats = ["dd-MMM-yyyy", "d-MMM-yyyy"];

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly DateTime Earliest = new(1990, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    private static readonly DateTime Latest = new(2100, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public string Kind => "movielens";

    public string Dataset => "movielens_100k";

    public IReadOnlyList<string> InputFiles(string input) =>
        [InputFolder.Require(input, "u.user"), InputFolder.Require(input, "u.item"), InputFolder.Require(input, "u.data")];

    public void Import(ImportContext context)
    {
        var files = InputFiles(context.Input);
        ImportUsers(context, files[0]);
        ImportItems(context, files[1]);
        ImportRatings(context, files[2]);
    }

    /// <summary>The UTC wall-clock time of Unix seconds, without zone like every stored timestamp.</summary>
    public static DateTime FromUnixSeconds(long seconds) =>
        new(DateTime.UnixEpoch.Ticks + (seconds * TimeSpan.TicksPerSecond), DateTimeKind.Unspecified);

    private static void ImportUsers(ImportContext context, string path)
    {
        var writer = context.Writer;
        using var reader = CsvReader.Open(path, new CsvOptions
        {
            Delimiter = (byte)'|',
            HasHeader = false,
            ColumnNames = ["user_id", "age", "gender", "occupation", "zip_code"],
        });
        var f = new FieldReader(reader);
        int user = f.Column("user_id"), age = f.Column("age"), gender = f.Column("gender"),
            occupation = f.Column("occupation"), zip = f.Column("zip_code");

        context.ReadAll(reader, row =>
        {
            var userId = row.Text(user, required: true);
            var years = row.Int32(age, 1, 120);
            var sex = row.Text(gender, required: true);
            var job = row.Text(occupation);
            var zipCode = row.Text(zip);
            if (row.Failed)
            {
                return false;
            }

            var userKey = context.UserKey(userId!);
            writer.SetUserAttributes(userKey, Attributes.Of(("age", years), ("gender", sex), ("occupation", job), ("zip", zipCode)));
            return true;
        }, user);
    }

    private static void ImportItems(ImportContext context, string path)
    {
        var writer = context.Writer;
        using var reader = CsvReader.Open(path, new CsvOptions
        {
            Delimiter = (byte)'|',
            HasHeader = false,
            ColumnNames = ["movie_id", "title", "release_date", "video_release_date", "imdb_url", .. Genres],
            Latin1 = true,
        });
        var f = new FieldReader(reader);
        int movie = f.Column("movie_id"), title = f.Column("title"), released = f.Column("release_date"), imdb = f.Column("imdb_url");
        var genreColumns = Genres.Select(f.Column).ToArray();
        var flags = new bool[Genres.Count];

        context.ReadAll(reader, row =>
        {
            var movieId = row.Int64(movie, 1, int.MaxValue);
            var name = row.Text(title);
            var releaseDate = row.IsEmpty(released) ? (DateTime?)null : row.Timestamp(released, ReleaseDateFormats, new DateTime(1880, 1, 1), Latest);
            var url = row.Text(imdb);
            for (var g = 0; g < genreColumns.Length; g++)
            {
                flags[g] = row.Bool(genreColumns[g]);
            }

            if (row.Failed)
            {
                return false;
            }

            var attributes = new JsonObject();
            if (releaseDate is { } date)
            {
                attributes["release_date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }

            if (url is not null)
            {
                attributes["imdb_url"] = url;
            }

            var genres = new JsonArray();
            for (var g = 0; g < flags.Length; g++)
            {
                if (flags[g])
                {
                    genres.Add(Genres[g]);
                }
            }

            attributes["genres"] = genres;
            var itemId = movieId.ToString(CultureInfo.InvariantCulture);
            writer.Upsert(new ItemRecord(context.ItemKey(itemId), itemId, Title: name, AttributesJson: attributes.ToJsonString(Json)));
            return true;
        });
    }

    private static void ImportRatings(ImportContext context, string path)
    {
        var writer = context.Writer;
        using var reader = CsvReader.Open(path, new CsvOptions
        {
            Delimiter = (byte)'\t',
            HasHeader = false,
            ColumnNames = ["user_id", "item_id", "rating", "timestamp"],
        });
        var f = new FieldReader(reader);
        int user = f.Column("user_id"), item = f.Column("item_id"), rating = f.Column("rating"), timestamp = f.Column("timestamp");

        context.ReadAll(reader, row =>
        {
            var movieId = row.Int64(item, 1, int.MaxValue);
            var score = row.Int32(rating, 1, 5);
            var seconds = row.Int64(timestamp, 0, 253_402_300_799);
            if (row.IsEmpty(user))
            {
                return row.Reject(user, "required value is missing");
            }

            if (row.Failed)
            {
                return false;
            }

            var at = FromUnixSeconds(seconds);
            if (at < Earliest || at >= Latest)
            {
                return row.Reject(timestamp, $"{at:yyyy-MM-dd HH:mm:ss} is outside the plausible range");
            }

            var userKey = context.UserKey(row.Raw(user));
            var itemKey = context.ItemKey(movieId.ToString(CultureInfo.InvariantCulture));
            writer.Write(new EventRecord(EventType.Rating, userKey, itemKey, at, Value: score, Channel: Channel.Web, SourceLine: reader.Line));
            return true;
        }, user);
    }
}
