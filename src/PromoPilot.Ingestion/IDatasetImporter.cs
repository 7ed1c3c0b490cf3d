using PromoPilot.Core.Storage;

namespace PromoPilot.Ingestion;

/// <summary>An adapter from one source format onto the canonical model.</summary>
public interface IDatasetImporter
{
    /// <summary>The --kind name ("online-retail").</summary>
    string Kind { get; }

    /// <summary>The dataset namespace identifiers live in ("online_retail").</summary>
    string Dataset { get; }

    /// <summary>The files this importer reads for an --input file or folder, in reading order.</summary>
    /// <exception cref="FileNotFoundException">A required file is missing; the message names it.</exception>
    IReadOnlyList<string> InputFiles(string input);

    void Import(ImportContext context);
}

/// <summary>Locates the files of a multi-file dataset inside its folder.</summary>
public static class InputFolder
{
    /// <summary>
    /// The path of <paramref name="fileName"/> in <paramref name="input"/> (a folder), also accepting a
    /// .gz sibling; throws naming the folder and file when it is missing.
    /// </summary>
    public static string Require(string input, string fileName)
    {
        var found = Find(input, fileName);
        return found ?? throw new FileNotFoundException($"{input}: expected the file {fileName} (or {fileName}.gz) in this folder.", Path.Combine(input, fileName));
    }

    private static string? Find(string input, string fileName)
    {
        if (!Directory.Exists(input))
        {
            throw new DirectoryNotFoundException($"{input}: the input must be the dataset's folder.");
        }

        foreach (var candidate in new[] { fileName, fileName + ".gz" })
        {
            var path = Path.Combine(input, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>A single-file dataset: the file itself, or the named file inside a folder.</summary>
    public static string SingleFile(string input, string fileName)
    {
        if (File.Exists(input))
        {
            return input;
        }

        return Directory.Exists(input) ? Require(input, fileName) : throw new FileNotFoundException($"{input}: no such file or folder.", input);
    }
}
