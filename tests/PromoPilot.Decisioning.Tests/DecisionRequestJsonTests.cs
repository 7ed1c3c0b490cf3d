using System.Globalization;
using System.Text;
using System.Text.Json;
using PromoPilot.Core.Campaigns;

namespace PromoPilot.Decisioning.Tests;

public class DecisionRequestJsonTests
{
    [Fact]
    public void TryRead_TheLoadBenchmarksBody_ReadsIt()
    {
        var json = """{"user_id":"17","placement":"home","channel":"web","limit":2,"cart":[{"item_id":"85123A","quantity":2,"unit_price":2.55},{"item_id":"22423","quantity":1,"unit_price":12.75}]}"""u8;

        Assert.True(DecisionRequestJson.TryRead(json, out var request));

        Assert.Equal(new DecisionRequest("17", "home", "web", request!.Cart, Limit: 2), request);
        Assert.Equal([new CartLine("85123A", 2, 2.55m), new CartLine("22423", 1, 12.75m)], request.Cart!);
    }

    [Fact]
    public void TryRead_RandomAndHostileBodies_ReadsOnlyWhatTheSerializerReadsTheSameWay()
    {
        // Bodies built from the request's fields with random values of every JSON type, unknown and duplicate fields,
        // escaped names, nulls, truncation and trailing text: whenever the fast reader accepts one, the serializer with
        // the API's options must read the same request from it.
        var random = new Random(5);
        var accepted = 0;
        var declinedButValid = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var json = Encoding.UTF8.GetBytes(RandomBody(random));
            DecisionRequest? reference;
            try
            {
                reference = JsonSerializer.Deserialize<DecisionRequest>(json, CampaignJson.Options);
            }
            catch (JsonException)
            {
                reference = null;
            }

            if (DecisionRequestJson.TryRead(json, out var fast))
            {
                accepted++;
                Assert.True(reference is not null, $"accepted what the serializer refuses: {Encoding.UTF8.GetString(json)}");
                Assert.Equal(JsonSerializer.Serialize(reference, CampaignJson.Options), JsonSerializer.Serialize(fast, CampaignJson.Options));
            }
            else if (reference is not null)
            {
                declinedButValid++;
            }
        }

        // Both kinds occur often enough for the property to mean something.
        Assert.InRange(accepted, 2_000, 20_000);
        Assert.InRange(declinedButValid, 20, 2_000);
    }

    private static string RandomBody(Random random)
    {
        string Str() => random.Next(6) switch
        {
            0 => "\"\"",
            1 => "\"caf\\u00e9 \\\"x\\\"\"",
            2 => "\"\u00e9\u4e2d\"",
            _ => $"\"s{random.Next(1000)}\"",
        };
        string Value(string kind) => random.Next(8) switch
        {
            0 => "null",
            1 => random.Next(2) == 0 ? "true" : "false",
            2 => random.Next(3) switch { 0 => "2.5", 1 => "1e2", _ => "99999999999" },
            3 => "{}",
            4 => "[]",
            _ => kind switch
            {
                "string" => Str(),
                "int" => random.Next(-2, 12).ToString(CultureInfo.InvariantCulture),
                "decimal" => (random.Next(0, 100_000) / 100m).ToString(CultureInfo.InvariantCulture),
                "bool" => random.Next(2) == 0 ? "true" : "false",
                _ => Cart(),
            },
        };
        string Line()
        {
            if (random.Next(15) == 0)
            {
                return "null";
            }

            var fields = new List<string>();
            foreach (var (name, kind) in new[] { ("item_id", "string"), ("quantity", "int"), ("unit_price", "decimal"), ("category", "string"), ("brand", "string") })
            {
                if (random.Next(8) != 0 || name is "category" or "brand")
                {
                    fields.Add($"\"{name}\":{(random.Next(6) == 0 ? Value(kind) : kind switch { "string" => Str(), "int" => random.Next(1, 5).ToString(CultureInfo.InvariantCulture), _ => (random.Next(1, 10_000) / 100m).ToString(CultureInfo.InvariantCulture) })}");
                }
            }

            if (random.Next(20) == 0)
            {
                fields.Add("\"sku\":\"x\"");
            }

            return "{" + string.Join(",", fields.OrderBy(_ => random.Next())) + "}";
        }

        string Cart() => random.Next(10) == 0 ? "null" : "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Line())) + "]";
        var all = new[] { ("user_id", "string"), ("placement", "string"), ("channel", "string"), ("cart", "cart"), ("page", "string"), ("limit", "int"), ("is_member", "bool"), ("explain", "bool") };
        var parts = new List<string>();
        foreach (var (name, kind) in all)
        {
            if (random.Next(5) == 0 && name is not ("user_id" or "placement"))
            {
                continue;
            }

            if (random.Next(25) == 0)
            {
                continue; // a required field may go missing too
            }

            var written = random.Next(30) == 0 ? name.Replace("_", "\\u005f", StringComparison.Ordinal) : name;
            parts.Add($"\"{written}\": {(random.Next(4) == 0 ? Value(kind) : kind switch { "string" => Str(), "int" => random.Next(1, 4).ToString(CultureInfo.InvariantCulture), "bool" => "true", _ => Cart() })}");
            if (random.Next(30) == 0)
            {
                parts.Add($"\"{name}\": {Value(kind)}");
            }
        }

        if (random.Next(20) == 0)
        {
            parts.Add("\"extra\": 1");
        }

        var body = " {" + string.Join(",\n", parts.OrderBy(_ => random.Next())) + "} ";
        return random.Next(25) switch
        {
            0 => body[..random.Next(body.Length)],
            1 => body + "{}",
            2 => "null",
            3 => "[" + body + "]",
            _ => body,
        };
    }
}
