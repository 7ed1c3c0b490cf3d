using PromoPilot.Ingestion;

namespace PromoPilot.Server;

/// <summary>
/// Turns the shopper ids a storefront sends into the ids the store holds: the keyed pseudonym when the store was
/// imported with one (the same key as the CLI: PROMOPILOT_PSEUDONYMIZATION_KEY or the key file beside the store),
/// else unchanged. A <see cref="Pseudonymizer"/> is not thread-safe, so each request thread gets its own.
/// </summary>
public sealed class UserIds(Func<Pseudonymizer>? pseudonymizer) : IDisposable
{
    private readonly ThreadLocal<Pseudonymizer>? _perThread = pseudonymizer is null ? null : new ThreadLocal<Pseudonymizer>(pseudonymizer);

    public string Internal(string userId) => _perThread?.Value!.Pseudonymize(userId) ?? userId;

    public void Dispose() => _perThread?.Dispose();
}
