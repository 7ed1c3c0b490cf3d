using PromoPilot.Core.Customers;
using PromoPilot.Features.Clv;

namespace PromoPilot.Features.Tests.Clv;

public class FitBudgetTests
{
    /// <summary>
    /// Customers who buy at a steady Poisson rate and never drop out: the BG/NBD likelihood has no interior maximum
    /// (a -> 0, r and alpha -> infinity), which once kept the optimizers busy for minutes. The budget stops them and
    /// the fit says it did not converge instead of reporting boundary values as an estimate.
    /// </summary>
    [Fact]
    public void Fit_CustomersWhoNeverDropOut_StopsWithinTheBudgetAndSaysItDidNotConverge()
    {
        var random = new Random(5);
        var customers = Enumerable.Range(0, 2_000).Select(_ =>
        {
            double age = 100, time = 0, last = 0;
            var x = -1;
            while (time < age)
            {
                x++;
                last = time;
                time += -Math.Log(1 - random.NextDouble()) / 0.2;   // rate 0.2 a week, forever
            }

            return new RepeatPurchaseSummary(x, last, age);
        }).ToList();

        var fit = BgNbdModel.Fit(customers, new ClvFitOptions { MaxEvaluations = 3_000 });

        Assert.False(fit.Converged);
        Assert.True(fit.Parameters.A < 1e-3 || fit.Parameters.B > 1e3, $"expected the dropout parameters at a boundary, got {fit.Parameters}");
    }
}
