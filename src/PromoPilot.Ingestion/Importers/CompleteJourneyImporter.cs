using System.Text.Json.Nodes;
using PromoPilot.Core.Domain;
using PromoPilot.Core.Storage;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Importers;

/// <summary>
/// 84.51° / dunnhumby <i>The Complete Journey</i> (R package completejourney): a grocery retailer's 2017
/// transactions (a 75,000-line sample), products, household demographics, 27 targeted campaigns, their
/// coupons and redemptions, and a sample of weekly in-store display and mailer promotions. USD.
/// </summary>
/// <remarks>
/// <para>
/// Households are users (pseudonymized); the demographics file gives 801 of them banded attributes, the
/// others exist only through what they did. Products are items with the category path
/// department &gt; product_category &gt; product_type, cut at the first empty level so every level keeps its
/// meaning (a product_type cut off that way stays in the attributes); brand is the source's National /
/// Private (store brand) flag; manufacturer and package size are attributes. The department COUPON holds
/// coupon lines, flagged as non-products. Products sold or couponed but absent from the product file are
/// still items, without category.
/// </para>
/// <para>
/// Baskets are store orders and lines are purchase events. The unit price is sales_value / quantity, the
/// amount the retailer received per unit, rounded to the store's 4 decimals (so quantity × price can differ
/// from sales_value by up to half a hundredth of a cent per unit, about $23 over the fuel lines); the event's
/// discount is the line's total dollars off, retail_disc + coupon_disc + coupon_match_disc (loyalty card,
/// manufacturer coupon and the retailer's match), for the whole line, not per unit. Quantity-0 lines (coupon
/// and void lines, mostly with no sales value) are kept with no unit price; one that carries a sales value
/// of a cent or more has no price to carry it and is quarantined. Fuel lines have quantities in the tens of
/// thousands (the source's own unit, not gallons): they are real sales and kept as they are.
/// </para>
/// <para>
/// Campaign descriptions are campaigns; each (campaign, household) pair of the campaigns file is an
/// offer-exposure event at the campaign's start (channel unknown: the source does not say how campaigns
/// reached households). A coupon UPC is redeemed within a campaign, so each
/// (campaign, coupon_upc) is one offer, "coupon:{campaign}:{upc}", holding the ids of all the products it
/// is valid for (attribute product_ids, in file order, duplicates of the source removed) and the item when
/// it covers exactly one product; every coupons row is thus accepted into its offer. Redemptions are
/// offer-redemption events of the household for that offer and campaign, on the redemption date, in store
/// (which product and basket are not recorded).
/// </para>
/// <para>
/// Promotions record where a product was placed in a store in a week, not what sold, so they are not
/// store-week sales (whose units would be invented). Each row is an offer-exposure event without a user:
/// the item shown in the store, at the start of its week, under a placement offer
/// "placement:display={code}:mailer={code}" that keeps both location codes (0 = not on display / not in
/// the mailer; channel store for a display, other for a mailer, multichannel for both). Weeks run Monday to Sunday with week 1 = 2017-01-01 alone, as the transactions' own week
/// numbers show, so week w starts on 2017-01-02 + 7(w - 2) days.
/// </para>
/// </remarks>
public sealed class CompleteJourneyImporter : IDatasetImporter
{
    public const string Currency = "USD";

    /// <summary>The files in reading order: dimensions before the facts that refer to them.</summary>
    public static readonly IReadOnlyList<string> FileNames =
    [
        "campaign_descriptions.csv", "demographics.csv", "products.csv", "campaigns.csv", "coupons.csv",
        "coupon_redemptions.csv", "transactions_sample.csv", "promotions_sample.csv",
    ];

    private static readonly DateTime MinDate = new(2000, 1, 1);
    private static readonly DateTime MaxDate = new(2100, 1, 1);
    private static readonly DateTime Week2Start = new(2017, 1, 2);

    public string Kind => "completejourney";

    public string Dataset => "completejourney";

    public IReadOnlyList<string> InputFiles(string input) => [.. FileNames.Select(name => InputFolder.Require(input, name))];

    /// <summary>The first day of a week of the data set (week 1 is 2017-01-01 alone, later weeks start on Mondays).</summary>
    public static DateTime WeekStart(int week) => week <= 1 ? Week2Start.AddDays(-1) : Week2Start.AddDays(7 * (week - 2));

    public void Import(ImportContext context)
    {
        var files = InputFiles(context.Input);
        var state = new State(context);
        ImportCampaigns(state, files[0]);
        ImportDemographics(state, files[1]);
        ImportProducts(state, files[2]);
        ImportCampaignExposures(state, files[3]);
        ImportCoupons(state, files[4]);
        ImportRedemptions(state, files[5]);
        ImportTransactions(state, files[6]);
        ImportPromotions(state, files[7]);
        state.Flush();
    }

    private static void ImportCampaigns(State state, string path)
    {
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int id = f.Column("campaign_id"), type = f.Column("campaign_type"), start = f.Column("start_date"), end = f.Column("end_date");

        state.Context.ReadAll(reader, row =>
        {
            var campaignId = row.Text(id, required: true);
            var campaignType = row.Text(type);
            var startsAt = row.Timestamp(start, min: MinDate, max: MaxDate);
            var endsAt = row.Timestamp(end, min: MinDate, max: MaxDate);
            if (row.Failed)
            {
                return false;
            }

            if (endsAt < startsAt)
            {
                return row.Reject(end, $"campaign ends ({endsAt:yyyy-MM-dd}) before it starts ({startsAt:yyyy-MM-dd})");
            }

            var key = state.Writer.CampaignKey(campaignId!);
            state.CampaignStarts[key] = startsAt;
            state.Writer.Upsert(new CampaignRecord(key, campaignId!, CampaignType: campaignType, StartsAt: startsAt, EndsAt: endsAt));
            return true;
        });
    }

    private static void ImportDemographics(State state, string path)
    {
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int household = f.Column("household_id"), age = f.Column("age"), income = f.Column("income"),
            ownership = f.Column("home_ownership"), marital = f.Column("marital_status"), size = f.Column("household_size"),
            composition = f.Column("household_comp"), kids = f.Column("kids_count");

        state.Context.ReadAll(reader, row =>
        {
            var householdId = row.Text(household, required: true);
            if (row.Failed)
            {
                return false;
            }

            state.Writer.SetUserAttributes(state.Context.UserKey(householdId!), Attributes.Of(
                ("age", row.Text(age)),
                ("income", row.Text(income)),
                ("home_ownership", row.Text(ownership)),
                ("marital_status", row.Text(marital)),
                ("household_size", row.Text(size)),
                ("household_comp", row.Text(composition)),
                ("kids_count", row.Text(kids))));
            return true;
        }, household);
    }

    private static void ImportProducts(State state, string path)
    {
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int product = f.Column("product_id"), manufacturer = f.Column("manufacturer_id"), department = f.Column("department"),
            brand = f.Column("brand"), category = f.Column("product_category"), type = f.Column("product_type"),
            package = f.Column("package_size");

        state.Context.ReadAll(reader, row =>
        {
            var productId = row.Text(product, required: true);
            if (row.Failed)
            {
                return false;
            }

            string? departmentName = row.Text(department), categoryName = row.Text(category), typeName = row.Text(type);
            var path = departmentName is null ? null
                : categoryName is null ? departmentName
                : typeName is null ? string.Join(ItemRecord.CategorySeparator, departmentName, categoryName)
                : string.Join(ItemRecord.CategorySeparator, departmentName, categoryName, typeName);
            var typeOutsidePath = typeName is not null && (departmentName is null || categoryName is null) ? typeName : null;
            var key = state.Context.ItemKey(productId!);
            state.Products.Add(key);
            state.Writer.Upsert(new ItemRecord(
                key,
                productId!,
                CategoryPath: path,
                Brand: row.Text(brand),
                Currency: Currency,
                IsProduct: !string.Equals(departmentName, "COUPON", StringComparison.OrdinalIgnoreCase),
                AttributesJson: Attributes.Of(
                    ("manufacturer_id", row.Text(manufacturer)),
                    ("package_size", row.Text(package)),
                    ("product_type", typeOutsidePath))));
            return true;
        });
    }

    private static void ImportCampaignExposures(State state, string path)
    {
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int campaign = f.Column("campaign_id"), household = f.Column("household_id");

        state.Context.ReadAll(reader, row =>
        {
            var campaignId = row.Text(campaign, required: true);
            var householdId = row.Text(household, required: true);
            if (row.Failed)
            {
                return false;
            }

            var campaignKey = state.Writer.CampaignKey(campaignId!);
            DateTime? startsAt = state.CampaignStarts.TryGetValue(campaignKey, out var start) ? start : null;
            state.Writer.Write(new EventRecord(
                EventType.OfferExposure, state.Context.UserKey(householdId!), null, startsAt, CampaignKey: campaignKey, SourceLine: reader.Line));
            return true;
        }, household);
    }

    private static void ImportCoupons(State state, string path)
    {
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int upc = f.Column("coupon_upc"), product = f.Column("product_id"), campaign = f.Column("campaign_id");

        state.Context.ReadAll(reader, row =>
        {
            var couponUpc = row.Text(upc, required: true);
            var productId = row.Text(product, required: true);
            var campaignId = row.Text(campaign, required: true);
            if (row.Failed)
            {
                return false;
            }

            state.Coupon(campaignId!, couponUpc!).Add(productId!);
            return true;
        });
    }

    private static void ImportRedemptions(State state, string path)
    {
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int household = f.Column("household_id"), upc = f.Column("coupon_upc"), campaign = f.Column("campaign_id"),
            date = f.Column("redemption_date");

        state.Context.ReadAll(reader, row =>
        {
            var householdId = row.Text(household, required: true);
            var couponUpc = row.Text(upc, required: true);
            var campaignId = row.Text(campaign, required: true);
            var redeemedAt = row.Timestamp(date, min: MinDate, max: MaxDate);
            if (row.Failed)
            {
                return false;
            }

            var coupon = state.Coupon(campaignId!, couponUpc!);
            state.Writer.Write(new EventRecord(
                EventType.OfferRedemption, state.Context.UserKey(householdId!), null, redeemedAt,
                CampaignKey: coupon.CampaignKey, OfferKey: coupon.OfferKey, Channel: Channel.Store, SourceLine: reader.Line));
            return true;
        }, household);
    }

    private static void ImportTransactions(State state, string path)
    {
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int household = f.Column("household_id"), store = f.Column("store_id"), basket = f.Column("basket_id"),
            product = f.Column("product_id"), quantity = f.Column("quantity"), sales = f.Column("sales_value"),
            retail = f.Column("retail_disc"), coupon = f.Column("coupon_disc"), match = f.Column("coupon_match_disc"),
            week = f.Column("week"), timestamp = f.Column("transaction_timestamp");

        state.Context.ReadAll(reader, row =>
        {
            var householdId = row.Text(household, required: true);
            var storeId = row.Text(store, required: true);
            var basketId = row.Text(basket, required: true);
            var productId = row.Text(product, required: true);
            var units = row.Double(quantity, 0, 10_000_000);
            var salesValue = row.Decimal(sales, maxAbs: 1_000_000m, allowNegative: false);
            var retailDiscount = row.Decimal(retail, maxAbs: 1_000_000m, allowNegative: false);
            var couponDiscount = row.Decimal(coupon, maxAbs: 1_000_000m, allowNegative: false);
            var matchDiscount = row.Decimal(match, maxAbs: 1_000_000m, allowNegative: false);
            row.Int32(week, 1, 53); // checked only: the timestamp implies it.
            var at = row.Timestamp(timestamp, min: MinDate, max: MaxDate);
            if (row.Failed)
            {
                return false;
            }

            if (units == 0 && salesValue >= 0.01m)
            {
                return row.Reject(sales, $"sales value {salesValue} on a line with quantity 0 (no unit price can carry it)");
            }

            var userKey = state.Context.UserKey(householdId!);
            var storeKey = state.Store(storeId!);
            var itemKey = state.Item(productId!);
            var orderKey = state.Context.OrderKey(basketId!);
            if (state.Orders.Add(orderKey))
            {
                state.Writer.Upsert(new OrderRecord(orderKey, basketId!, userKey, at, Currency, StoreKey: storeKey, Channel: Channel.Store));
            }

            decimal? unitPrice = units > 0 ? Math.Round(salesValue / (decimal)units, 4, MidpointRounding.AwayFromZero) : null;
            state.Writer.Write(new EventRecord(
                EventType.Purchase, userKey, itemKey, at, units, unitPrice,
                Discount: retailDiscount + couponDiscount + matchDiscount,
                OrderKey: orderKey, StoreKey: storeKey, Channel: Channel.Store, SourceLine: reader.Line));
            return true;
        }, household);
    }

    private static void ImportPromotions(State state, string path)
    {
        using var reader = CsvReader.Open(path);
        var f = new FieldReader(reader);
        int product = f.Column("product_id"), store = f.Column("store_id"), display = f.Column("display_location"),
            mailer = f.Column("mailer_location"), week = f.Column("week");

        state.Context.ReadAll(reader, row =>
        {
            var productId = row.Text(product, required: true);
            var storeId = row.Text(store, required: true);
            var displayLocation = row.Text(display, required: true);
            var mailerLocation = row.Text(mailer, required: true);
            var weekNumber = row.Int32(week, 1, 53);
            if (row.Failed)
            {
                return false;
            }

            var (offerKey, channel) = state.Placement(displayLocation!, mailerLocation!);
            state.Writer.Write(new EventRecord(
                EventType.OfferExposure, null, state.Item(productId!), WeekStart(weekNumber),
                OfferKey: offerKey, StoreKey: state.Store(storeId!), Channel: channel, SourceLine: reader.Line));
            return true;
        });
    }

    /// <summary>What the files share while they are read; dimension rows assembled from many rows are written by <see cref="Flush"/>.</summary>
    private sealed class State(ImportContext context)
    {
        private readonly Dictionary<string, CouponDraft> _coupons = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (int Key, Channel Channel)> _placements = new(StringComparer.Ordinal);
        private readonly HashSet<int> _stores = [];
        private readonly Dictionary<int, string> _otherItems = [];

        public ImportContext Context { get; } = context;

        public IImportWriter Writer => Context.Writer;

        public Dictionary<int, DateTime> CampaignStarts { get; } = [];

        /// <summary>Items of the product file.</summary>
        public HashSet<int> Products { get; } = [];

        public HashSet<long> Orders { get; } = [];

        public int Item(string productId)
        {
            var key = Context.ItemKey(productId);
            if (!Products.Contains(key))
            {
                _otherItems.TryAdd(key, productId);
            }

            return key;
        }

        public int Store(string storeId)
        {
            var key = Writer.StoreKey(storeId);
            if (_stores.Add(key))
            {
                Writer.Upsert(new StoreRecord(key, storeId));
            }

            return key;
        }

        public CouponDraft Coupon(string campaignId, string couponUpc)
        {
            var offerId = $"coupon:{campaignId}:{couponUpc}";
            if (!_coupons.TryGetValue(offerId, out var coupon))
            {
                coupon = new CouponDraft(offerId, couponUpc, Writer.OfferKey(offerId), Writer.CampaignKey(campaignId));
                _coupons.Add(offerId, coupon);
            }

            return coupon;
        }

        public (int Key, Channel Channel) Placement(string display, string mailer)
        {
            var offerId = $"placement:display={display}:mailer={mailer}";
            if (!_placements.TryGetValue(offerId, out var placement))
            {
                bool onDisplay = display != "0", inMailer = mailer != "0";
                placement = (Writer.OfferKey(offerId), onDisplay && inMailer ? Channel.Multichannel : inMailer ? Channel.Other : Channel.Store);
                _placements.Add(offerId, placement);
                var type = onDisplay && inMailer ? "display+mailer" : onDisplay ? "display" : inMailer ? "mailer" : "none";
                Writer.Upsert(new OfferRecord(placement.Key, offerId, null, null, type, Attributes.Of(("display_location", display), ("mailer_location", mailer))));
            }

            return placement;
        }

        public void Flush()
        {
            foreach (var coupon in _coupons.Values)
            {
                int? itemKey = coupon.Products.Count == 1 ? Item(coupon.Products[0]) : null;
                var products = new JsonArray();
                foreach (var product in coupon.Products)
                {
                    products.Add(product);
                }

                var attributes = new JsonObject
                {
                    ["coupon_upc"] = coupon.Upc,
                    ["product_count"] = coupon.Products.Count,
                    ["product_ids"] = products,
                };
                Writer.Upsert(new OfferRecord(coupon.OfferKey, coupon.OfferId, coupon.CampaignKey, itemKey, "coupon", attributes.ToJsonString()));
            }

            // Products sold, promoted or couponed that the product file lacks: items without category.
            foreach (var (key, productId) in _otherItems)
            {
                Writer.Upsert(new ItemRecord(key, productId, Currency: Currency));
            }
        }
    }

    /// <summary>One coupon UPC of one campaign, with the distinct products it is valid for.</summary>
    private sealed class CouponDraft(string offerId, string upc, int offerKey, int campaignKey)
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public string OfferId { get; } = offerId;

        public string Upc { get; } = upc;

        public int OfferKey { get; } = offerKey;

        public int CampaignKey { get; } = campaignKey;

        public List<string> Products { get; } = [];

        public void Add(string productId)
        {
            if (_seen.Add(productId))
            {
                Products.Add(productId);
            }
        }
    }
}
