using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using DuckDB.NET.Data;
using Spectre.Console;

namespace PromoPilot.Cli;

/// <summary>Where a command writes: results on stdout (one JSON object with --json), progress and logs on stderr.</summary>
public sealed record CliConsole(TextWriter Output, TextWriter Error, TimeProvider Clock, bool Interactive)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A Spectre console on stdout for tables (plain text when not a terminal).</summary>
    public IAnsiConsole Tables => _tables ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Output),
        Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
    });

    /// <summary>A Spectre console on stderr for progress bars (only drawn when stderr is a terminal).</summary>
    public IAnsiConsole Progress => _progress ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Error),
        Interactive = InteractionSupport.Yes,
    });

    private IAnsiConsole? _tables;
    private IAnsiConsole? _progress;

    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, Json));

    public void Log(string message) => Error.WriteLine(message);

    /// <summary>Runs a command body; errors a user can fix are reported in one line (and as JSON with --json), exit code 1.</summary>
    public int Guard(bool json, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or DuckDBException or UnauthorizedAccessException or JsonException or FormatException)
        {
            Error.WriteLine($"error: {e.Message}");
            if (json)
            {
                WriteJson(new { error = e.Message });
            }

            return 1;
        }
    }
}
