using PromoPilot.Core.Campaigns;

namespace PromoPilot.Measurement.Experiments.Assignment;

/// <summary>
/// The one assignment of a campaign's targeted users to treatment or its randomized holdout, shared by the offline
/// launch (<c>promopilot campaign launch</c>) and the decision service so both put every user on the same side.
/// </summary>
public static class CampaignHoldout
{
    /// <summary>The arm of users who get the campaign's offers.</summary>
    public const string Treatment = "treatment";

    /// <summary>The arm of users kept out as the holdout.</summary>
    public const string Holdout = "holdout";

    /// <summary>
    /// The experiment that assigns the campaign: key = campaign id, one variant <see cref="Treatment"/>, a holdout of
    /// <see cref="CampaignDefinition.HoldoutFraction"/> hashed with the salt <c>(salt or id) + "/holdout"</c>.
    /// </summary>
    public static ExperimentDefinition Experiment(CampaignDefinition campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var salt = campaign.Salt ?? campaign.Id;
        return new ExperimentDefinition(
            campaign.Id,
            [new VariantDefinition(Treatment, 1)],
            Salt: salt,
            Holdout: campaign.HoldoutFraction > 0 ? new HoldoutDefinition(salt + "/holdout", campaign.HoldoutFraction) : null);
    }

    /// <summary>An assigner for the campaign; <see cref="Arm"/> reads its answers.</summary>
    public static Assigner Assigner(CampaignDefinition campaign) => new(Experiment(campaign));

    /// <summary>The user's arm: <see cref="Treatment"/> or <see cref="Holdout"/>.</summary>
    public static string Arm(Assigner assigner, string userId)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        return assigner.Assign(userId).Reason == AssignmentReason.Holdout ? Holdout : Treatment;
    }
}
