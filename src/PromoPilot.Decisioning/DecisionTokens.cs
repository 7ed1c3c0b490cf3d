using System.Buffers.Text;
using System.Security.Cryptography;
using PromoPilot.Core.Serving;

namespace PromoPilot.Decisioning;

/// <summary>
/// Turns what a decision granted into its decision id and back: the <see cref="DecisionRecord"/> sealed with AES-GCM
/// (encrypted, so the store's pseudonym of the shopper stays hidden, and authenticated, so no client can forge an
/// offer). A server keeps nothing per decision, so memory stays flat at any decision rate; every server sharing the
/// online state shares the key (<see cref="OpenAsync"/>).
/// </summary>
public sealed class DecisionTokens : IDisposable
{
    /// <summary>Every decision id starts with this (a later format gets another).</summary>
    public const string Prefix = "d1.";

    /// <summary>The online-state key under which the sealing key is shared.</summary>
    public const string KeyName = "decision-token-key";

    /// <summary>The longest decision id accepted when opening (a sealed record of up to 10 offers fits well within).</summary>
    public const int MaxLength = 4096;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    // An AesGcm instance must not be used by two threads at once, so each thread gets its own.
    private readonly ThreadLocal<AesGcm> _aes;

    /// <param name="key">32 random bytes.</param>
    public DecisionTokens(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException($"the key must be 32 bytes, not {key.Length}", nameof(key));
        }

        var copy = key.ToArray();
        _aes = new ThreadLocal<AesGcm>(() => new AesGcm(copy, TagBytes), trackAllValues: true);
    }

    /// <summary>
    /// Reads the sealing key from the online state, creating it when none exists yet (the first server to start
    /// creates it; the others read the same one).
    /// </summary>
    public static async Task<DecisionTokens> OpenAsync(IOnlineState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var key = await state.GetOrAddAsync(KeyName, fresh, TimeSpan.FromDays(3650), cancellationToken).ConfigureAwait(false);
        return new DecisionTokens(Convert.FromBase64String(key));
    }

    /// <summary>The decision id that carries <paramref name="record"/>.</summary>
    public string Seal(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var plain = DecisionJson.SerializeToUtf8(record);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        _aes.Value!.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length));
        return Prefix + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The record a decision id carries; null when it is not one this key sealed (or was altered).</summary>
    public DecisionRecord? Open(string decisionId)
    {
        ArgumentNullException.ThrowIfNull(decisionId);
        if (decisionId.Length > MaxLength || !decisionId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var encoded = decisionId.AsSpan(Prefix.Length);
        var sealedBytes = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        if (Base64Url.DecodeFromChars(encoded, sealedBytes, out _, out var length) != System.Buffers.OperationStatus.Done || length < NonceBytes + TagBytes)
        {
            return null;
        }

        var body = sealedBytes.AsSpan(0, length);
        var plain = new byte[length - NonceBytes - TagBytes];
        try
        {
            _aes.Value!.Decrypt(body[..NonceBytes], body.Slice(NonceBytes, plain.Length), body[^TagBytes..], plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return DecisionJson.ParseRecord(plain);
    }

    public void Dispose()
    {
        foreach (var aes in _aes.Values)
        {
            aes.Dispose();
        }

        _aes.Dispose();
    }
}
