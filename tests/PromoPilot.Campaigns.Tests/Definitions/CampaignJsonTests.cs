using PromoPilot.Core.Campaigns;

namespace PromoPilot.Campaigns.Tests.Definitions;

public class CampaignJsonTests
{
    private const string ValidFile = """
        {
          "id": "winter-26",
          "name": "Winter coupons",
          "starts": "2026-11-23T00:00:00Z",
          "ends": "2026-12-07T00:00:00Z",
          "audience": "recency_days > 90",
          "budget": 10000,
          "holdout_fraction": 0.1,
          "offers": [
            { "id": "ten", "type": "percent_off", "percent": 0.1, "cap": 50, "scope": { "brands": ["Acme"] } },
            { "id": "manjian", "type": "spend_threshold", "tiers": [ { "threshold": 100, "save": 10 }, { "threshold": 200, "save": 25 } ] }
          ]
        }
        """;

    [Fact]
    public void Parse_ValidFile_ReadsEveryField()
    {
        var (campaign, problems) = CampaignJson.Parse(ValidFile, "campaign.json");

        Assert.Empty(problems);
        Assert.NotNull(campaign);
        Assert.Equal("winter-26", campaign.Id);
        Assert.Equal(CampaignStatus.Draft, campaign.Status);
        Assert.Equal(10_000m, campaign.Budget);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), campaign.Ends);
        Assert.Equal(OfferType.PercentOff, campaign.Offers[0].Type);
        Assert.Equal(["Acme"], campaign.Offers[0].Scope!.Brands!);
        Assert.Equal(new OfferTier(200, 25), campaign.Offers[1].Tiers![1]);
    }

    [Fact]
    public void Parse_WrittenThenRead_GivesTheSameCampaign()
    {
        var (campaign, _) = CampaignJson.Parse(ValidFile, "campaign.json");

        var text = System.Text.Json.JsonSerializer.Serialize(campaign, CampaignJson.Options);
        var (again, problems) = CampaignJson.Parse(text, "round trip");

        Assert.Empty(problems);
        Assert.Contains("\"spend_threshold\"", text, StringComparison.Ordinal);
        Assert.Equal(text, System.Text.Json.JsonSerializer.Serialize(again, CampaignJson.Options));
    }

    [Fact]
    public void Parse_Contradictions_ListsEveryProblemWithTheSource()
    {
        var json = ValidFile
            .Replace("\"budget\": 10000", "\"budget\": -1", StringComparison.Ordinal)
            .Replace("2026-12-07", "2026-11-01", StringComparison.Ordinal)
            .Replace("\"threshold\": 200, \"save\": 25", "\"threshold\": 50, \"save\": 25", StringComparison.Ordinal)
            .Replace("\"id\": \"manjian\"", "\"id\": \"ten\"", StringComparison.Ordinal);

        var (campaign, problems) = CampaignJson.Parse(json, "campaign.json");

        Assert.NotNull(campaign);
        Assert.Equal(
            [
                "campaign.json: ends: the window ends before it starts",
                "campaign.json: budget: -1 is negative",
                "campaign.json: offers[1].tiers[1]: thresholds and savings must both increase (tiers not increasing)",
                "campaign.json: offers: id 'ten' used by 2 offers",
            ],
            problems);
    }

    [Fact]
    public void Parse_UnknownField_IsRejectedNamingLineAndField()
    {
        var json = ValidFile.Replace("\"budget\": 10000", "\"budgett\": 10000", StringComparison.Ordinal);

        var (campaign, problems) = CampaignJson.Parse(json, "campaign.json");

        Assert.Null(campaign);
        var problem = Assert.Single(problems);
        Assert.StartsWith("campaign.json: line 7, field $.budgett:", problem, StringComparison.Ordinal);
        Assert.Contains("budgett", problem[problem.IndexOf(':', 14)..], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongType_IsRejectedNamingLineAndField()
    {
        var json = ValidFile.Replace("\"cap\": 50", "\"cap\": \"fifty\"", StringComparison.Ordinal);

        var (campaign, problems) = CampaignJson.Parse(json, "campaign.json");

        Assert.Null(campaign);
        Assert.StartsWith("campaign.json: line 10, field $.offers[0].cap:", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownOfferType_IsRejectedNamingTheField()
    {
        var json = ValidFile.Replace("\"percent_off\"", "\"percentage\"", StringComparison.Ordinal);

        var (campaign, problems) = CampaignJson.Parse(json, "campaign.json");

        Assert.Null(campaign);
        Assert.StartsWith("campaign.json: line 10, field $.offers[0].type:", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingRequiredField_IsRejected()
    {
        var json = ValidFile.Replace("\"name\": \"Winter coupons\",", string.Empty, StringComparison.Ordinal);

        var (campaign, problems) = CampaignJson.Parse(json, "campaign.json");

        Assert.Null(campaign);
        Assert.Contains("name", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "campaign.json: line 1, field $:")]
    [InlineData("null", "campaign.json: expected a campaign object, got null")]
    [InlineData("[1, 2]", "campaign.json: line 1, field $:")]
    [InlineData("{ \"id\": \"x\",\n  \"name\": \"y\",\n  \"offers\": [ }", "campaign.json: line 3, field $.offers")]
    public void Parse_NotACampaign_GivesOneProblem(string json, string start)
    {
        var (campaign, problems) = CampaignJson.Parse(json, "campaign.json");

        Assert.Null(campaign);
        Assert.StartsWith(start, Assert.Single(problems), StringComparison.Ordinal);
    }
}
