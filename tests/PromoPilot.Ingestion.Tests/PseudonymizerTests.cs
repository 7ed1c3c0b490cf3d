namespace PromoPilot.Ingestion.Tests;

public sealed class PseudonymizerTests : IDisposable
{
    /// <summary>Bytes 0, 1, ..., 31.</summary>
    private static readonly byte[] Key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "promopilot-tests", Guid.NewGuid().ToString("N"));

    // Computed independently with Python's hmac module:
    // python3 -c "import hmac,hashlib; k=bytes(range(32)); [print(repr(i), 'u_'+hmac.new(k,i.encode(),hashlib.sha256).hexdigest()[:32]) for i in ['17850','12346','','Jürgen-日本-😀']]"
    [Theory]
    [InlineData("17850", "u_83f1a268ec012f43eb67a37de83b9fcb")]
    [InlineData("12346", "u_14c0168b18cf53e8ae99a4d37e2d85e1")]
    [InlineData("", "u_d38b42096d80f45f826b44a9d5607de7")]
    [InlineData("Jürgen-日本-😀", "u_eb037c3ce38834cf266371987ed7ce01")]
    public void Pseudonymize_KnownKeyAndId_MatchesPythonHmacSha256(string id, string expected) =>
        Assert.Equal(expected, new Pseudonymizer(Key).Pseudonymize(id));

    [Fact]
    public void Pseudonymize_SameIdTwice_GivesTheSamePseudonym()
    {
        var pseudonymizer = new Pseudonymizer(Key);

        var first = pseudonymizer.Pseudonymize("17850");
        pseudonymizer.Pseudonymize("something else in between");

        Assert.Equal(first, pseudonymizer.Pseudonymize("17850"));
        Assert.Equal(first, new Pseudonymizer(Key).Pseudonymize("17850"));
    }

    [Fact]
    public void Pseudonymize_DifferentIds_GiveDifferentPseudonymsOfTheDocumentedShape()
    {
        var pseudonymizer = new Pseudonymizer(Key);
        var ids = Enumerable.Range(0, 1_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var pseudonyms = ids.Select(id => pseudonymizer.Pseudonymize(id)).ToList();

        Assert.Equal(ids.Count, pseudonyms.Distinct().Count());
        Assert.All(pseudonyms, p => Assert.Matches("^u_[0-9a-f]{32}$", p));
    }

    [Fact]
    public void Pseudonymize_DifferentKeys_GiveDifferentPseudonyms()
    {
        var otherKey = (byte[])Key.Clone();
        otherKey[31] ^= 1;

        Assert.NotEqual(new Pseudonymizer(Key).Pseudonymize("17850"), new Pseudonymizer(otherKey).Pseudonymize("17850"));
    }

    [Fact]
    public void Pseudonymize_IdLongerThanTheStackBuffer_MatchesPythonHmacSha256()
    {
        // python3 -c "import hmac,hashlib; print('u_'+hmac.new(bytes(range(32)),('é'*300).encode(),hashlib.sha256).hexdigest()[:32])"
        Assert.Equal("u_dc5662e139237ed27ef3c301715ca1bd", new Pseudonymizer(Key).Pseudonymize(new string('é', 300)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    public void Constructor_KeyShorterThan32Bytes_ThrowsArgumentException(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => new Pseudonymizer(new byte[length]));
        Assert.Equal("key", error.ParamName);
    }

    [Fact]
    public void Constructor_KeyLongerThan32Bytes_IsAccepted() =>
        Assert.StartsWith("u_", new Pseudonymizer(new byte[64]).Pseudonymize("1"), StringComparison.Ordinal);

    [Fact]
    public void FromKeySource_NoKeyFile_CreatesOwnerOnlyKeyFileAndReusesItNextTime()
    {
        var keyFile = Path.Combine(_folder, "secrets", "pseudonym.key");

        var first = Pseudonymizer.FromKeySource(null, keyFile);

        Assert.True(File.Exists(keyFile));
        Assert.Matches("^[0-9a-f]{64}$", File.ReadAllText(keyFile).Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        var written = File.ReadAllText(keyFile);
        var second = Pseudonymizer.FromKeySource("  ", keyFile);
        Assert.Equal(written, File.ReadAllText(keyFile));
        Assert.Equal(first.Pseudonymize("17850"), second.Pseudonymize("17850"));
        Assert.Equal(new Pseudonymizer(Convert.FromHexString(written.Trim())).Pseudonymize("17850"), second.Pseudonymize("17850"));
    }

    [Fact]
    public void FromKeySource_TwoFreshKeyFiles_GetDifferentKeys()
    {
        var a = Pseudonymizer.FromKeySource(null, Path.Combine(_folder, "a.key"));
        var b = Pseudonymizer.FromKeySource(null, Path.Combine(_folder, "b.key"));

        Assert.NotEqual(a.Pseudonymize("17850"), b.Pseudonymize("17850"));
    }

    [Fact]
    public void FromKeySource_HexKeyGiven_UsesItAndIgnoresTheFile()
    {
        var keyFile = Path.Combine(_folder, "unused.key");

        var pseudonymizer = Pseudonymizer.FromKeySource(Convert.ToHexString(Key), keyFile);

        Assert.Equal("u_83f1a268ec012f43eb67a37de83b9fcb", pseudonymizer.Pseudonymize("17850"));
        Assert.False(File.Exists(keyFile));
    }

    [Fact]
    public void FromKeySource_NonHexConfiguredKey_ThrowsInvalidDataException()
    {
        var error = Assert.Throws<InvalidDataException>(() => Pseudonymizer.FromKeySource("not-hex-" + new string('z', 56), Path.Combine(_folder, "k.key")));
        Assert.Contains("configuration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromKeySource_NonHexKeyFile_ThrowsInvalidDataExceptionNamingTheFile()
    {
        Directory.CreateDirectory(_folder);
        var keyFile = Path.Combine(_folder, "bad.key");
        File.WriteAllText(keyFile, "this is not a hexadecimal key\n");

        var error = Assert.Throws<InvalidDataException>(() => Pseudonymizer.FromKeySource(null, keyFile));
        Assert.Contains(keyFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromKeySource_ShortHexKeyFile_ThrowsArgumentException()
    {
        Directory.CreateDirectory(_folder);
        var keyFile = Path.Combine(_folder, "short.key");
        File.WriteAllText(keyFile, Convert.ToHexString(new byte[16]));

        Assert.Throws<ArgumentException>(() => Pseudonymizer.FromKeySource(null, keyFile));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
