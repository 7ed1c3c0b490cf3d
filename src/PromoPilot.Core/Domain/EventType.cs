namespace PromoPilot.Core.Domain;

/// <summary>What a shopper did. Stored as its number, so values are never renumbered.</summary>
public enum EventType : sbyte
{
    View = 1,
    Click = 2,
    AddToCart = 3,
    Favorite = 4,
    Purchase = 5,
    Refund = 6,
    OfferExposure = 7,
    OfferRedemption = 8,
    /// <summary>An explicit rating (MovieLens); <see cref="EventRecord.Value"/> holds the score.</summary>
    Rating = 9,
    /// <summary>A merchant's correction (stock write-off, bad-debt adjustment): not a customer action.</summary>
    Adjustment = 10,
}

/// <summary>Where an interaction happened. Stored as its number, so values are never renumbered.</summary>
public enum Channel : sbyte
{
    Unknown = 0,
    Web = 1,
    App = 2,
    Store = 3,
    Email = 4,
    Phone = 5,
    Multichannel = 6,
    Other = 7,
}

public static class DomainNames
{
    /// <summary>The snake_case name used in the store, the CLI and the API ("add_to_cart").</summary>
    public static string Name(this EventType type) => type switch
    {
        EventType.View => "view",
        EventType.Click => "click",
        EventType.AddToCart => "add_to_cart",
        EventType.Favorite => "favorite",
        EventType.Purchase => "purchase",
        EventType.Refund => "refund",
        EventType.OfferExposure => "offer_exposure",
        EventType.OfferRedemption => "offer_redemption",
        EventType.Rating => "rating",
        EventType.Adjustment => "adjustment",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string Name(this Channel channel) => channel.ToString().ToLowerInvariant();

    /// <summary>Parses an event name ("add_to_cart", "AddToCart", "add-to-cart"), ignoring case.</summary>
    public static bool TryParseEventType(string text, out EventType type) => EventTypesByName.TryGetValue(Normalize(text), out type);

    public static bool TryParseChannel(string text, out Channel channel) => ChannelsByName.TryGetValue(Normalize(text), out channel);

    private static readonly Dictionary<string, EventType> EventTypesByName =
        Enum.GetValues<EventType>().ToDictionary(t => Normalize(t.ToString()), StringComparer.Ordinal);

    private static readonly Dictionary<string, Channel> ChannelsByName =
        Enum.GetValues<Channel>().ToDictionary(c => Normalize(c.ToString()), StringComparer.Ordinal);

    private static string Normalize(string text) =>
        string.Concat(text.Trim().Where(c => c is not ('_' or '-' or ' ')).Select(char.ToLowerInvariant));
}
