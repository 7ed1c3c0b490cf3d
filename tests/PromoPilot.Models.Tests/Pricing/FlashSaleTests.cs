using MathNet.Numerics.Distributions;
using PromoPilot.Models.Pricing;

namespace PromoPilot.Models.Tests.Pricing;

public class FlashSaleTests
{
    private static readonly double Z = Normal.InvCDF(0, 1, 0.95);

    private static FlashSaleInput Sale(double se = 0, double lift = 1) => new([40, 60, 100], 2.0, 1.6, -2.5, se, UnitCost: 1.0, PromotionMultiplier: lift);

    [Fact]
    public void Plan_NoUncertainty_IsTheConstantElasticityAnswer()
    {
        var plan = FlashSale.Plan(Sale(lift: 1.3), new FlashSaleOptions { PoissonNoise = false });
        var units = 200 * Math.Pow(0.8, -2.5) * 1.3;
        Assert.Equal(units, plan.Units.Value, 9);
        Assert.Equal(units, plan.Units.Low, 9);
        Assert.Equal(units, plan.Units.High, 9);
        Assert.Equal(200, plan.BaselineUnits);
        Assert.Equal(units - 200, plan.IncrementalUnits.Value, 9);
        Assert.Equal(units * 1.6, plan.Revenue.Value, 9);
        Assert.Equal(units * 0.6, plan.Profit.Value, 9);
        Assert.Equal(units * 0.4, plan.DiscountCost.Value, 9);
        Assert.Equal(Math.Ceiling(units), plan.StockToCover);
    }

    [Fact]
    public void Plan_ElasticityUncertainty_GivesTheElasticityQuantilesPushedThroughDemand()
    {
        // at a discount units = 200 · 0.8^e fall as e rises: the 5% point is at e + 1.645 se, the 95% at e − 1.645 se
        var plan = FlashSale.Plan(Sale(se: 0.2), new FlashSaleOptions { PoissonNoise = false, Draws = 40000 });
        Assert.Equal(200 * Math.Pow(0.8, -2.5 + (Z * 0.2)), plan.Units.Low, 0.5);
        Assert.Equal(200 * Math.Pow(0.8, -2.5 - (Z * 0.2)), plan.Units.High, 0.5);
    }

    [Fact]
    public void Plan_PoissonNoiseOnly_GivesPoissonQuantiles()
    {
        var mean = 200 * Math.Pow(0.8, -2.5);
        var plan = FlashSale.Plan(Sale(), new FlashSaleOptions { Draws = 40000, Seed = 3 });
        var poisson = new Poisson(mean);
        double Quantile(double p)
        {
            var k = 0;
            while (poisson.CumulativeDistribution(k) < p)
            {
                k++;
            }

            return k;
        }

        Assert.InRange(plan.Units.Low, Quantile(0.05) - 2, Quantile(0.05) + 2);
        Assert.InRange(plan.Units.High, Quantile(0.95) - 2, Quantile(0.95) + 2);
        Assert.Equal(mean, plan.Units.Value, 9);
    }

    [Fact]
    public void Plan_ForecastUncertaintyOnly_IsMeanPreservingLogNormal()
    {
        var mean = 200 * Math.Pow(0.8, -2.5);
        var plan = FlashSale.Plan(Sale(), new FlashSaleOptions { PoissonNoise = false, BaselineLogStdError = 0.25, Draws = 40000 });
        Assert.Equal(mean * Math.Exp(-0.03125 - (Z * 0.25)), plan.Units.Low, mean * 0.01);
        Assert.Equal(mean * Math.Exp(-0.03125 + (Z * 0.25)), plan.Units.High, mean * 0.01);
    }

    [Fact]
    public void Plan_IndependentPeriodNoise_IsNarrowerThanCommonForecastNoise()
    {
        var common = FlashSale.Plan(Sale(), new FlashSaleOptions { PoissonNoise = false, BaselineLogStdError = 0.3 });
        var independent = FlashSale.Plan(Sale(), new FlashSaleOptions { PoissonNoise = false, PeriodLogStdError = 0.3 });
        Assert.True(independent.Units.High - independent.Units.Low < common.Units.High - common.Units.Low);
    }

    [Fact]
    public void Plan_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => FlashSale.Plan(Sale() with { OfferPrice = 0 }));
        Assert.Throws<ArgumentException>(() => FlashSale.Plan(Sale() with { BaselineUnits = [] }));
        Assert.Throws<ArgumentException>(() => FlashSale.Plan(Sale() with { ElasticityStdError = -1 }));
    }
}
