using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PromoPilot.Core.Campaigns;

namespace PromoPilot.Server.Http;

/// <summary>RFC 7807 problem details for every refusal, and the one way request bodies are read.</summary>
public static class Problems
{
    /// <summary>Writes a problem details response.</summary>
    public static Task Write(HttpContext context, int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json");
    }

    /// <summary>A problem result.</summary>
    public static IResult Result(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);

    /// <summary>422 listing every problem of a body that parsed but is not valid.</summary>
    public static IResult Invalid(IReadOnlyList<string> problems) =>
        Result(StatusCodes.Status422UnprocessableEntity, "Invalid request", string.Join("; ", problems), new Dictionary<string, object?> { ["errors"] = problems });

    /// <summary>
    /// Reads the JSON body as <typeparamref name="T"/> with the API's options (snake_case, unknown fields refused, depth
    /// at most 32). Returns the value, or a 400/413/415 problem naming the line and field.
    /// </summary>
    /// <param name="fastReader">Reads the common shape of the body faster, or declines (false) and the serializer reads it.</param>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, FastReader<T>? fastReader = null)
        where T : class
    {
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Result(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"send JSON (Content-Type: application/json), not {type}"));
        }

        try
        {
            // The whole body first (Kestrel enforces the size limit while reading), then one synchronous parse: cheaper
            // than the serializer's resumable reading from a stream, and bodies are small.
            var body = request.BodyReader;
            var read = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            while (!read.IsCompleted)
            {
                body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                read = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            }

            T? value;
            try
            {
                value = Parse(read.Buffer, fastReader);
            }
            finally
            {
                body.AdvanceTo(read.Buffer.End);
            }

            return value is null ? (null, Result(StatusCodes.Status400BadRequest, "Malformed JSON", "the body is empty or null")) : (value, null);
        }
        catch (JsonException e)
        {
            var detail = $"line {(e.LineNumber ?? 0) + 1}, field {e.Path ?? "$"}: {Shorten(e.Message)}";
            return (null, Result(StatusCodes.Status400BadRequest, "Malformed JSON", detail));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Result(StatusCodes.Status413PayloadTooLarge, "Body too large", e.Message));
        }
        catch (NotSupportedException e)
        {
            return (null, Result(StatusCodes.Status400BadRequest, "Malformed JSON", Shorten(e.Message)));
        }
    }

    private static T? Parse<T>(ReadOnlySequence<byte> body, FastReader<T>? fastReader)
    {
        if (body.IsSingleSegment)
        {
            return Parse(body.FirstSpan, fastReader);
        }

        var length = checked((int)body.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return Parse(rented.AsSpan(0, length), fastReader);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static T? Parse<T>(ReadOnlySpan<byte> json, FastReader<T>? fastReader) =>
        fastReader is not null && fastReader(json, out var value) ? value : JsonSerializer.Deserialize<T>(json, CampaignJson.Options);

    private static string Shorten(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = end > 0 ? message[..end] : message;
        return text.Length > 300 ? text[..300] : text;
    }
}

/// <summary>Reads a body's common shape into <paramref name="value"/>, or returns false to leave it to the serializer.</summary>
public delegate bool FastReader<T>(ReadOnlySpan<byte> json, out T? value);
