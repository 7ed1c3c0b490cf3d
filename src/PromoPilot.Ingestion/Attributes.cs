using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PromoPilot.Ingestion;

/// <summary>Builds the JSON attribute objects of dimension rows; null values are left out.</summary>
public static class Attributes
{
    public static string? Of(params ReadOnlySpan<(string Name, object? Value)> values)
    {
        var json = new JsonObject();
        foreach (var (name, value) in values)
        {
            switch (value)
            {
                case null:
                    break;
                case string s:
                    json[name] = s;
                    break;
                case bool b:
                    json[name] = b;
                    break;
                case int i:
                    json[name] = i;
                    break;
                case long l:
                    json[name] = l;
                    break;
                case double d:
                    json[name] = d;
                    break;
                case decimal m:
                    json[name] = m;
                    break;
                default:
                    json[name] = Convert.ToString(value, CultureInfo.InvariantCulture);
                    break;
            }
        }

        return json.Count == 0 ? null : json.ToJsonString(Options);
    }

    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
