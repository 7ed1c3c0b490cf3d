using System.Globalization;
using System.Text;
using System.Text.Json;
using PromoPilot.Cli.Tests.Support;

namespace PromoPilot.Cli.Tests;

public class UpliftModelCommandTests
{
    private const string Header = "recency,history_segment,history,mens,womens,zip_code,newbie,channel,segment,visit,conversion,spend";

    [Fact]
    public void UpliftFitThenScore_FileAndRegistry_SameScoresAndMetadata()
    {
        var folder = Directory.CreateTempSubdirectory("promopilot-uplift-").FullName;
        var data = Hillstromish(Path.Combine(folder, "train.csv"), 3000, withChannel: true);
        var file = Path.Combine(folder, "s.model");
        var db = Path.Combine(folder, "store.duckdb");

        var (code, stdout, stderr) = CliRunner.Run("uplift", "fit", "--dataset", "hillstrom", "--input", data, "--treatment", "Womens E-Mail", "--control", "No E-Mail",
            "--learner", "t", "--out", file, "--db", db, "--name", "email-visit", "--json");
        Assert.True(code == 0, stderr);
        var fit = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(1, fit.GetProperty("version").GetInt32());
        Assert.Equal(2100, fit.GetProperty("rows_train").GetInt32());
        Assert.Equal(900, fit.GetProperty("rows_holdout").GetInt32());
        Assert.True(fit.GetProperty("uplift_at_30").GetDouble() > 0.1, stdout);

        var scoresFile = Path.Combine(folder, "scores.csv");
        var fromFile = CliRunner.Run("uplift", "score", "--input", data, "--model", file, "--out", scoresFile, "--json");
        var fromRegistry = CliRunner.Run("uplift", "score", "--input", data, "--db", db, "--name", "email-visit", "--json");
        Assert.True(fromFile.Code == 0, fromFile.Stderr);
        Assert.True(fromRegistry.Code == 0, fromRegistry.Stderr);
        var a = JsonDocument.Parse(fromFile.Stdout).RootElement;
        var b = JsonDocument.Parse(fromRegistry.Stdout).RootElement;
        Assert.Equal(3000, a.GetProperty("rows").GetInt32());
        Assert.Equal(a.GetProperty("mean_uplift").GetDouble(), b.GetProperty("mean_uplift").GetDouble());
        Assert.Equal(a.GetProperty("max_uplift").GetDouble(), b.GetProperty("max_uplift").GetDouble());
        Assert.True(a.GetProperty("max_uplift").GetDouble() - a.GetProperty("min_uplift").GetDouble() > 0.1);
        Assert.Equal(3001, File.ReadAllLines(scoresFile).Length);
    }

    [Fact]
    public void UpliftScore_OtherSchema_ClearErrorNamingTheFeature()
    {
        var folder = Directory.CreateTempSubdirectory("promopilot-uplift-").FullName;
        var data = Hillstromish(Path.Combine(folder, "train.csv"), 1500, withChannel: true);
        var other = Hillstromish(Path.Combine(folder, "other.csv"), 100, withChannel: false);
        var file = Path.Combine(folder, "s.model");
        var fit = CliRunner.Run("uplift", "fit", "--dataset", "hillstrom", "--input", data, "--treatment", "Womens E-Mail", "--control", "No E-Mail", "--out", file, "--holdout", "0", "--json");
        Assert.True(fit.Code == 0, fit.Stderr);

        var (code, stdout, _) = CliRunner.Run("uplift", "score", "--input", other, "--model", file, "--json");

        Assert.Equal(1, code);
        Assert.Equal($"uplift model {file} was trained on another feature schema: missing 'channel'.", JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void UpliftFit_NoDestination_ClearError()
    {
        var folder = Directory.CreateTempSubdirectory("promopilot-uplift-").FullName;
        var data = Hillstromish(Path.Combine(folder, "train.csv"), 200, withChannel: true);

        var (code, stdout, _) = CliRunner.Run("uplift", "fit", "--dataset", "hillstrom", "--input", data, "--treatment", "Womens E-Mail", "--control", "No E-Mail", "--json");

        Assert.Equal(1, code);
        Assert.Contains("--out FILE, or --db DB --name NAME", JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ResponseEval_Ffm_PrintsTheContractFields()
    {
        var folder = Directory.CreateTempSubdirectory("promopilot-ffm-").FullName;
        var path = Path.Combine(folder, "coupon.csv");
        var random = new Random(5);
        var text = new StringBuilder("label,weather,coupon\n");
        string[] weathers = ["Sunny", "Rainy", "Snowy"];
        string[] coupons = ["Bar", "Coffee House", "Restaurant(<20)"];
        for (var i = 0; i < 1500; i++)
        {
            int w = random.Next(3), c = random.Next(3);
            var z = (w == c ? 1.5 : -0.75) + (w == 0 ? 0.3 : 0);
            text.Append(CultureInfo.InvariantCulture, $"{(random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0)},{weathers[w]},{coupons[c]}\n");
        }

        File.WriteAllText(path, text.ToString());

        var (code, stdout, stderr) = CliRunner.Run("response", "eval", "--dataset", "mapped", "--input", path, "--label", "label", "--model", "ffm", "--json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["model", "auc", "logloss", "brier", "accuracy", "fit_seconds", "rows_train", "rows_test", "train_seconds"], result.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ffm", result.GetProperty("model").GetString());
        Assert.True(result.GetProperty("auc").GetDouble() > 0.7, stdout);
    }

    /// <summary>Hillstrom-shaped rows: visit rate 0.15, +0.35 with the e-mail when recency &lt;= 6.</summary>
    private static string Hillstromish(string path, int rows, bool withChannel)
    {
        var random = new Random(rows);
        var text = new StringBuilder(withChannel ? Header : Header.Replace(",channel", "", StringComparison.Ordinal)).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            var recency = random.Next(1, 13);
            var treated = random.NextDouble() < 0.5;
            var visit = random.NextDouble() < 0.15 + (treated && recency <= 6 ? 0.35 : 0) ? 1 : 0;
            var channel = withChannel ? (random.NextDouble() < 0.5 ? ",Web" : ",Phone") : "";
            text.Append(CultureInfo.InvariantCulture, $"{recency},\"1) $0 - $100\",{random.Next(500)},{random.Next(2)},{random.Next(2)},{(random.NextDouble() < 0.5 ? "Urban" : "Rural")},{random.Next(2)}{channel},{(treated ? "Womens E-Mail" : "No E-Mail")},{visit},0,0\n");
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }
}
