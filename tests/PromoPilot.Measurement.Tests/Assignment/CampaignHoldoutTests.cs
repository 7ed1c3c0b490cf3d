using System.Text;
using PromoPilot.Core.Campaigns;
using PromoPilot.Measurement.Experiments.Assignment;

namespace PromoPilot.Measurement.Tests.Assignment;

public class CampaignHoldoutTests
{
    [Fact]
    public void HoldsOut_ManyUsersAndCampaigns_AgreesWithTheLaunchAssignment()
    {
        var random = new Random(5);
        var heldOut = 0;
        var checkedUsers = 0;
        foreach (var fraction in new[] { 0, 0.01, 0.1, 0.37, 0.5 })
        {
            for (var c = 0; c < 6; c++)
            {
                var campaign = new CampaignDefinition($"camp{c}", "c", [new OfferDefinition("o", OfferType.AmountOff, Amount: 5)], CampaignStatus.Live, HoldoutFraction: fraction)
                    with { Salt = c % 2 == 0 ? null : $"salt-{c}" };
                var assigner = CampaignHoldout.Assigner(campaign);
                var test = CampaignHoldout.Test(campaign);
                for (var u = 0; u < 2_000; u++)
                {
                    var user = u % 3 == 0 ? $"user-{random.Next()}" : u % 3 == 1 ? random.Next(1, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"ü-{u}-ß";
                    var expected = CampaignHoldout.Arm(assigner, user) == CampaignHoldout.Holdout;
                    Assert.Equal(expected, test.HoldsOut(Encoding.UTF8.GetBytes(user)));
                    heldOut += expected ? 1 : 0;
                    checkedUsers++;
                }
            }
        }

        // Non-trivial: both arms occur (mean fraction 0.196 of 60,000 users).
        Assert.InRange(heldOut, 10_000, 13_500);
        Assert.Equal(60_000, checkedUsers);
    }
}
