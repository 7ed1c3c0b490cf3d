using FsCheck;
using FsCheck.Fluent;
using PromoPilot.Core.Customers;
using PromoPilot.Features.Profiles;

namespace PromoPilot.Features.Tests.Profiles;

public class ProfileBuilderTests
{
    private static readonly DateTime AsOf = new(2024, 7, 1);

    [Fact]
    public void Scores_TenDistinctValues_AreQuintilesAndTiesShareAScore()
    {
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], ProfileBuilder.Scores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], higherIsBetter: true));
        Assert.Equal([5, 5, 4, 4, 3, 3, 2, 2, 1, 1], ProfileBuilder.Scores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], higherIsBetter: false));
        Assert.Equal([1, 1, 1, 1, 5], ProfileBuilder.Scores([3, 3, 3, 3, 9], higherIsBetter: true));
    }

    [Fact]
    public void Scores_AnyValues_AreBetween1And5MonotoneAndOrderFree()
    {
        Prop.ForAll(Gen.ListOf(Gen.Choose(0, 20).Select(v => (double)v)).Where(l => l.Count > 0).ToArbitrary(), values =>
        {
            var scores = ProfileBuilder.Scores(values, higherIsBetter: true);
            var reversed = ProfileBuilder.Scores(values.AsEnumerable().Reverse().ToList(), higherIsBetter: true);
            var monotone = values.Zip(scores).All(a => values.Zip(scores).All(b => a.First <= b.First ? a.Second <= b.Second : a.Second >= b.Second));
            return scores.All(s => s is >= 1 and <= 5) && monotone && scores.SequenceEqual(reversed.Reverse());
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(5, 5, 5, 10, "Champions")]
    [InlineData(3, 4, 3, 6, "Loyal")]
    [InlineData(5, 1, 1, 1, "New")]
    [InlineData(4, 2, 2, 2, "Potential loyalists")]
    [InlineData(3, 1, 2, 1, "Promising")]
    [InlineData(1, 5, 4, 20, "Can't lose them")]
    [InlineData(2, 3, 2, 4, "At risk")]
    [InlineData(2, 1, 1, 1, "Hibernating")]
    [InlineData(1, 2, 2, 2, "Hibernating")]
    [InlineData(1, 1, 1, 1, "Lost")]
    public void Group_Scores_GiveTheDocumentedGroup(int r, int f, int m, int orders, string expected) =>
        Assert.Equal(expected, ProfileBuilder.Group(r, f, m, orders));

    [Fact]
    public void Build_OneCustomer_ComputesEveryMeasure()
    {
        var activity = new CustomerActivity(7, new DateTime(2024, 1, 1), new DateTime(2024, 6, 1), Orders: 4, PurchaseDays: 3,
            Revenue: 400m, RefundedRevenue: 100m, DiscountedSpend: 125m, DiscountAmount: 50m, CouponRedemptions: 2,
            Views: 30, CartAdds: 6, [new ShareOf("Bakery", 0.75)], []);

        var profile = Assert.Single(ProfileBuilder.Build([activity], AsOf));

        Assert.Equal(30, profile.RecencyDays);
        Assert.Equal(4, profile.Frequency);
        Assert.Equal(400m, profile.Monetary);
        Assert.Equal(100m, profile.AverageOrderValue);
        Assert.Equal(182, profile.TenureDays);
        Assert.Equal(76, profile.InterPurchaseDays);
        Assert.Equal(0.25, profile.DiscountShare);        // 125 of 500 gross
        Assert.Equal(50.0 / 550, profile.DiscountDepth, 12); // 50 of 550 list price
        Assert.Equal((1, 1, 1), (profile.RecencyScore, profile.FrequencyScore, profile.MonetaryScore));
        Assert.Equal("Lost", profile.RfmGroup);
    }

    [Fact]
    public void Build_ActivityOnOrAfterTheCutOff_IsRefusedAsALeak()
    {
        var leaking = new CustomerActivity(1, new DateTime(2024, 1, 1), AsOf, 1, 1, 10m, 0m, 0m, 0m, 0, 0, 0, [], []);

        var error = Assert.Throws<ArgumentException>(() => ProfileBuilder.Build([leaking], AsOf));

        Assert.Contains("customer 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AllPurchasesOnOneDayAndZeroValue_GivesDefinedValues()
    {
        var sameDay = new DateTime(2024, 5, 1, 10, 0, 0);
        var oneDay = new CustomerActivity(1, sameDay, sameDay.AddHours(2), Orders: 3, PurchaseDays: 1, 0m, 0m, 0m, 0m, 0, 0, 0, [], []);
        var single = new CustomerActivity(2, sameDay, sameDay, Orders: 1, PurchaseDays: 1, 0m, 0m, 0m, 0m, 0, 0, 0, [], []);

        var profiles = ProfileBuilder.Build([oneDay, single], AsOf);

        Assert.All(profiles, p => Assert.Null(p.InterPurchaseDays));        // no repeat day: undefined, not 0 or NaN
        Assert.All(profiles, p => Assert.Equal(0m, p.AverageOrderValue));
        Assert.All(profiles, p => Assert.Equal((0.0, 0.0), (p.DiscountShare, p.DiscountDepth)));
        Assert.All(profiles, p => Assert.All(p.Features().Where(f => f.Key != "inter_purchase_days"), f => Assert.True(double.IsFinite(f.Value), f.Key)));
        Assert.Equal(3, profiles[0].Frequency);
    }

    [Fact]
    public void Build_NoCustomers_GivesNoProfiles() => Assert.Empty(ProfileBuilder.Build([], AsOf));
}
