using PromoPilot.Campaigns.Workflow;
using PromoPilot.Core.Campaigns;

namespace PromoPilot.Campaigns.Tests.Workflow;

public class CampaignWorkflowTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static CampaignDefinition Campaign(CampaignStatus status = CampaignStatus.Draft) =>
        new("c1", "C1", [new OfferDefinition("o", OfferType.AmountOff, Amount: 5)], status, Ends: Start.AddDays(7));

    [Fact]
    public void FullLifeCycle_RecordsWhoWhatWhenAtEachVersion()
    {
        var clock = new ManualClock(Start);
        var workflow = new CampaignWorkflow(clock);
        var created = workflow.Create(Campaign(CampaignStatus.Live), "ana");
        var steps = new List<CampaignAuditEntry> { created.Audit };
        var campaign = created.Campaign;
        foreach (var action in new[] { CampaignAction.Forecast, CampaignAction.Approve, CampaignAction.Launch, CampaignAction.Pause, CampaignAction.Resume, CampaignAction.Finish })
        {
            clock.Advance(TimeSpan.FromHours(1));
            var step = workflow.Apply(campaign, steps[^1].Version, action, action == CampaignAction.Approve ? "lead" : "ana");
            campaign = step.Campaign;
            steps.Add(step.Audit);
        }

        Assert.Equal(CampaignStatus.Finished, campaign.Status);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], steps.Select(s => s.Version));
        Assert.Equal(
            [CampaignStatus.Draft, CampaignStatus.Forecast, CampaignStatus.Approved, CampaignStatus.Live, CampaignStatus.Paused, CampaignStatus.Live, CampaignStatus.Finished],
            steps.Select(s => s.To));
        Assert.Equal(steps.Skip(1).Select(s => s.From), steps.SkipLast(1).Select(s => (CampaignStatus?)s.To));
        Assert.Equal(Start.AddHours(2), steps[2].At);
        Assert.Equal("lead", steps[2].Actor);
        Assert.Null(steps[0].From); // the file said live; creation always makes a draft
    }

    [Theory]
    [InlineData(CampaignStatus.Draft, CampaignAction.Launch, "it can edit, forecast")]
    [InlineData(CampaignStatus.Draft, CampaignAction.Approve, "forecast it first")]
    [InlineData(CampaignStatus.Live, CampaignAction.Edit, "it can pause, finish")]
    [InlineData(CampaignStatus.Finished, CampaignAction.Resume, "it can do nothing more")]
    [InlineData(CampaignStatus.Approved, CampaignAction.Pause, "it can edit, launch")]
    public void Apply_ActionNotAllowed_NamesWhatIs(CampaignStatus status, CampaignAction action, string hint)
    {
        var workflow = new CampaignWorkflow(new ManualClock(Start));

        var error = Assert.Throws<CampaignWorkflowException>(() => workflow.Apply(Campaign(status), 3, action, "ana"));

        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_EveryStatusAndAction_MovesExactlyAsTheTableSays()
    {
        var workflow = new CampaignWorkflow(new ManualClock(Start));
        var expected = new Dictionary<(CampaignStatus, CampaignAction), CampaignStatus>
        {
            [(CampaignStatus.Draft, CampaignAction.Edit)] = CampaignStatus.Draft,
            [(CampaignStatus.Forecast, CampaignAction.Edit)] = CampaignStatus.Draft,
            [(CampaignStatus.Approved, CampaignAction.Edit)] = CampaignStatus.Draft,
            [(CampaignStatus.Draft, CampaignAction.Forecast)] = CampaignStatus.Forecast,
            [(CampaignStatus.Forecast, CampaignAction.Forecast)] = CampaignStatus.Forecast,
            [(CampaignStatus.Forecast, CampaignAction.Approve)] = CampaignStatus.Approved,
            [(CampaignStatus.Approved, CampaignAction.Launch)] = CampaignStatus.Live,
            [(CampaignStatus.Live, CampaignAction.Pause)] = CampaignStatus.Paused,
            [(CampaignStatus.Paused, CampaignAction.Resume)] = CampaignStatus.Live,
            [(CampaignStatus.Live, CampaignAction.Finish)] = CampaignStatus.Finished,
            [(CampaignStatus.Paused, CampaignAction.Finish)] = CampaignStatus.Finished,
        };
        foreach (var status in Enum.GetValues<CampaignStatus>())
        {
            foreach (var action in Enum.GetValues<CampaignAction>().Where(a => a != CampaignAction.Create))
            {
                var campaign = Campaign(status);
                if (expected.TryGetValue((status, action), out var to))
                {
                    Assert.Equal(to, workflow.Apply(campaign, 1, action, "ana", edited: campaign).Campaign.Status);
                }
                else
                {
                    Assert.Throws<CampaignWorkflowException>(() => workflow.Apply(campaign, 1, action, "ana", edited: campaign));
                }
            }
        }
    }

    [Fact]
    public void Approve_DraftExplicitlyWithoutForecast_IsRecordedAsSuch()
    {
        var step = new CampaignWorkflow(new ManualClock(Start)).Apply(Campaign(), 1, CampaignAction.Approve, "lead", withoutForecast: true);

        Assert.Equal(CampaignStatus.Approved, step.Campaign.Status);
        Assert.Equal("approved without a forecast", step.Audit.Detail);
    }

    [Fact]
    public void Launch_AfterTheWindowEnded_IsRefused()
    {
        var workflow = new CampaignWorkflow(new ManualClock(Start.AddDays(8)));

        var error = Assert.Throws<CampaignWorkflowException>(() => workflow.Apply(Campaign(CampaignStatus.Approved), 4, CampaignAction.Launch, "ana"));

        Assert.Contains("ended", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CampaignWithProblems_IsRejectedListingThem()
    {
        var bad = Campaign() with { Budget = -1, HoldoutFraction = 2 };

        var error = Assert.Throws<ArgumentException>(() => new CampaignWorkflow(new ManualClock(Start)).Create(bad, "ana"));

        Assert.Contains("budget: -1 is negative", error.Message, StringComparison.Ordinal);
        Assert.Contains("holdout_fraction: 2 must lie in [0, 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Edit_ChangedDefinition_ReturnsToDraftWithTheNewOffers()
    {
        var edited = Campaign() with { Offers = [new OfferDefinition("o2", OfferType.PercentOff, Percent: 0.2m)] };

        var step = new CampaignWorkflow(new ManualClock(Start)).Apply(Campaign(CampaignStatus.Approved), 3, CampaignAction.Edit, "ana", edited: edited);

        Assert.Equal(CampaignStatus.Draft, step.Campaign.Status);
        Assert.Equal("o2", step.Campaign.Offers[0].Id);
        Assert.Equal(4, step.Audit.Version);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
