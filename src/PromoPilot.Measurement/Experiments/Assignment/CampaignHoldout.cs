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

    /// <summary>
    /// The campaign's holdout test alone, for the decision service, which asks it of every live campaign on every
    /// request: the experiment of <see cref="Experiment"/> has no targeting, no layer and one variant over every
    /// bucket, so a user is held out exactly when the holdout hash falls below the share, and that is one hash of
    /// the user id encoded once per request rather than three per campaign.
    /// </summary>
    public static HoldoutTest Test(CampaignDefinition campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return campaign.HoldoutFraction > 0 ? new HoldoutTest(UnitHash.Seed((campaign.Salt ?? campaign.Id) + "/holdout"), campaign.HoldoutFraction) : default;
    }
}

/// <summary>A campaign's holdout as a seed and a share (<see cref="CampaignHoldout.Test"/>).</summary>
public readonly record struct HoldoutTest(uint Seed, double Share)
{
    /// <summary>Whether the user, as UTF-8 bytes, is in the holdout; the same answer as <see cref="CampaignHoldout.Arm"/>.</summary>
    public bool HoldsOut(ReadOnlySpan<byte> utf8UserId) => Share > 0 && UnitHash.UnitInterval(MurmurHash3.Hash32(utf8UserId, Seed)) < Share;
}
