using System.Globalization;
using System.Text;
using System.Text.Json;
using PromoPilot.Cli.Tests.Support;

namespace PromoPilot.Cli.Tests;

public class ResponseUpliftCommandTests
{
    [Fact]
    public void ResponseEval_MappedCsv_PrintsExactlyTheContractFields()
    {
        var path = WriteCsv("label,a,color", 600, (random, i) =>
        {
            var a = random.NextDouble() * 4 - 2;
            var label = random.NextDouble() < 1 / (1 + Math.Exp(-2 * a)) ? 1 : 0;
            return string.Create(CultureInfo.InvariantCulture, $"{label},{a},{(i % 2 == 0 ? "red" : "")}");
        });
        var (code, stdout, stderr) = CliRunner.Run("response", "eval", "--dataset", "mapped", "--input", path, "--label", "label", "--json");
        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["model", "auc", "logloss", "brier", "accuracy", "fit_seconds", "rows_train", "rows_test", "train_seconds"], result.EnumerateObject().Select(p => p.Name));
        Assert.Equal(480, result.GetProperty("rows_train").GetInt32());
        Assert.True(result.GetProperty("auc").GetDouble() > 0.75);
        Assert.InRange(result.GetProperty("train_seconds").GetDouble(), 1e-6, result.GetProperty("fit_seconds").GetDouble());
    }

    [Fact]
    public void ResponseEval_Explain_AddsImportanceAfterTheContractFields()
    {
        var path = WriteCsv("label,a,noise", 800, (random, i) =>
        {
            var a = random.NextDouble() * 4 - 2;
            var label = random.NextDouble() < 1 / (1 + Math.Exp(-2 * a)) ? 1 : 0;
            return string.Create(CultureInfo.InvariantCulture, $"{label},{a},{random.NextDouble()}");
        });
        var (code, stdout, stderr) = CliRunner.Run("response", "eval", "--dataset", "mapped", "--input", path, "--label", "label", "--explain", "--json");
        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["model", "auc", "logloss", "brier", "accuracy", "fit_seconds", "rows_train", "rows_test", "train_seconds", "importance"], result.EnumerateObject().Select(p => p.Name));
        var importance = result.GetProperty("importance").EnumerateArray().ToArray();
        Assert.Equal(["a", "noise"], importance.Select(i => i.GetProperty("feature").GetString()));
        Assert.True(importance[0].GetProperty("auc_drop").GetDouble() > 0.1);
    }

    [Fact]
    public void UpliftEval_ControlEqualsTreatment_NamesTheColumn()
    {
        var path = WriteCsv("recency,history_segment,history,mens,womens,zip_code,newbie,channel,segment,visit,conversion,spend", 50,
            (random, i) => string.Create(CultureInfo.InvariantCulture, $"{i % 12 + 1},\"1) $0 - $100\",{random.Next(500)},1,0,Urban,0,Web,{(i % 2 == 0 ? "Womens E-Mail" : "No E-Mail")},{i % 3 % 2},0,0"));
        var (code, stdout, _) = CliRunner.Run("uplift", "eval", "--dataset", "hillstrom", "--input", path, "--treatment", "No E-Mail", "--control", "No E-Mail", "--json");
        Assert.Equal(1, code);
        Assert.Contains("treatment column 'segment' has one arm only", JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static string WriteCsv(string header, int rows, Func<Random, int, string> row)
    {
        var random = new Random(3);
        var text = new StringBuilder(header).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            text.Append(row(random, i)).Append('\n');
        }

        var path = Path.Combine(Path.GetTempPath(), $"promopilot-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
