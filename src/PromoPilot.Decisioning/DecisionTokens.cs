using System.Buffers.Text;
using System.Security.Cryptography;
using PromoPilot.Core.Serving;

namespace PromoPilot.Decisioning;

/// <summary>
/// Turns what a decision granted into its decision id and back: the <see cref="DecisionRecord"/> sealed with AES-GCM
/// (encrypted, so the store's pseudonym of the shopper stays hidden, and authenticated, so no client can forge an
/// offer). A server keeps nothing per decision, so memory stays flat at any decision rate; every server sharing the
/// online state shares the key (<see cref="OpenAsync"/>). The record is packed in a compact binary layout
/// (<see cref="DecisionRecordCodec"/>): the id is sent with every decision and comes back with every redemption.
/// </summary>
public sealed class DecisionTokens : IDisposable
{
    /// <summary>Every decision id starts with this (a later format gets another).</summary>
    public const string Prefix = "d2.";

    /// <summary>The online-state key under which the sealing key is shared.</summary>
    public const string KeyName = "decision-token-key";

    /// <summary>The longest decision id accepted when opening (a sealed record of up to 10 offers fits well within).</summary>
    public const int MaxLength = 4096;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    // An AesGcm instance must not be used by two threads at once, so each thread gets its own, with its own nonces.
    private readonly ThreadLocal<Sealer> _sealers;

    /// <param name="key">32 random bytes.</param>
    public DecisionTokens(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException($"the key must be 32 bytes, not {key.Length}", nameof(key));
        }

        var copy = key.ToArray();
        _sealers = new ThreadLocal<Sealer>(() => new Sealer(new AesGcm(copy, TagBytes)), trackAllValues: true);
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
        var plainLength = DecisionRecordCodec.Size(record);
        var sealedLength = NonceBytes + plainLength + TagBytes;
        Span<byte> buffer = sealedLength <= 1024 ? stackalloc byte[2 * sealedLength] : new byte[2 * sealedLength];
        var plain = buffer.Slice(sealedLength, plainLength);
        DecisionRecordCodec.Write(record, plain);
        var sealedBytes = buffer[..sealedLength];
        var sealer = _sealers.Value!;
        sealer.NextNonce(sealedBytes[..NonceBytes]);
        sealer.Aes.Encrypt(sealedBytes[..NonceBytes], plain, sealedBytes.Slice(NonceBytes, plainLength), sealedBytes[(NonceBytes + plainLength)..]);
        return string.Create(Prefix.Length + Base64Url.GetEncodedLength(sealedLength), sealedBytes, static (chars, bytes) =>
        {
            Prefix.CopyTo(chars);
            Base64Url.EncodeToChars(bytes, chars[Prefix.Length..]);
        });
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
            _sealers.Value!.Aes.Decrypt(body[..NonceBytes], body.Slice(NonceBytes, plain.Length), body[^TagBytes..], plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return DecisionRecordCodec.Read(plain);
    }

    public void Dispose()
    {
        foreach (var sealer in _sealers.Values)
        {
            sealer.Aes.Dispose();
        }

        _sealers.Dispose();
    }

    /// <summary>
    /// A thread's cipher and nonce source. GCM needs a nonce never used twice with the key (which every server shares):
    /// a random 64-bit prefix, drawn afresh every 2^32 nonces, and a 32-bit counter. Cheaper than 12 random bytes per
    /// decision (a system call each), and a repeat needs two threads, on any server, to draw the same 64-bit prefix.
    /// </summary>
    private sealed class Sealer(AesGcm aes)
    {
        private ulong _prefix = NewPrefix();
        private uint _counter;

        public AesGcm Aes { get; } = aes;

        public void NextNonce(Span<byte> nonce)
        {
            if (_counter == uint.MaxValue)
            {
                _prefix = NewPrefix();
                _counter = 0;
            }

            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(nonce, _prefix);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(nonce[8..], _counter++);
        }

        private static ulong NewPrefix()
        {
            Span<byte> bytes = stackalloc byte[8];
            RandomNumberGenerator.Fill(bytes);
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }
    }
}
