using System.IO.Compression;
using System.Text.Json;

namespace PromoPilot.Models;

/// <summary>
/// The PromoPilot model file: a zip holding a JSON header (<see cref="HeaderEntry"/>, snake_case) and the models'
/// own entries (ML.NET model zips). Shared by the response and uplift models' Save/Load.
/// </summary>
internal static class ModelArchive
{
    /// <summary>The <c>format</c> every model header carries.</summary>
    public const string FileFormat = "promopilot-model";

    /// <summary>The header entry's name.</summary>
    public const string HeaderEntry = "promopilot-model.json";

    private static readonly JsonSerializerOptions FileJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Opens a model file for reading, leaving <paramref name="stream"/> open.</summary>
    /// <exception cref="InvalidDataException">The stream is not a zip archive.</exception>
    public static ZipArchive OpenRead(Stream stream)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException("not a PromoPilot model file (not a zip archive).", e);
        }
    }

    /// <summary>Writes the JSON header entry.</summary>
    public static void WriteHeader<THeader>(ZipArchive zip, THeader header)
    {
        using var entry = zip.CreateEntry(HeaderEntry).Open();
        JsonSerializer.Serialize(entry, header, FileJson);
    }

    /// <summary>Reads the JSON header entry.</summary>
    /// <exception cref="InvalidDataException">The archive has no header, or it is empty.</exception>
    public static THeader ReadHeader<THeader>(ZipArchive zip)
        where THeader : class
    {
        var headerEntry = zip.GetEntry(HeaderEntry) ?? throw new InvalidDataException($"not a PromoPilot model file (no {HeaderEntry}).");
        using var entry = headerEntry.Open();
        return JsonSerializer.Deserialize<THeader>(entry, FileJson) ?? throw new InvalidDataException($"{HeaderEntry} is empty.");
    }

    /// <summary>Writes an entry whose content <paramref name="save"/> writes (into a seekable buffer first).</summary>
    public static void WriteEntry(ZipArchive zip, string name, Action<Stream> save)
    {
        using var buffer = new MemoryStream();
        save(buffer);
        using var entry = zip.CreateEntry(name).Open();
        buffer.Position = 0;
        buffer.CopyTo(entry);
    }

    /// <summary>Reads an entry into a seekable buffer positioned at its start.</summary>
    /// <exception cref="InvalidDataException">The archive has no such entry (<paramref name="missing"/> says so).</exception>
    public static MemoryStream ReadEntry(ZipArchive zip, string name, string missing)
    {
        var part = zip.GetEntry(name) ?? throw new InvalidDataException(missing);
        var buffer = new MemoryStream();
        using (var entry = part.Open())
        {
            entry.CopyTo(buffer);
        }

        buffer.Position = 0;
        return buffer;
    }
}
