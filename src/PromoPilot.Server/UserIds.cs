using PromoPilot.Ingestion;

namespace PromoPilot.Server;

/// <summary>
/// Turns the shopper ids a storefront sends into the ids the store holds: the keyed pseudonym when the store was
/// imported with one (the same key as the CLI: PROMOPILOT_PSEUDONYMIZATION_KEY or the key file beside the store),
/// else unchanged.
/// </summary>
public sealed class UserIds(Pseudonymizer? pseudonymizer)
{
    public string Internal(string userId) => pseudonymizer?.Pseudonymize(userId) ?? userId;
}
