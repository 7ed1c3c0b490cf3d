using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Customers;
using PromoPilot.Core.Rules;
using PromoPilot.Features.Segments;
using PromoPilot.Storage;
using PromoPilot.Storage.Campaigns;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Server.Campaigns;

/// <summary>A campaign file rejected: every problem, nothing written.</summary>
public sealed class CampaignRejectedException(string message, IReadOnlyList<string> problems) : ArgumentException(message)
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>The campaign's targeted users over the latest profiles: the audience rule and the segment (both when both are given).</summary>
public sealed record TargetedAudience(int ProfileVersion, IReadOnlyList<CustomerProfile> Profiles, int? SegmentRun);

/// <summary>What needs the store to check in a campaign (segment, audience rule against the profile schema), and its targeted users.</summary>
public static class CampaignAudience
{
    /// <summary>Problems only the store or the rule schema reveal: an audience that does not fit the profile fields, an unknown segment.</summary>
    public static IReadOnlyList<string> Problems(DuckDbCampaignStore campaigns, CampaignDefinition campaign) =>
        [.. RuleProblems(campaign), .. SegmentProblems(campaigns, campaign)];

    /// <summary>The audience rule's problems against the profile schema (fields and functions of docs/rules.md).</summary>
    public static IReadOnlyList<string> RuleProblems(CampaignDefinition campaign)
    {
        var problems = new List<string>();
        if (campaign.Audience is { } audience && !string.IsNullOrWhiteSpace(audience))
        {
            try
            {
                _ = Rule.Parse(audience, CustomerRuleContext.Schema);
            }
            catch (RuleSyntaxException e)
            {
                problems.Add($"audience: {e.Message}");
            }
        }

        return problems;
    }

    /// <summary>An unknown segment: not a segment name of the store's latest segmentation.</summary>
    public static IReadOnlyList<string> SegmentProblems(DuckDbCampaignStore campaigns, CampaignDefinition campaign)
    {
        var problems = new List<string>();
        if (campaign.Segment is { } segment)
        {
            var latest = campaigns.LatestSegmentation();
            if (latest is null)
            {
                problems.Add($"segment: unknown segment '{segment}': the store has no segmentation (run promopilot segment)");
            }
            else if (!latest.Value.Segments.ContainsKey(segment))
            {
                problems.Add($"segment: unknown segment '{segment}' (segmentation run {latest.Value.RunId} has {string.Join(", ", latest.Value.Segments.Keys.Select(k => $"'{k}'"))})");
            }
        }

        return problems;
    }

    /// <summary>The latest profiles the campaign targets.</summary>
    /// <exception cref="ArgumentException">No profiles, an unknown segment, a rule that does not fit, or a first-purchase campaign (not targetable from profiles).</exception>
    public static TargetedAudience Resolve(DuckDbStore store, DuckDbCampaignStore campaigns, CampaignDefinition campaign)
    {
        if (Problems(campaigns, campaign) is { Count: > 0 } problems)
        {
            throw new ArgumentException($"campaign '{campaign.Id}': {string.Join("; ", problems)}");
        }

        if (campaign.FirstPurchaseOnly)
        {
            throw new ArgumentException($"campaign '{campaign.Id}' targets first purchases only: profiles hold buyers, so it cannot be targeted from them yet.");
        }

        var (version, _, profiles) = ProfileTable.Load(store)
            ?? throw new ArgumentException("No customer profiles in this store: run `promopilot profile build` first.");
        IEnumerable<CustomerProfile> targeted = profiles;
        int? run = null;
        if (campaign.Segment is { } segment)
        {
            run = campaigns.LatestSegmentation()!.Value.RunId;
            var members = campaigns.SegmentMembers(run.Value, segment);
            targeted = targeted.Where(p => members.Contains(p.UserKey));
        }

        if (campaign.Audience is { } text)
        {
            var rule = Rule.Parse(text, CustomerRuleContext.Schema);
            var clv = CustomerClvTable.LoadValues(store);
            targeted = targeted.Where(p =>
            {
                var value = clv.TryGetValue(p.UserKey, out var v) ? v : (null, double.NaN);
                return rule.Matches(new CustomerRuleContext(p, value.Clv, double.IsNaN(value.ProbabilityAlive) ? null : value.ProbabilityAlive));
            });
        }

        return new TargetedAudience(version, [.. targeted], run);
    }
}
