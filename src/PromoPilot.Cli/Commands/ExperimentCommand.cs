using System.CommandLine;
using System.Text.Json.Nodes;
using PromoPilot.Measurement.Experiments.Assignment;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot experiment: randomized experiments (docs/experiment-assignment.md). One subcommand per verb.</summary>
internal static class ExperimentCommand
{
    public static Command Create(CliConsole console) => new("experiment", "Randomized experiments: assignment of units to variants, readouts.")
    {
        Assign(console),
        ExperimentAnalyzeCommand.Create(console),
    };

    private static Command Assign(CliConsole console)
    {
        var experiment = new Option<string>("--experiment") { Description = "The experiment definition: a JSON file (docs/experiment-assignment.md).", Required = true };
        var unit = new Option<string>("--unit") { Description = "The unit to assign (a customer id, a session id...).", Required = true };
        var attributes = new Option<string?>("--attributes") { Description = "The unit's attributes for the targeting rule: a JSON object, or a file holding one." };
        var json = CommonOptions.Json();
        var command = new Command("assign", "Which variant a unit gets, and why (targeting, layer range, coverage, holdout).")
        {
            experiment, unit, attributes, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var path = parse.GetValue(experiment)!;
            var definition = Load(path);
            var context = parse.GetValue(attributes) is { } given ? AttributeRuleContext.Parse(Text(given), definition.Targeting?.Attributes) : null;
            if (definition.Targeting is not null && context is null)
            {
                throw new ArgumentException($"{path}: experiment '{definition.Key}' targets units by the rule '{definition.Targeting.Rule}': pass --attributes.");
            }

            var unitId = parse.GetValue(unit)!;
            var result = new Assigner(definition).Assign(unitId, context);
            var reason = Reason(result.Reason);
            if (parse.GetValue(json))
            {
                // A JsonObject keeps "variant": null, which the console's options would drop from an anonymous object.
                console.WriteJson(new JsonObject
                {
                    ["experiment"] = result.ExperimentKey,
                    ["unit"] = unitId,
                    ["variant"] = result.Variant,
                    ["reason"] = reason,
                    ["bucket"] = result.Bucket,
                });
            }
            else
            {
                console.Output.WriteLine($"{result.ExperimentKey}: unit {unitId} -> {result.Variant ?? "no variant"} ({reason}, bucket {result.Bucket} of {UnitHash.Buckets})");
            }

            return 0;
        }));
        return command;
    }

    private static ExperimentDefinition Load(string path)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"{path}: no such experiment definition.");
        try
        {
            return ExperimentJson.Parse(text);
        }
        catch (ExperimentDefinitionException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>--attributes: inline JSON when it starts with '{', else a file.</summary>
    private static string Text(string given) =>
        given.TrimStart().StartsWith('{') ? given
        : File.Exists(given) ? File.ReadAllText(given)
        : throw new FileNotFoundException($"--attributes: '{given}' is neither a JSON object nor an existing file.");

    private static string Reason(AssignmentReason reason) => reason switch
    {
        AssignmentReason.NotTargeted => "not_targeted",
        AssignmentReason.NotInLayerRange => "not_in_layer_range",
        AssignmentReason.NotCovered => "not_covered",
        AssignmentReason.Holdout => "holdout",
        _ => "assigned",
    };
}
