using PromoPilot.Models.Explanations;
using PromoPilot.Models.Response;

namespace PromoPilot.Models.Tests.Explanations;

public class ResponseExplainerTests
{
    private static readonly GbmOptions SmallTrees = new() { Iterations = 60, Leaves = 7, MinLeafRows = 20, EarlyStoppingRounds = 0 };

    // Known truth: the label depends on x strongly, on color (red) mildly, and not at all on noise.
    [Theory]
    [InlineData(ResponseLearner.LightGbm)]
    [InlineData(ResponseLearner.Logistic)]
    public void PermutationImportance_KnownDrivers_RankedXColorNoise(ResponseLearner learner)
    {
        var (features, labels) = Synthetic(4000, seed: 1);
        var model = ResponseTrainer.Fit(features, labels, new ResponseOptions { Learner = learner, Trees = SmallTrees });
        var (test, testLabels) = Synthetic(3000, seed: 2);

        var importance = ResponseExplainer.PermutationImportance(model, test, testLabels);

        Assert.Equal(["x", "color", "noise"], importance.Select(i => i.Feature));
        Assert.True(importance[0].AucDrop > 0.15, $"x: {importance[0].AucDrop}");
        Assert.True(importance[1].AucDrop > 0.005, $"color: {importance[1].AucDrop}");
        Assert.InRange(importance[2].AucDrop, -0.01, 0.01);
        Assert.True(importance[0].LogLossIncrease > 0.1);
    }

    [Theory]
    [InlineData(ResponseLearner.LightGbm)]
    [InlineData(ResponseLearner.FastTree)]
    [InlineData(ResponseLearner.Logistic)]
    public void Contributions_KnownDrivers_XLeadsAndSignFollowsX(ResponseLearner learner)
    {
        var (features, labels) = Synthetic(4000, seed: 3);
        var model = ResponseTrainer.Fit(features, labels, new ResponseOptions { Learner = learner, Trees = SmallTrees });
        var (test, _) = Synthetic(500, seed: 4);
        var x = test.Columns[0].Numbers!;

        var contributions = model.Contributions(test);

        Assert.Equal(500, contributions.Count);
        Assert.All(contributions, c => Assert.Equal(["color", "noise", "x"], c.Select(f => f.Feature).Order(StringComparer.Ordinal)));
        // Where |x| > 1, x moves the log-odds by more than 2 and color by 0.6: x should lead.
        var xFirst = Enumerable.Range(0, 500).Count(i => Math.Abs(x[i]) > 1 && contributions[i][0].Feature == "x");
        double Of(int row, string name) => contributions[row].First(c => c.Feature == name).Contribution;
        var agree = Enumerable.Range(0, 500).Count(i => Math.Abs(x[i]) > 1 && Math.Sign(Of(i, "x")) == Math.Sign(x[i]));
        var strong = Enumerable.Range(0, 500).Count(i => Math.Abs(x[i]) > 1);
        Assert.True(agree > 0.9 * strong, $"{agree} of {strong} rows with |x| > 1 had a contribution of x's sign");
        Assert.True(xFirst > 0.9 * strong, $"x was the largest contribution in {xFirst} of {strong} rows with |x| > 1");
        var noise = Enumerable.Range(0, 500).Average(i => Math.Abs(Of(i, "noise")));
        var driver = Enumerable.Range(0, 500).Average(i => Math.Abs(Of(i, "x")));
        Assert.True(noise < 0.2 * driver, $"mean |noise| {noise}, mean |x| {driver}");
    }

    [Fact]
    public void PermutationImportance_LabelsNeverVary_ClearError()
    {
        var (features, labels) = Synthetic(500, seed: 5);
        var model = ResponseTrainer.Fit(features, labels, new ResponseOptions { Trees = SmallTrees });

        var error = Assert.Throws<ArgumentException>(() => ResponseExplainer.PermutationImportance(model, features, new bool[500]));
        Assert.Contains("labels never vary", error.Message, StringComparison.Ordinal);
    }

    private static (FeatureTable Features, bool[] Labels) Synthetic(int n, int seed)
    {
        var random = new Random(seed);
        var x = new double[n];
        var noise = new double[n];
        var color = new string?[n];
        var labels = new bool[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = (random.NextDouble() * 4) - 2;
            noise[i] = random.NextDouble();
            color[i] = random.Next(2) == 0 ? "red" : "blue";
            var z = (2 * x[i]) + (color[i] == "red" ? 0.6 : -0.6);
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z));
        }

        return (new FeatureTable([FeatureColumn.Numeric("x", x), FeatureColumn.Numeric("noise", noise), FeatureColumn.Categorical("color", color)]), labels);
    }
}
