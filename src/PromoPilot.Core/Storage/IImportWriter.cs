using PromoPilot.Core.Domain;

namespace PromoPilot.Core.Storage;

/// <summary>
/// Receives the canonical rows of one import. Keys are stable per (dataset, identifier): asking
/// twice, or in a later import of the same dataset, gives the same key. Nothing is visible to
/// readers until the import is committed as a whole.
/// </summary>
public interface IImportWriter
{
    /// <summary>The dataset namespace every identifier of this import lives in.</summary>
    string Dataset { get; }

    int UserKey(string userId);

    int ItemKey(string itemId);

    long OrderKey(string orderId);

    int StoreKey(string storeId);

    int CampaignKey(string campaignId);

    int OfferKey(string offerId);

    /// <summary>Adds or replaces the attributes (a JSON object) of a user whose key came from <see cref="UserKey"/>.</summary>
    void SetUserAttributes(int userKey, string? attributesJson);

    void Upsert(ItemRecord item);

    void Upsert(OrderRecord order);

    void Upsert(StoreRecord store);

    void Upsert(CampaignRecord campaign);

    void Upsert(OfferRecord offer);

    void Write(in EventRecord row);

    void Write(in StoreWeekSaleRecord row);

    void Write(in ExposureRecord row);

    void Write(in ResponseRecord row);

    void Quarantine(QuarantinedRow row);
}
