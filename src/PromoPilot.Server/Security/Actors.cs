using System.Security.Claims;

namespace PromoPilot.Server.Security;

/// <summary>Who made a management call, as the audit log records it.</summary>
public static class Actors
{
    /// <summary>The key's name and id, and its role.</summary>
    public static (string Actor, string Role) Of(ClaimsPrincipal user) =>
        ($"{user.FindFirstValue("key_name")} ({user.Identity?.Name})", user.FindFirstValue(ClaimTypes.Role) ?? "none");
}
