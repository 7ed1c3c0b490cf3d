using PromoPilot.Features.Profiles;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Mapping;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Features.Tests.Profiles;

public class CustomerActivityQueryTests
{
    private const string Events = """
        user,item,kind,at,qty,price,discount,order
        ann,bread,view,2024-01-01 09:00:00,1,,,
        ann,bread,add_to_cart,2024-01-01 09:01:00,1,2.50,,
        ann,bread,purchase,2024-01-01 09:05:00,2,2.50,0.50,o1
        ann,milk,purchase,2024-01-01 09:05:00,1,1.00,,o1
        ann,milk,purchase,2024-01-11 10:00:00,3,1.00,,o2
        ann,milk,refund,2024-01-12 10:00:00,-1,1.00,,r1
        ann,coupon,offer_redemption,2024-01-11 10:00:00,1,,,
        bob,bread,purchase,2024-01-05 12:00:00,1,2.50,,o3
        bob,milk,purchase,2024-02-01 12:00:00,10,1.00,,o4
        """;

    private const string Mapping = """
        {"dataset": "shop", "columns": {"user_id": "user", "item_id": "item", "event_type": "kind", "timestamp": "at",
         "quantity": "qty", "unit_price": "price", "discount": "discount", "order_id": "order"}}
        """;

    [Fact]
    public void Load_HandBuiltShop_AggregatesEachCustomerBeforeTheCutOff()
    {
        using var store = ImportShop();
        var ann = store.Pseudonymizer.Pseudonymize("ann");

        var activities = CustomerActivityQuery.Load(store.Store, new DateTime(2024, 1, 20));

        Assert.Equal(2, activities.Count);
        var a = activities.Single(x => x.UserKey == store.Count($"SELECT user_key FROM users WHERE user_id = '{ann}'"));
        Assert.Equal((2, 2), (a.Orders, a.PurchaseDays));
        Assert.Equal(2 * 2.50m + 1.00m + 3 * 1.00m - 1.00m, a.Revenue);   // net of the refund
        Assert.Equal(1.00m, a.RefundedRevenue);
        Assert.Equal(5.00m, a.DiscountedSpend);
        Assert.Equal(0.50m, a.DiscountAmount);
        Assert.Equal((1, 1L, 1L), (a.CouponRedemptions, a.Views, a.CartAdds));
        Assert.Equal(new DateTime(2024, 1, 11, 10, 0, 0), a.LastPurchase);
    }

    [Fact]
    public void Load_CutOffBetweenPurchases_ReadsNothingAfterIt()
    {
        using var store = ImportShop();

        var early = CustomerActivityQuery.Load(store.Store, new DateTime(2024, 1, 10));
        var late = CustomerActivityQuery.Load(store.Store, new DateTime(2024, 3, 1));

        Assert.Equal([1, 1], early.Select(a => a.Orders).Order());
        Assert.Equal([2, 2], late.Select(a => a.Orders).Order());
        Assert.Equal(2 * 2.50m + 1.00m + 2.50m, early.Sum(a => a.Revenue));
        Assert.Equal(new DateTime(2024, 2, 1, 12, 0, 1), CustomerActivityQuery.DefaultAsOf(store.Store));
    }

    [Fact]
    public void Load_OneDatasetOfSeveral_ReadsOnlyItsCustomers()
    {
        using var store = ImportShop();
        store.Import(new OnlineRetailImporter(), Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz"));
        var asOf = new DateTime(2030, 1, 1);

        Assert.Equal(2, CustomerActivityQuery.Load(store.Store, asOf, "shop").Count);
        Assert.True(CustomerActivityQuery.Load(store.Store, asOf, "online_retail").Count > 300);
        Assert.Equal(CustomerActivityQuery.Load(store.Store, asOf).Count, CustomerActivityQuery.Load(store.Store, asOf, "shop").Count + CustomerActivityQuery.Load(store.Store, asOf, "online_retail").Count);
        Assert.Equal(new DateTime(2024, 2, 1, 12, 0, 1), CustomerActivityQuery.DefaultAsOf(store.Store, "shop"));
        Assert.Null(CustomerActivityQuery.DefaultAsOf(store.Store, "no_such_dataset"));
        Assert.Empty(BehaviourQuery.RepeatGaps(store.Store, asOf, "no_such_dataset"));
    }

    [DatasetFact("online_retail")]
    public void Build_OnlineRetail_MatchesAnIndependentCount()
    {
        using var store = new TestStore();
        store.Import(new OnlineRetailImporter(), SharedData.Path("online_retail", "online_retail.csv.gz"));
        var asOf = CustomerActivityQuery.DefaultAsOf(store.Store)!.Value;

        var profiles = ProfileBuilder.Build(CustomerActivityQuery.Load(store.Store, asOf), asOf)
            .ToDictionary(p => p.UserKey);

        // Counted with Python's csv module over the raw file (sales: not C/A invoices, quantity > 0; refunds: C invoices).
        Assert.Equal(new DateTime(2011, 12, 9, 12, 50, 1), asOf);
        Assert.Equal(4_339, profiles.Count);
        var p12748 = profiles[UserKey(store, "12748")];
        Assert.Equal((210, 29_072.10m), (p12748.Frequency, p12748.Monetary));
        Assert.Equal(3.3007128810226156, p12748.InterPurchaseDays!.Value, 9);
        Assert.Equal(0.020844907407407406, p12748.RecencyDays, 9);
        var p17850 = profiles[UserKey(store, "17850")];
        Assert.Equal((34, 5_288.63m), (p17850.Frequency, p17850.Monetary));
        Assert.Equal(371.89098379629627, p17850.RecencyDays, 9);
        var p12346 = profiles[UserKey(store, "12346")];
        Assert.Equal((1, 0.00m, (double?)null), (p12346.Frequency, p12346.Monetary, p12346.InterPurchaseDays));
        Assert.Equal(ProfileBuilder.RfmGroups.ToHashSet(), profiles.Values.Select(p => p.RfmGroup).ToHashSet());
    }

    private static TestStore ImportShop()
    {
        var store = new TestStore();
        var csv = Path.Combine(store.Folder, "events.csv");
        var mapping = Path.Combine(store.Folder, "mapping.json");
        File.WriteAllText(csv, Events);
        File.WriteAllText(mapping, Mapping);
        store.Import(MappedImporter.Load(mapping), csv);
        return store;
    }

    private static int UserKey(TestStore store, string rawId) =>
        (int)store.Count($"SELECT user_key FROM users WHERE user_id = '{store.Pseudonymizer.Pseudonymize(rawId)}'");
}
