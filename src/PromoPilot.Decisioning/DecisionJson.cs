using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using PromoPilot.Decisioning.Scoring;

namespace PromoPilot.Decisioning;

/// <summary>
/// The JSON of a decision as the API answers it: snake_case, nulls left out, properties in declaration order. Written
/// by hand because every decision is serialized on the hot path: the property names are encoded once, and the score
/// components and contributions (about 26 numbers a decision) are written with at most
/// <see cref="FractionDigits"/> decimals by integer formatting, several times faster than the shortest round-trip
/// formatting of a double; a trace needs no more precision than that.
/// </summary>
public static class DecisionJson
{
    /// <summary>Decimals kept in scores, probabilities and contributions.</summary>
    public const int FractionDigits = 9;

    private const double Scale = 1e9;
    // Above this the scaled value would not fit a long's 18 safe digits: the shortest round-trip form is written instead.
    private const double LargestScaled = 9e8;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The decision as the API answers it.</summary>
    public static string Serialize(Decision decision) => Encoding.UTF8.GetString(Buffered(decision).WrittenSpan);

    /// <summary>
    /// The decision as UTF-8 JSON in a buffer owned by the calling thread, valid until the thread's next call: copy it out
    /// before any await.
    /// </summary>
    public static ReadOnlySpan<byte> SerializeToThreadBuffer(Decision decision) => Buffered(decision).WrittenSpan;

    private static void Write(IBufferWriter<byte> output, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var writer = t_writer ??= new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }); // the structure is fixed here and tested
        writer.Reset(output);
        try
        {
            WriteDecision(writer, decision);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }

    private static ArrayBufferWriter<byte> Buffered(Decision decision)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        Write(buffer, decision);
        return buffer;
    }

    private static void WriteDecision(Utf8JsonWriter writer, Decision decision)
    {
        writer.WriteStartObject();
        writer.WriteString(Names.DecisionId, decision.DecisionId);
        writer.WriteString(Names.UserId, decision.UserId);
        writer.WriteString(Names.Placement, decision.Placement);
        writer.WriteString(Names.DecidedAt, decision.DecidedAt);
        writer.WriteStartArray(Names.Offers);
        foreach (var offer in decision.Offers)
        {
            WriteOffer(writer, offer);
        }

        writer.WriteEndArray();
        writer.WriteStartArray(Names.Items);
        foreach (var item in decision.Items)
        {
            writer.WriteStartObject();
            writer.WriteString(Names.ItemId, item.ItemId);
            WriteNumber(writer, Names.Score, item.Score);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject(Names.Variants);
        if (decision.Variants is DecisionVariants variants)
        {
            variants.WriteProperties(writer);
        }
        else
        {
            foreach (var (campaign, arm) in decision.Variants)
            {
                writer.WriteString(campaign, arm);
            }
        }

        writer.WriteEndObject();
        writer.WriteBoolean(Names.KnownUser, decision.KnownUser);
        WriteTrace(writer, decision.Trace);
        writer.WriteEndObject();
    }

    private static void WriteOffer(Utf8JsonWriter writer, OfferDecision offer)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Names.Rank, offer.Rank);
        writer.WriteString(Names.CampaignId, offer.CampaignId);
        writer.WriteString(Names.OfferId, offer.OfferId);
        writer.WriteString(Names.Type, offer.Type);
        if (offer.Name is not null)
        {
            writer.WriteString(Names.Name, offer.Name);
        }

        if (offer.CostPerRedemption is { } cost)
        {
            writer.WriteNumber(Names.CostPerRedemption, cost);
        }

        writer.WriteStartArray(Names.FeaturedItems);
        foreach (var item in offer.FeaturedItems)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
        WriteScore(writer, offer.Score);
        writer.WriteBoolean(Names.Fallback, offer.Fallback);
        writer.WriteEndObject();
    }

    private static void WriteScore(Utf8JsonWriter writer, ScoreComponents? score)
    {
        if (score is null)
        {
            return;
        }

        writer.WriteStartObject(Names.Score);
        WriteNumber(writer, Names.BaselineProbability, score.BaselineProbability);
        WriteNumber(writer, Names.Uplift, score.Uplift);
        WriteNumber(writer, Names.IncrementalMargin, score.IncrementalMargin);
        WriteNumber(writer, Names.ExpectedCost, score.ExpectedCost);
        WriteNumber(writer, Names.IncrementalProfit, score.IncrementalProfit);
        WriteNumber(writer, Names.Priority, score.Priority);
        WriteNumber(writer, Names.Affinity, score.Affinity);
        WriteNumber(writer, Names.Total, score.Total);
        writer.WriteEndObject();
    }

    private static void WriteTrace(Utf8JsonWriter writer, DecisionTrace trace)
    {
        writer.WriteStartObject(Names.Trace);
        writer.WriteString(Names.Model, trace.Model);
        writer.WriteNumber(Names.CatalogVersion, trace.CatalogVersion);
        writer.WriteNumber(Names.CampaignsConsidered, trace.CampaignsConsidered);
        writer.WriteNumber(Names.OffersConsidered, trace.OffersConsidered);
        writer.WriteStartObject(Names.Rejections);
        foreach (var (reason, count) in trace.Rejections)
        {
            writer.WriteNumber(reason, count);
        }

        writer.WriteEndObject();
        writer.WriteStartArray(Names.Entries);
        foreach (var entry in trace.Entries)
        {
            writer.WriteStartObject();
            writer.WriteString(Names.CampaignId, entry.CampaignId);
            if (entry.OfferId is not null)
            {
                writer.WriteString(Names.OfferId, entry.OfferId);
            }

            writer.WriteString(Names.Outcome, entry.Outcome);
            writer.WriteStartArray(Names.Reasons);
            if (entry.Reasons is EncodedStrings encoded)
            {
                foreach (var reason in encoded.Encoded)
                {
                    writer.WriteStringValue(reason);
                }
            }
            else
            {
                foreach (var reason in entry.Reasons)
                {
                    writer.WriteStringValue(reason);
                }
            }

            writer.WriteEndArray();
            WriteScore(writer, entry.Score);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray(Names.Contributions);
        foreach (var contribution in trace.Contributions)
        {
            WriteContribution(writer, contribution);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteContribution(Utf8JsonWriter writer, FeatureContribution contribution)
    {
        writer.WriteStartObject();
        writer.WriteString(Names.Feature, contribution.Feature);
        WriteNumber(writer, Names.Value, contribution.Value);
        WriteNumber(writer, Names.Contribution, contribution.Contribution);
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, double value)
    {
        Span<byte> digits = stackalloc byte[32];
        if (TryFormatFixed(value, digits, out var written))
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(digits[..written], skipInputValidation: true);
        }
        else
        {
            writer.WriteNumber(name, value); // large or not finite: the serializer's own form (and its error for NaN)
        }
    }

    /// <summary>
    /// <paramref name="value"/> rounded to <see cref="FractionDigits"/> decimals, trailing zeros dropped ("0.25",
    /// "-3", "0.000000012"); false when |value| ≥ 9e8 or it is not finite.
    /// </summary>
    internal static bool TryFormatFixed(double value, Span<byte> destination, out int written)
    {
        written = 0;
        if (!(Math.Abs(value) < LargestScaled))
        {
            return false;
        }

        var scaled = (long)Math.Round(value * Scale, MidpointRounding.AwayFromZero);
        if (scaled < 0)
        {
            destination[written++] = (byte)'-';
            scaled = -scaled;
        }

        var whole = scaled / (long)Scale;
        var fraction = scaled - whole * (long)Scale;
        Utf8Formatter.TryFormat(whole, destination[written..], out var wholeDigits);
        written += wholeDigits;
        if (fraction == 0)
        {
            return true;
        }

        destination[written++] = (byte)'.';
        var digits = FractionDigits;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        for (var i = digits - 1; i >= 0; i--)
        {
            destination[written + i] = (byte)('0' + fraction % 10);
            fraction /= 10;
        }

        written += digits;
        return true;
    }

    private static class Names
    {
        public static readonly JsonEncodedText DecisionId = JsonEncodedText.Encode("decision_id");
        public static readonly JsonEncodedText UserId = JsonEncodedText.Encode("user_id");
        public static readonly JsonEncodedText Placement = JsonEncodedText.Encode("placement");
        public static readonly JsonEncodedText DecidedAt = JsonEncodedText.Encode("decided_at");
        public static readonly JsonEncodedText Offers = JsonEncodedText.Encode("offers");
        public static readonly JsonEncodedText Items = JsonEncodedText.Encode("items");
        public static readonly JsonEncodedText ItemId = JsonEncodedText.Encode("item_id");
        public static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
        public static readonly JsonEncodedText Variants = JsonEncodedText.Encode("variants");
        public static readonly JsonEncodedText KnownUser = JsonEncodedText.Encode("known_user");
        public static readonly JsonEncodedText Rank = JsonEncodedText.Encode("rank");
        public static readonly JsonEncodedText CampaignId = JsonEncodedText.Encode("campaign_id");
        public static readonly JsonEncodedText OfferId = JsonEncodedText.Encode("offer_id");
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText CostPerRedemption = JsonEncodedText.Encode("cost_per_redemption");
        public static readonly JsonEncodedText FeaturedItems = JsonEncodedText.Encode("featured_items");
        public static readonly JsonEncodedText Fallback = JsonEncodedText.Encode("fallback");
        public static readonly JsonEncodedText BaselineProbability = JsonEncodedText.Encode("baseline_probability");
        public static readonly JsonEncodedText Uplift = JsonEncodedText.Encode("uplift");
        public static readonly JsonEncodedText IncrementalMargin = JsonEncodedText.Encode("incremental_margin");
        public static readonly JsonEncodedText ExpectedCost = JsonEncodedText.Encode("expected_cost");
        public static readonly JsonEncodedText IncrementalProfit = JsonEncodedText.Encode("incremental_profit");
        public static readonly JsonEncodedText Priority = JsonEncodedText.Encode("priority");
        public static readonly JsonEncodedText Affinity = JsonEncodedText.Encode("affinity");
        public static readonly JsonEncodedText Total = JsonEncodedText.Encode("total");
        public static readonly JsonEncodedText Trace = JsonEncodedText.Encode("trace");
        public static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
        public static readonly JsonEncodedText CatalogVersion = JsonEncodedText.Encode("catalog_version");
        public static readonly JsonEncodedText CampaignsConsidered = JsonEncodedText.Encode("campaigns_considered");
        public static readonly JsonEncodedText OffersConsidered = JsonEncodedText.Encode("offers_considered");
        public static readonly JsonEncodedText Rejections = JsonEncodedText.Encode("rejections");
        public static readonly JsonEncodedText Entries = JsonEncodedText.Encode("entries");
        public static readonly JsonEncodedText Outcome = JsonEncodedText.Encode("outcome");
        public static readonly JsonEncodedText Reasons = JsonEncodedText.Encode("reasons");
        public static readonly JsonEncodedText Contributions = JsonEncodedText.Encode("contributions");
        public static readonly JsonEncodedText Feature = JsonEncodedText.Encode("feature");
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
        public static readonly JsonEncodedText Contribution = JsonEncodedText.Encode("contribution");
    }
}
