using System.Text.Json;
using PromoPilot.Core.Modeling;

namespace PromoPilot.Storage.Models;

/// <summary>
/// Versioned model registry: model files in a folder beside the DuckDB file (<c>models/NAME/vN.model</c>) and one row
/// per version in the table <c>model_registry</c> with the metadata (data range, features, parameters, metrics,
/// seed, created time). Models serialize themselves to a stream; the registry only stores the bytes and refuses to
/// open a version whose feature schema differs from the caller's data.
/// </summary>
public sealed class ModelRegistry
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS model_registry (
            name VARCHAR NOT NULL, version INTEGER NOT NULL, kind VARCHAR NOT NULL, learner VARCHAR NOT NULL,
            created_at TIMESTAMPTZ NOT NULL, file VARCHAR NOT NULL, metadata VARCHAR NOT NULL, PRIMARY KEY (name, version));
        """;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly DuckDbStore _store;
    private readonly TimeProvider _clock;

    /// <param name="store">The store whose table holds the metadata.</param>
    /// <param name="clock">Source of the created time.</param>
    /// <param name="folder">Where model files go; null = "models" beside the DuckDB file (required for an in-memory store).</param>
    public ModelRegistry(DuckDbStore store, TimeProvider clock, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _clock = clock;
        Folder = folder ?? (store.Path == ":memory:"
            ? throw new ArgumentException("an in-memory store has no folder: pass one for the model files.", nameof(folder))
            : Path.Combine(Path.GetDirectoryName(store.Path) ?? ".", "models"));
        _store.Execute(Create);
    }

    /// <summary>The folder holding the model files.</summary>
    public string Folder { get; }

    /// <summary>Stores a new version of the named model; returns its metadata with the version and created time filled in.</summary>
    /// <param name="metadata">What the model was trained on (Version and CreatedAt are assigned here).</param>
    /// <param name="write">Writes the model to the stream (e.g. <c>model.Save</c>).</param>
    /// <exception cref="ArgumentException">The name is empty or not usable as a folder name, or no features are listed.</exception>
    public ModelMetadata Register(ModelMetadata metadata, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(write);
        if (string.IsNullOrWhiteSpace(metadata.Name) || metadata.Name.IndexOfAny([.. Path.GetInvalidFileNameChars(), '.', ' ']) >= 0)
        {
            throw new ArgumentException($"model name '{metadata.Name}' must be letters, digits, '-' or '_'.", nameof(metadata));
        }

        if (metadata.Features.Count == 0)
        {
            throw new ArgumentException($"model '{metadata.Name}' lists no features: its schema could not be checked on load.", nameof(metadata));
        }

        var version = _store.Scalar<int>("SELECT coalesce(max(version), 0) + 1 FROM model_registry WHERE name = $name", ("name", metadata.Name));
        var registered = metadata with { Version = version, CreatedAt = _clock.GetUtcNow() };
        var directory = Path.Combine(Folder, metadata.Name);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"v{version}.model");
        using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
        {
            write(stream);
        }

        _store.Execute(
            "INSERT INTO model_registry VALUES ($name, $version, $kind, $learner, $at, $file, $metadata)",
            ("name", registered.Name), ("version", version), ("kind", registered.Kind), ("learner", registered.Learner),
            ("at", registered.CreatedAt.UtcDateTime), ("file", Path.GetRelativePath(Folder, file)), ("metadata", JsonSerializer.Serialize(registered, Json)));
        return registered;
    }

    /// <summary>Every registered version, by name then version; only the named model's when <paramref name="name"/> is given.</summary>
    public IReadOnlyList<ModelMetadata> List(string? name = null) =>
        [.. _store.Query(
                "SELECT metadata FROM model_registry WHERE $name IS NULL OR name = $name ORDER BY name, version",
                ("name", name))
            .Select(r => Deserialize((string)r["metadata"]!))];

    /// <summary>The metadata of one version (the latest when <paramref name="version"/> is null).</summary>
    /// <exception cref="KeyNotFoundException">No such model or version.</exception>
    public ModelMetadata Find(string name, int? version = null) => Deserialize(Row(name, version).Metadata);

    /// <summary>
    /// Opens a version's file for reading after checking that the caller's features match the ones it was trained on.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such model or version.</exception>
    /// <exception cref="ModelSchemaException">The features differ (the message lists missing, unexpected and changed ones).</exception>
    public Stream Open(string name, int? version, IReadOnlyList<ModelFeature> features, out ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(features);
        var row = Row(name, version);
        metadata = Deserialize(row.Metadata);
        metadata.CheckSchema(features);
        var file = Path.Combine(Folder, row.File);
        return File.Exists(file)
            ? new FileStream(file, FileMode.Open, FileAccess.Read)
            : throw new FileNotFoundException($"model '{name}' v{metadata.Version}: its file {file} is gone.", file);
    }

    private (string Metadata, string File) Row(string name, int? version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var rows = _store.Query(
            "SELECT metadata, file FROM model_registry WHERE name = $name AND ($version IS NULL OR version = $version) ORDER BY version DESC LIMIT 1",
            ("name", name), ("version", version));
        if (rows.Count == 0)
        {
            var known = _store.Query("SELECT DISTINCT name FROM model_registry ORDER BY name").Select(r => (string)r["name"]!).ToList();
            throw new KeyNotFoundException(version is null
                ? $"no model named '{name}' in the registry (models: {(known.Count == 0 ? "none" : string.Join(", ", known))})."
                : $"model '{name}' has no version {version}.");
        }

        return ((string)rows[0]["metadata"]!, (string)rows[0]["file"]!);
    }

    private static ModelMetadata Deserialize(string json) =>
        JsonSerializer.Deserialize<ModelMetadata>(json, Json) ?? throw new InvalidDataException("empty model metadata in model_registry.");
}
