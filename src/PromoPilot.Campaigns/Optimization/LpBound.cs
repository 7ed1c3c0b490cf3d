using Google.OrTools.LinearSolver;

namespace PromoPilot.Campaigns.Optimization;

/// <summary>
/// The LP relaxation of a <see cref="TargetingProblem"/> (each user's offers may be taken fractionally, at most one in
/// total), solved with OR-Tools GLOP: the exact upper bound the optimizer's gap is checked against on problems small
/// enough to solve (up to about 100k users × 8 offers).
/// </summary>
public static class LpBound
{
    /// <summary>The optimal LP objective.</summary>
    /// <exception cref="InvalidOperationException">GLOP did not reach an optimal solution.</exception>
    public static double Solve(TargetingProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        using var solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools GLOP is not available");
        var value = problem.ValueArray;
        var cost = problem.CostArray;
        var budget = solver.MakeConstraint(double.NegativeInfinity, problem.Budget, "budget");
        var offerBudget = problem.OfferBudgets?.Select((b, o) => solver.MakeConstraint(double.NegativeInfinity, b, $"offer_budget_{o}")).ToArray();
        var offerStock = problem.OfferStock?.Select((s, o) => solver.MakeConstraint(double.NegativeInfinity, s, $"offer_stock_{o}")).ToArray();
        var objective = solver.Objective();
        objective.SetMaximization();
        for (var u = 0; u < problem.Users; u++)
        {
            var one = solver.MakeConstraint(double.NegativeInfinity, 1, string.Empty);
            for (var o = 0; o < problem.Offers; o++)
            {
                var i = ((long)u * problem.Offers) + o;
                if (!(value[i] > 0))
                {
                    continue; // a pair worth nothing only costs: no optimum uses it
                }

                var x = solver.MakeNumVar(0, 1, string.Empty);
                one.SetCoefficient(x, 1);
                budget.SetCoefficient(x, cost[i]);
                offerBudget?[o].SetCoefficient(x, cost[i]);
                offerStock?[o].SetCoefficient(x, 1);
                objective.SetCoefficient(x, value[i]);
            }
        }

        var status = solver.Solve();
        return status == Solver.ResultStatus.OPTIMAL
            ? objective.Value()
            : throw new InvalidOperationException($"GLOP ended with {status} on the LP relaxation");
    }
}
