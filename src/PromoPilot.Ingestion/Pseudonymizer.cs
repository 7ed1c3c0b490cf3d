using System.Security.Cryptography;
using System.Text;

namespace PromoPilot.Ingestion;

/// <summary>
/// Replaces customer identifiers by a keyed hash (HMAC-SHA256, first 128 bits, hex) at the door, so the
/// raw identifier never reaches the store. Without the key the mapping cannot be recomputed or reversed;
/// with it, a deletion request for a known raw id finds that customer's rows. Not thread-safe: one per import.
/// </summary>
public sealed class Pseudonymizer
{
    public const int KeyBytes = 32;
    private const string Prefix = "u_";
    private readonly IncrementalHash _hmac;

    public Pseudonymizer(ReadOnlySpan<byte> key)
    {
        if (key.Length < KeyBytes)
        {
            throw new ArgumentException($"The pseudonymization key must be at least {KeyBytes} bytes; it has {key.Length}.", nameof(key));
        }

        // One keyed context reused for every id: re-keying per call costs several times the hash itself.
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
    }

    public string Pseudonymize(ReadOnlySpan<char> rawId)
    {
        Span<byte> utf8 = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(rawId.Length) <= utf8.Length
            ? utf8[..Encoding.UTF8.GetBytes(rawId, utf8)]
            : Encoding.UTF8.GetBytes(rawId.ToArray());
        Span<byte> hash = stackalloc byte[32];
        _hmac.AppendData(bytes);
        _hmac.GetHashAndReset(hash);
        return string.Concat(Prefix, Convert.ToHexStringLower(hash[..16]));
    }

    /// <summary>
    /// The key from <paramref name="hexKey"/> (configuration) when given, else from <paramref name="keyFile"/>,
    /// generated there with owner-only permissions on first use.
    /// </summary>
    public static Pseudonymizer FromKeySource(string? hexKey, string keyFile)
    {
        if (!string.IsNullOrWhiteSpace(hexKey))
        {
            return new Pseudonymizer(ParseKey(hexKey, "configuration"));
        }

        if (File.Exists(keyFile))
        {
            return new Pseudonymizer(ParseKey(File.ReadAllText(keyFile), keyFile));
        }

        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var directory = Path.GetDirectoryName(Path.GetFullPath(keyFile));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(new FileStream(keyFile, options)))
        {
            writer.WriteLine(Convert.ToHexStringLower(key));
        }

        return new Pseudonymizer(key);
    }

    private static byte[] ParseKey(string text, string source)
    {
        try
        {
            return Convert.FromHexString(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"The pseudonymization key from {source} is not hexadecimal.");
        }
    }
}
