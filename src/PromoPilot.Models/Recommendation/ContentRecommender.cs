using System.Globalization;
using System.Text;
using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Recommendation;

/// <summary>What a catalog says about one item (any part may be missing).</summary>
/// <param name="Title">Free text, tokenized into lower-case words.</param>
/// <param name="CategoryPath">A hierarchy such as "Grocery/Dairy/Milk" ('/', '>' or '|' separate levels); every prefix is a feature.</param>
/// <param name="Brand">The brand or manufacturer.</param>
/// <param name="Price">Unit price; items are put in price bands by quantiles of the catalog's prices.</param>
/// <param name="Tags">Flat labels (genres, flags), each a feature of the category group.</param>
public sealed record ItemAttributes(string? Title = null, string? CategoryPath = null, string? Brand = null, double? Price = null, IReadOnlyList<string>? Tags = null);

/// <summary>Options of <see cref="ContentRecommender"/>: the weight of each attribute group in the item-item cosine.</summary>
public sealed record ContentOptions
{
    /// <summary>Weight of the title words, TF-IDF weighted (default 1).</summary>
    public double TitleWeight { get; init; } = 1;

    /// <summary>Weight of the category prefixes and tags, IDF weighted (default 1).</summary>
    public double CategoryWeight { get; init; } = 1;

    /// <summary>Weight of the brand (default 0.5).</summary>
    public double BrandWeight { get; init; } = 0.5;

    /// <summary>Weight of the price band; the neighbouring bands count half (default 0.25).</summary>
    public double PriceWeight { get; init; } = 0.25;

    /// <summary>Price bands, cut at quantiles of the prices of items with a positive price (default 5).</summary>
    public int PriceBands { get; init; } = 5;

    /// <summary>Shortest title word kept (default 2).</summary>
    public int MinTokenLength { get; init; } = 2;

    internal void Validate()
    {
        ModelArgs.NonNegative(TitleWeight, nameof(TitleWeight));
        ModelArgs.NonNegative(CategoryWeight, nameof(CategoryWeight));
        ModelArgs.NonNegative(BrandWeight, nameof(BrandWeight));
        ModelArgs.NonNegative(PriceWeight, nameof(PriceWeight));
        ModelArgs.Positive(PriceBands, nameof(PriceBands));
        ModelArgs.Positive(MinTokenLength, nameof(MinTokenLength));
        if (TitleWeight + CategoryWeight + BrandWeight + PriceWeight <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TitleWeight), TitleWeight, "at least one of TitleWeight, CategoryWeight, BrandWeight, PriceWeight must be > 0.");
        }
    }
}

/// <summary>
/// Content-based recommendation from item attributes (the vector-space model of Pazzani and Billsus 2007,
/// "Content-based recommendation systems", with TF-IDF term weights as Salton and Buckley 1988): each item is a
/// vector of four groups, title words (TF-IDF), category prefixes and tags (IDF), brand (IDF) and price band, each
/// group normalized to unit length and scaled by the square root of its weight, the whole normalized; item-item
/// similarity is the cosine. A user's profile is the weighted sum of the vectors of the items in their history and
/// items score by their dot product with it, so a user with one interaction, or items nobody has bought yet
/// (cold-start items), are answered. Users without history, or whose items have no attributes, get the fallback.
/// </summary>
public sealed class ContentRecommender : Recommender
{
    public const string Name = "content";
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with",
    };

    private readonly IReadOnlyList<ItemAttributes>? attributes;
    private CsrMatrix features = new(0, 0, [0], [], []);
    private CsrMatrix featureItems = new(0, 0, [0], [], []);

    /// <summary>A model over <paramref name="items"/>: entry i describes column i of the matrix it will be fitted on.</summary>
    public ContentRecommender(IReadOnlyList<ItemAttributes> items, ContentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        attributes = items;
        Options = options ?? new ContentOptions();
        Options.Validate();
    }

    private ContentRecommender(ContentOptions options) => Options = options;

    public ContentOptions Options { get; }

    public override string Algorithm => Name;

    /// <summary>The unit-length feature vector of every item (rows items; an item without attributes has an empty row).</summary>
    public CsrMatrix ItemFeatures => features;

    /// <summary>Builds the item vectors (the attributes alone: the matrix only checks the item count and gives the popularity fallback).</summary>
    public static CsrMatrix BuildFeatures(IReadOnlyList<ItemAttributes> items, ContentOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var n = items.Count;
        var groups = new (double Weight, Dictionary<string, float>[] Terms)[]
        {
            (options.TitleWeight, new Dictionary<string, float>[n]),
            (options.CategoryWeight, new Dictionary<string, float>[n]),
            (options.BrandWeight, new Dictionary<string, float>[n]),
            (options.PriceWeight, new Dictionary<string, float>[n]),
        };
        var bands = PriceBands(items, options.PriceBands);
        for (var i = 0; i < n; i++)
        {
            var item = items[i] ?? throw new ArgumentException($"item {i} has no attributes record (use an empty ItemAttributes).", nameof(items));
            groups[0].Terms[i] = Tokens(item.Title, options.MinTokenLength);
            groups[1].Terms[i] = Categories(item.CategoryPath, item.Tags);
            groups[2].Terms[i] = string.IsNullOrWhiteSpace(item.Brand) ? [] : new() { ["b:" + item.Brand.Trim().ToLowerInvariant()] = 1 };
            var band = bands[i];
            groups[3].Terms[i] = band < 0 ? [] : PriceTerms(band, options.PriceBands);
        }

        // IDF over items for the text-like groups (price bands are dense by construction and left unweighted).
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<int>();
        var cols = new List<int>();
        var vals = new List<float>();
        for (var g = 0; g < groups.Length; g++)
        {
            if (groups[g].Weight <= 0)
            {
                continue;
            }

            var df = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var terms in groups[g].Terms)
            {
                foreach (var t in terms.Keys)
                {
                    df[t] = df.GetValueOrDefault(t) + 1;
                }
            }

            var scale = Math.Sqrt(groups[g].Weight);
            for (var i = 0; i < n; i++)
            {
                var terms = groups[g].Terms[i];
                if (terms.Count == 0)
                {
                    continue;
                }

                var weighted = terms.Select(kv => (kv.Key, Value: g == 3 ? kv.Value : kv.Value * Math.Log(1.0 + ((double)n / df[kv.Key])))).ToList();
                var norm = Math.Sqrt(weighted.Sum(t => t.Value * t.Value));
                if (norm <= 0)
                {
                    continue;
                }

                foreach (var (term, value) in weighted)
                {
                    if (!vocabulary.TryGetValue(term, out var id))
                    {
                        id = vocabulary.Count;
                        vocabulary.Add(term, id);
                    }

                    rows.Add(i);
                    cols.Add(id);
                    vals.Add((float)(value / norm * scale));
                }
            }
        }

        var raw = CsrMatrix.FromTriples(n, Math.Max(1, vocabulary.Count), rows.ToArray(), cols.ToArray(), vals.ToArray());

        // Unit length overall, so an item missing a group is still comparable.
        var normalized = new float[raw.NonZeros];
        for (var i = 0; i < n; i++)
        {
            var values = raw.RowValues(i);
            double sum = 0;
            foreach (var v in values)
            {
                sum += (double)v * v;
            }

            var inverse = sum > 0 ? 1 / Math.Sqrt(sum) : 0;
            for (var p = 0; p < values.Length; p++)
            {
                normalized[raw.RowPointers[i] + p] = (float)(values[p] * inverse);
            }
        }

        return new CsrMatrix(n, raw.Columns, raw.RowPointers, raw.ColumnIndices, normalized);
    }

    protected override void FitCore(CsrMatrix userItems)
    {
        if (attributes is null)
        {
            throw new InvalidOperationException("a loaded content model cannot be refitted: create it from item attributes.");
        }

        if (attributes.Count != userItems.Columns)
        {
            throw new ArgumentException($"the matrix has {userItems.Columns} items but {attributes.Count} item attributes were given.", nameof(userItems));
        }

        features = BuildFeatures(attributes, Options);
        featureItems = features.Transpose();
    }

    protected internal override bool TryScore(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores)
    {
        if (historyItems.IsEmpty)
        {
            return false;
        }

        // Profile = Σ weight · item vector, accumulated sparsely, then scores = X · profile.
        var profile = new Dictionary<int, float>();
        for (var h = 0; h < historyItems.Length; h++)
        {
            var cols = features.RowColumns(historyItems[h]);
            var vals = features.RowValues(historyItems[h]);
            for (var p = 0; p < cols.Length; p++)
            {
                profile[cols[p]] = profile.GetValueOrDefault(cols[p]) + (historyValues[h] * vals[p]);
            }
        }

        if (profile.Count == 0)
        {
            return false;
        }

        foreach (var (feature, weight) in profile)
        {
            var items = featureItems.RowColumns(feature);
            var vals = featureItems.RowValues(feature);
            for (var p = 0; p < items.Length; p++)
            {
                scores[items[p]] += weight * vals[p];
            }
        }

        return true;
    }

    protected override void ItemSimilarities(int item, Span<float> scores)
    {
        var cols = features.RowColumns(item);
        var vals = features.RowValues(item);
        for (var p = 0; p < cols.Length; p++)
        {
            var items = featureItems.RowColumns(cols[p]);
            var itemVals = featureItems.RowValues(cols[p]);
            for (var q = 0; q < items.Length; q++)
            {
                scores[items[q]] += vals[p] * itemVals[q];
            }
        }
    }

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(Options.TitleWeight);
        writer.Write(Options.CategoryWeight);
        writer.Write(Options.BrandWeight);
        writer.Write(Options.PriceWeight);
        writer.Write(Options.PriceBands);
        writer.Write(Options.MinTokenLength);
        features.Write(writer);
    }

    internal static ContentRecommender LoadCore(BinaryReader reader)
    {
        var options = new ContentOptions
        {
            TitleWeight = reader.ReadDouble(),
            CategoryWeight = reader.ReadDouble(),
            BrandWeight = reader.ReadDouble(),
            PriceWeight = reader.ReadDouble(),
            PriceBands = reader.ReadInt32(),
            MinTokenLength = reader.ReadInt32(),
        };
        var model = new ContentRecommender(options) { features = CsrMatrix.Read(reader) };
        model.featureItems = model.features.Transpose();
        return model;
    }

    /// <summary>Lower-case words of letters and digits, stop words and words shorter than the minimum dropped, with counts.</summary>
    internal static Dictionary<string, float> Tokens(string? text, int minLength)
    {
        var terms = new Dictionary<string, float>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return terms;
        }

        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKC).Append(' '))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            if (word.Length >= minLength && !StopWords.Contains(word.ToString()))
            {
                var t = "t:" + word;
                terms[t] = terms.GetValueOrDefault(t) + 1;
            }

            word.Clear();
        }

        return terms;
    }

    private static Dictionary<string, float> Categories(string? path, IReadOnlyList<string>? tags)
    {
        var terms = new Dictionary<string, float>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(path))
        {
            var prefix = new StringBuilder("c:");
            foreach (var level in path.Split(['/', '>', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                prefix.Append(level.ToLowerInvariant()).Append('/');
                terms[prefix.ToString()] = 1;
            }
        }

        foreach (var tag in tags ?? [])
        {
            if (!string.IsNullOrWhiteSpace(tag))
            {
                terms["g:" + tag.Trim().ToLowerInvariant()] = 1;
            }
        }

        return terms;
    }

    private static Dictionary<string, float> PriceTerms(int band, int bands)
    {
        var terms = new Dictionary<string, float>(StringComparer.Ordinal) { [Band(band)] = 1 };
        if (band > 0)
        {
            terms[Band(band - 1)] = 0.5f;
        }

        if (band < bands - 1)
        {
            terms[Band(band + 1)] = 0.5f;
        }

        return terms;
    }

    private static string Band(int band) => "p:" + band.ToString(CultureInfo.InvariantCulture);

    /// <summary>Each item's price band: rank of its price among positive prices, cut in equal-count bands; −1 without a price.</summary>
    private static int[] PriceBands(IReadOnlyList<ItemAttributes> items, int bands)
    {
        var result = new int[items.Count];
        Array.Fill(result, -1);
        var priced = Enumerable.Range(0, items.Count)
            .Where(i => items[i]?.Price is double p && p > 0 && double.IsFinite(p))
            .OrderBy(i => items[i].Price!.Value).ThenBy(i => i).ToArray();
        for (var r = 0; r < priced.Length; r++)
        {
            result[priced[r]] = Math.Min(bands - 1, (int)((long)r * bands / priced.Length));
        }

        // Equal prices share a band: the band of the first item at that price.
        for (var r = 1; r < priced.Length; r++)
        {
            if (items[priced[r]].Price == items[priced[r - 1]].Price)
            {
                result[priced[r]] = result[priced[r - 1]];
            }
        }

        return result;
    }
}
