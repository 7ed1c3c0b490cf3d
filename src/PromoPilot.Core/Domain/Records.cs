namespace PromoPilot.Core.Domain;

// Canonical rows of the store. Entities are referenced by integer surrogate keys handed out by the
// import writer: they keep the large fact tables narrow (and fast to append and scan) and give
// the models dense indices. Text identifiers live once, in the dimension rows.
// Attributes that vary by data source (demographics, store census data...) travel as a JSON object.

/// <summary>A customer. <see cref="UserId"/> is the keyed pseudonym, never the raw identifier.</summary>
public sealed record UserRecord(int Key, string UserId, string? AttributesJson = null);

/// <summary>A product or other sellable line (postage, fees: <see cref="IsProduct"/> false).</summary>
public sealed record ItemRecord(
    int Key,
    string ItemId,
    string? Title = null,
    string? CategoryPath = null,
    string? Brand = null,
    decimal? Price = null,
    decimal? Cost = null,
    string? Currency = null,
    bool IsProduct = true,
    string? AttributesJson = null)
{
    /// <summary>Separator of the levels of <see cref="CategoryPath"/> ("Dairy > Milk > Whole").</summary>
    public const string CategorySeparator = " > ";
}

/// <summary>An order (invoice, basket, transaction). A refund order points at the order it reverses.</summary>
public sealed record OrderRecord(
    long Key,
    string OrderId,
    int? UserKey,
    DateTime? OrderedAt,
    string? Currency = null,
    int? StoreKey = null,
    Channel Channel = Channel.Unknown,
    bool IsRefund = false,
    long? RefundOfOrderKey = null);

/// <summary>One interaction of a user with an item, an offer or a campaign.</summary>
/// <remarks>Timestamps are local time of the source, without zone, as the data sets record them.</remarks>
public record struct EventRecord(
    EventType Type,
    int? UserKey,
    int? ItemKey,
    DateTime? Timestamp,
    double Quantity = 1,
    decimal? UnitPrice = null,
    decimal? Discount = null,
    double? Value = null,
    long? OrderKey = null,
    int? CampaignKey = null,
    int? OfferKey = null,
    int? StoreKey = null,
    Channel Channel = Channel.Unknown,
    long SourceLine = 0);

/// <summary>A physical store of a retail panel.</summary>
public sealed record StoreRecord(int Key, string StoreId, string? AttributesJson = null);

/// <summary>Units sold of one item in one store in one week, with price and promotion flags.</summary>
public record struct StoreWeekSaleRecord(
    int StoreKey,
    int ItemKey,
    int Week,
    double Units,
    decimal? UnitPrice,
    bool? Deal,
    bool? Feature,
    string? AttributesJson,
    long SourceLine);

/// <summary>A marketing campaign or an experiment.</summary>
public sealed record CampaignRecord(
    int Key,
    string CampaignId,
    string? Name = null,
    string? CampaignType = null,
    DateTime? StartsAt = null,
    DateTime? EndsAt = null,
    string? AttributesJson = null);

/// <summary>An offer of a campaign (a coupon, a discount...), optionally for one item.</summary>
public sealed record OfferRecord(
    int Key,
    string OfferId,
    int? CampaignKey,
    int? ItemKey,
    string? OfferType = null,
    string? AttributesJson = null);

/// <summary>A unit's assignment to an arm of a campaign or experiment, with the outcomes observed.</summary>
public record struct ExposureRecord(
    int CampaignKey,
    int? UserKey,
    string Arm,
    bool IsControl,
    DateTime? ExposedAt,
    bool? Visited,
    bool? Converted,
    decimal? Revenue,
    string? OutcomesJson,
    long SourceLine);

/// <summary>Whether a shown offer was accepted, with the context it was shown in (survey or log data).</summary>
public record struct ResponseRecord(
    int? CampaignKey,
    int? UserKey,
    string OfferType,
    bool Accepted,
    string ContextJson,
    long SourceLine);

/// <summary>A row that was read but not accepted, and why. Nothing read is ever silently dropped.</summary>
public sealed record QuarantinedRow(string File, long Line, string? Column, string Reason, string? Raw);
