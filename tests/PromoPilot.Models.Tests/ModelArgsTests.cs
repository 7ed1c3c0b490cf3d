using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Tests;

public class ModelArgsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Positive_NotPositive_NamesTheOption(int value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelArgs.Positive(value, "Factors"));
        Assert.Equal("Factors", error.ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.5)]
    [InlineData(double.PositiveInfinity)]
    public void NonNegative_OutOfRange_NamesTheOption(double value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelArgs.NonNegative(value, "Regularization"));
        Assert.Equal("Regularization", error.ParamName);
        Assert.Equal(0.0, ModelArgs.NonNegative(0.0, "Regularization"));
    }
}
