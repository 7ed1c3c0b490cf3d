using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using PromoPilot.Campaigns.Optimization;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot optimize: budget-optimal targeting (docs/budget-optimizer.md).</summary>
internal static class OptimizeCommand
{
    public static Command Create(CliConsole console) => new("optimize", "Budget-optimal targeting: at most one offer per user, the most incremental value within the budget.")
    {
        Bench(console),
    };

    private static Command Bench(CliConsole console)
    {
        var users = new Option<int>("--users") { Description = "Synthetic users.", DefaultValueFactory = _ => 1_000_000 };
        var offers = new Option<int>("--offers") { Description = "Offers per user.", DefaultValueFactory = _ => 8 };
        var fraction = new Option<double>("--budget-fraction") { Description = "Budget as a share of what every user's best offer would cost.", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic values.", DefaultValueFactory = _ => 42 };
        var lpMaxUsers = new Option<int>("--lp-max-users") { Description = "Solve the LP relaxation with GLOP up to this many users; above it the bound is the Lagrangian dual.", DefaultValueFactory = _ => 100_000 };
        var greedyMaxUsers = new Option<int>("--greedy-max-users") { Description = "Run the greedy-by-ratio baseline up to this many users.", DefaultValueFactory = _ => 2_000_000 };
        var offerLimits = new Option<bool>("--offer-limits") { Description = "Add per-offer budgets and stock to the total budget." };
        var json = CommonOptions.Json();
        var command = new Command("bench", "Solve a seeded synthetic problem; report the objective, the bound, the gap, the spend and the time.")
        {
            users, offers, fraction, seed, lpMaxUsers, greedyMaxUsers, offerLimits, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            if (parse.GetValue(users) < 1 || parse.GetValue(offers) < 1)
            {
                throw new ArgumentException("--users and --offers must be at least 1.");
            }

            if (!(parse.GetValue(fraction) is > 0 and <= 1))
            {
                throw new ArgumentException($"--budget-fraction must lie in (0, 1], not {parse.GetValue(fraction)}.");
            }

            var problem = SyntheticTargeting.Create(parse.GetValue(users), parse.GetValue(offers), parse.GetValue(fraction), parse.GetValue(seed), parse.GetValue(offerLimits));
            var clock = Stopwatch.StartNew();
            var plan = BudgetOptimizer.Solve(problem);
            var seconds = clock.Elapsed.TotalSeconds;
            double? lp = problem.Users <= parse.GetValue(lpMaxUsers) ? LpBound.Solve(problem) : null;
            var bound = lp ?? plan.UpperBound!.Value;
            double? greedy = problem.Users <= parse.GetValue(greedyMaxUsers) ? BudgetOptimizer.Greedy(problem).Objective : null;
            var report = new JsonObject
            {
                ["users"] = problem.Users,
                ["offers"] = problem.Offers,
                ["objective"] = plan.Objective,
                ["lp_bound"] = bound,
                ["bound_source"] = lp is null ? "lagrangian dual" : "glop lp",
                ["gap"] = bound > 0 ? Math.Max(0, (bound - plan.Objective) / bound) : 0,
                ["spend"] = plan.Spend,
                ["budget"] = problem.Budget,
                ["users_targeted"] = plan.OfferUsers.Sum(),
                ["greedy_objective"] = greedy,
                ["seconds"] = Math.Round(seconds, 3),
            };
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                console.Output.WriteLine(FormattableString.Invariant(
                    $"{problem.Users} users x {problem.Offers} offers: objective {plan.Objective:N2}, bound {bound:N2} ({report["bound_source"]}), gap {(double)report["gap"]!:P4}, spend {plan.Spend:N2} of {problem.Budget:N2}, {seconds:F2} s{(greedy is { } g ? $"; greedy {g:N2}" : "")}"));
            }

            return 0;
        }));
        return command;
    }
}
