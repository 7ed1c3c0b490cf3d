namespace PromoPilot.Server.Security;

/// <summary>Authorization policies by what an endpoint does.</summary>
public static class Policies
{
    /// <summary>Decisions, redemptions, events: decision clients and admins.</summary>
    public const string Decide = "decide";

    /// <summary>Reading campaigns, experiments, audit: analysts and admins.</summary>
    public const string Read = "read";

    /// <summary>Changing campaigns, experiments, keys: admins.</summary>
    public const string Manage = "manage";
}
