using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using PromoPilot.Core.Serving;

namespace PromoPilot.Server.Security;

/// <summary>The roles of API keys (docs/decision-service.md). The dashboard reuses them.</summary>
public static class Roles
{
    /// <summary>Manages campaigns, experiments and keys; may do everything.</summary>
    public const string Admin = "admin";

    /// <summary>Reads campaigns, experiments, the audit log and metrics.</summary>
    public const string Analyst = "analyst";

    /// <summary>A storefront: asks for decisions, redeems them, sends events.</summary>
    public const string Decision = "decision";

    public static readonly IReadOnlyList<string> All = [Admin, Analyst, Decision];
}

/// <summary>
/// The API keys the server accepts, held as SHA-256 hashes (the secrets are random 256-bit strings, so a fast hash is
/// enough; the secret is shown once, when created). Lookups are cached by the presented secret.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly ConcurrentDictionary<string, StoredApiKey> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoredApiKey?> _bySecret = new(StringComparer.Ordinal);

    /// <summary>Replaces the known keys (revoked ones are kept out).</summary>
    public void Load(IEnumerable<StoredApiKey> keys)
    {
        var active = keys.Where(k => !k.Revoked).ToDictionary(k => k.SecretHash, StringComparer.Ordinal);
        foreach (var hash in _byHash.Keys.Where(h => !active.ContainsKey(h)))
        {
            _byHash.TryRemove(hash, out _);
        }

        foreach (var (hash, key) in active)
        {
            _byHash[hash] = key;
        }

        _bySecret.Clear();
    }

    /// <summary>The key a presented secret belongs to; null for an unknown or revoked one.</summary>
    public StoredApiKey? Find(string secret)
    {
        if (_bySecret.TryGetValue(secret, out var cached))
        {
            return cached;
        }

        var key = _byHash.GetValueOrDefault(Hash(secret));
        if (_bySecret.Count < 100_000)
        {
            _bySecret[secret] = key;
        }

        return key;
    }

    /// <summary>The active key with this id (the dashboard's cookie names the key by id); null when unknown or revoked.</summary>
    public StoredApiKey? FindById(string id) => _byHash.Values.FirstOrDefault(k => string.Equals(k.Id, id, StringComparison.Ordinal));

    /// <summary>A new random secret: "pp_" and 43 base64url characters.</summary>
    public static string NewSecret() => "pp_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A new random key id (12 hex digits).</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Lower-case hex SHA-256 of the secret.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
