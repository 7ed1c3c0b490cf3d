using System.Globalization;
using System.Text.Json;
using System.Text;
using MathNet.Numerics.Distributions;
using PromoPilot.Core.Customers;
using PromoPilot.Features.Clv;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

/// <summary>The clv command's contract: one JSON object with bgnbd, gamma_gamma and holdout, from a file or the store.</summary>
public sealed class ClvCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void Clv_InputSummaryWithHoldout_PrintsTheFitsAndTheHoldoutCheck()
    {
        var customers = Simulate(400, seed: 12);
        var path = Path.Combine(_folder.Path, "summary.csv");
        Write(path, customers);

        var (code, stdout, _) = Run("clv", "--input", path, "--json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        var bg = root.GetProperty("bgnbd");
        var expected = BgNbdModel.Fit(customers);
        Assert.Equal(expected.Parameters.R, bg.GetProperty("r").GetDouble(), 1e-12);
        Assert.Equal(expected.Parameters.B, bg.GetProperty("b").GetDouble(), 1e-12);
        Assert.Equal(expected.LogLikelihood, bg.GetProperty("loglik").GetDouble(), 1e-9);
        foreach (var name in new[] { "r", "alpha", "a", "b" })
        {
            Assert.True(bg.GetProperty("std_errors").GetProperty(name).GetDouble() > 0);
        }

        var gg = root.GetProperty("gamma_gamma");
        Assert.All(new[] { "p", "q", "gamma", "loglik" }, name => Assert.True(double.IsFinite(gg.GetProperty(name).GetDouble())));
        Assert.Equal(customers.Count(c => c.Frequency > 0), gg.GetProperty("customers").GetInt32());
        var holdout = root.GetProperty("holdout");
        Assert.Equal(customers.Sum(c => c.HoldoutFrequency!.Value), holdout.GetProperty("actual").GetInt64());
        Assert.Equal(8, holdout.GetProperty("groups").GetArrayLength());
        Assert.Equal(400, root.GetProperty("customers").GetInt32());
    }

    [Fact]
    public void Clv_InputWithoutSpendOrHoldout_OmitsTheSpendModel()
    {
        var path = Path.Combine(_folder.Path, "plain.csv.gz");
        Write(path, Simulate(200, seed: 3), spend: false, holdout: false);

        var (code, stdout, _) = Run("clv", "--input", path, "--json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.True(root.GetProperty("bgnbd").GetProperty("r").GetDouble() > 0);
        Assert.True(!root.TryGetProperty("gamma_gamma", out var gg) || gg.ValueKind == JsonValueKind.Null);
        Assert.True(!root.TryGetProperty("holdout", out var h) || h.ValueKind == JsonValueKind.Null);
    }

    [Theory]
    [InlineData("x,t_x,T\n1,2,5\n2,abc,5\n", "line 3: column 't_x'")]
    [InlineData("x,t_x,T\n1,2,5\n2,6,5\n", "line 3: column 't_x': t_x 6 is after T 5")]
    [InlineData("x,t_x,T\n-1,0,5\n", "line 2: column 'x'")]
    [InlineData("x,T\n1,5\n", "required column 't_x' is missing")]
    [InlineData("x,t_x,T\n0,0,5\n0,0,7\n", "repeat purchase")]
    [InlineData("x,t_x,T,x_holdout\n1,2,5,1\n", "duration_holdout")]
    public void Clv_BadSummary_ExitsOneNamingTheProblem(string content, string expected)
    {
        var path = Path.Combine(_folder.Path, "bad.csv");
        File.WriteAllText(path, content);

        var (code, stdout, stderr) = Run("clv", "--input", path, "--json");

        Assert.Equal(1, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains(expected, JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Clv_Db_WritesOneRowPerCustomerAndReportsTheHoldout()
    {
        var db = Path.Combine(_folder.Path, "store.duckdb");
        var sample = Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz");
        Assert.Equal(0, Run("import", "--kind", "online-retail", "--input", sample, "--db", db).Code);

        var (code, stdout, stderr) = Run("clv", "--db", db, "--holdout-days", "90", "--json");

        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        var customers = root.GetProperty("customers").GetInt32();
        Assert.True(customers > 100);
        Assert.Equal("online_retail", root.GetProperty("dataset").GetString());
        Assert.Equal(90, root.GetProperty("holdout_days").GetInt32());
        Assert.Equal(customers, root.GetProperty("holdout").GetProperty("customers").GetInt32());
        using var store = DuckDbStore.Open(db);
        var check = store.Query("""
            SELECT count(*) AS n, min(p_alive) AS lo, max(p_alive) AS hi, count(clv) AS with_clv, min(as_of) AS as_of, count(DISTINCT user_key) AS users
            FROM customer_clv
            """)[0];
        Assert.Equal((long)customers, check["n"]);
        Assert.Equal((long)customers, check["users"]);
        Assert.InRange((double)check["lo"]!, 0, 1);
        Assert.InRange((double)check["hi"]!, 0, 1);
        Assert.Equal((long)customers, check["with_clv"]);
        Assert.Equal(root.GetProperty("calibration_end").GetString(), ((DateOnly)check["as_of"]!).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Clv_DbWithoutOrders_ExitsOne()
    {
        var db = Path.Combine(_folder.Path, "empty.duckdb");
        DuckDbStore.Open(db).Dispose();

        var (code, _, stderr) = Run("clv", "--db", db, "--json");

        Assert.Equal(1, code);
        Assert.Contains("no purchase orders", stderr, StringComparison.Ordinal);
    }

    [DatasetFact("cdnow")]
    public void Clv_CdnowSampleSummary_MatchesThePublishedEstimatesWithinOnePercent()
    {
        var (code, stdout, _) = Run("clv", "--input", SharedData.Path("cdnow", "cdnow_sample_summary.csv.gz"), "--json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        var bg = root.GetProperty("bgnbd");
        var gg = root.GetProperty("gamma_gamma");
        // Fader, Hardie & Lee (2005): BG/NBD r, α, a, b and Gamma-Gamma p, q, γ on the 2,357-customer sample.
        AssertWithin(0.243, bg.GetProperty("r").GetDouble());
        AssertWithin(4.414, bg.GetProperty("alpha").GetDouble());
        AssertWithin(0.793, bg.GetProperty("a").GetDouble());
        AssertWithin(2.426, bg.GetProperty("b").GetDouble());
        Assert.Equal(-9582.4, bg.GetProperty("loglik").GetDouble(), 0.1);
        AssertWithin(6.25, gg.GetProperty("p").GetDouble());
        AssertWithin(3.74, gg.GetProperty("q").GetDouble());
        AssertWithin(15.44, gg.GetProperty("gamma").GetDouble());
        Assert.Equal(2_357, root.GetProperty("customers").GetInt32());
    }

    public void Dispose() => _folder.Dispose();

    private static void AssertWithin(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= 0.01 * expected, $"expected {expected} within 1%, got {actual}");

    /// <summary>BG/NBD customers (r 0.5, α 6, a 0.8, b 2.5) observed 20-40 weeks, a 26-week holdout, Gamma-Gamma spend.</summary>
    private static List<RepeatPurchaseSummary> Simulate(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<RepeatPurchaseSummary>();
        for (var i = 0; i < count; i++)
        {
            var lambda = Gamma.Sample(random, 0.5, 6);
            var p = Beta.Sample(random, 0.8, 2.5);
            var nu = Gamma.Sample(random, 4, 60);
            var age = Math.Round(20 + (20 * random.NextDouble()), 2);
            int x = 0, holdout = 0;
            double t = 0, recency = 0, spend = 0;
            while ((t += Exponential.Sample(random, lambda)) <= age + 26)
            {
                if (t <= age)
                {
                    x++;
                    recency = Math.Round(t, 2);
                    spend += Gamma.Sample(random, 5, nu);
                }
                else
                {
                    holdout++;
                }

                if (random.NextDouble() < p)
                {
                    break;
                }
            }

            rows.Add(new RepeatPurchaseSummary(x, Math.Min(recency, age), age, x > 0 ? Math.Round(spend / x, 2) : 0, holdout, 26));
        }

        return rows;
    }

    private static void Write(string path, List<RepeatPurchaseSummary> rows, bool spend = true, bool holdout = true)
    {
        var text = new StringBuilder("id,x,t_x,T" + (spend ? ",zbar" : "") + (holdout ? ",x_holdout,duration_holdout" : "") + "\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            text.Append(CultureInfo.InvariantCulture, $"{i},{r.Frequency},{r.Recency},{r.Age}");
            text.Append(spend ? string.Create(CultureInfo.InvariantCulture, $",{r.MeanSpend}") : "");
            text.Append(holdout ? string.Create(CultureInfo.InvariantCulture, $",{r.HoldoutFrequency},{r.HoldoutDuration}") : "");
            text.Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var file = File.Create(path);
            using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
            gzip.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }
    }

}
