using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using PromoPilot.Core.Campaigns;
using PromoPilot.Decisioning;
using PromoPilot.Decisioning.Scoring;
using PromoPilot.Decisioning.State;
using PromoPilot.Server.Monitoring;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot decide: the decision engine offline (docs/decision-service.md).</summary>
internal static class DecideCommand
{
    public static Command Create(CliConsole console) => new("decide", "The decision engine offline: fit its effect model, replay logged requests.")
    {
        FitEffect(console),
        Replay(console),
    };

    private static Command FitEffect(CliConsole console)
    {
        var db = CommonOptions.Db();
        var campaignId = new Option<string>("--campaign") { Description = "The randomized campaign to learn from (as imported, e.g. hillstrom_email_2008).", Required = true };
        var dataset = new Option<string?>("--dataset") { Description = "The dataset, when several use the campaign id." };
        var treatment = new Option<string?>("--treatment") { Description = "One treated arm; default: every non-control arm pooled." };
        var outcome = new Option<string>("--outcome") { Description = "visit or conversion.", DefaultValueFactory = _ => "conversion" };
        outcome.AcceptOnlyFromAmong("visit", "conversion");
        var features = new Option<string?>("--features") { Description = "Comma-separated attribute names; default: every numeric attribute of the users." };
        var ridge = new Option<double>("--ridge") { Description = "L2 penalty on standardized coefficients.", DefaultValueFactory = _ => 1.0 };
        var output = new Option<string>("--out") { Description = "Where to write the model (JSON).", DefaultValueFactory = _ => "effect-model.json" };
        var json = CommonOptions.Json();
        var command = new Command("fit-effect", "Fits the linear uplift model the decision service scores offers with, on a randomized campaign's exposures.")
        {
            db, campaignId, dataset, treatment, outcome, features, ridge, output, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var clock = Stopwatch.StartNew();
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var id = parse.GetValue(campaignId)!;
            var campaign = CampaignExposureQuery.Find(store, id, parse.GetValue(dataset))
                ?? throw new ArgumentException($"no campaign '{id}' in the store (campaigns with exposures: {string.Join(", ", CampaignExposureQuery.WithExposures(store).Select(c => c.CampaignId))}).");
            var rows = EffectTrainingQuery.Load(store, campaign.CampaignKey, parse.GetValue(treatment));
            var names = parse.GetValue(features) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [.. rows.SelectMany(r => r.Features.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            var visit = parse.GetValue(outcome) == "visit";
            var model = LinearUpliftModel.Fit(
                names, [.. rows.Select(r => r.Features)], [.. rows.Select(r => r.Treated)], [.. rows.Select(r => visit ? r.Visited : r.Converted)],
                new LinearUpliftOptions { Ridge = parse.GetValue(ridge) }, source: $"{id}:{(visit ? "visit" : "conversion")}");
            var path = parse.GetValue(output)!;
            using (var file = File.Create(path))
            {
                model.Save(file);
            }

            var referenceVersion = ModelMonitor.SaveEffectReference(
                store, model, rows, campaign.CampaignKey, id, parse.GetValue(treatment), visit, Path.GetFullPath(path), console.Clock.GetUtcNow());

            var v = model.Values;
            var report = new
            {
                model = "linear_uplift",
                path,
                campaign = id,
                outcome = visit ? "visit" : "conversion",
                rows = v.Rows,
                treated_rows = v.TreatedRows,
                conversions = v.Conversions,
                features = v.Features,
                iterations = v.Iterations,
                converged = v.Converged,
                mean_uplift = rows.Average(r => model.Predict(r.Features, withContributions: false).Uplift),
                monitoring_reference = new { name = ModelMonitor.EffectModelName(id, visit), version = referenceVersion },
                seconds = clock.Elapsed.TotalSeconds,
            };
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                console.Output.WriteLine($"{path}: linear uplift model on {v.Rows} rows ({v.TreatedRows} treated), {v.Features.Count} features, mean uplift {report.mean_uplift:F4}, converged {v.Converged}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Replay(CliConsole console)
    {
        var db = CommonOptions.Db();
        var campaigns = new Option<string>("--campaigns") { Description = "A JSON array of campaigns (the /v1/campaigns form).", Required = true };
        var requests = new Option<string>("--requests") { Description = "Logged requests, one JSON object per line (the /v1/decisions body).", Required = true };
        var model = new Option<string?>("--effect-model") { Description = "A model from decide fit-effect." };
        var at = new Option<DateTimeOffset?>("--at") { Description = "Decide as of this moment (default: now)." };
        var json = CommonOptions.Json();
        var command = new Command("replay", "Replays logged decision requests through the engine with in-process state; prints each decision as a JSON line.")
        {
            db, campaigns, requests, model, at, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var (definitions, problems) = ReadCampaigns(parse.GetValue(campaigns)!);
            if (problems.Count > 0)
            {
                throw new ArgumentException(string.Join("; ", problems));
            }

            var users = LoadUsers(parse.GetValue(db)!);
            var pseudonymizer = File.Exists(parse.GetValue(db)!) ? CommonOptions.Pseudonymizer(parse.GetValue(db)!) : null;
            var schema = DecisionRuleContext.Schema(users.Attributes);
            var catalog = LiveCatalog.Build(definitions, schema, 1);
            if (catalog.Problems.Count > 0)
            {
                throw new ArgumentException($"campaigns that cannot be served: {string.Join("; ", catalog.Problems)}");
            }

            LinearUpliftModel? effect = null;
            if (parse.GetValue(model) is { } modelPath)
            {
                using var file = File.OpenRead(modelPath);
                effect = LinearUpliftModel.Load(file);
            }

            var engine = new DecisionEngine(catalog, effect);
            var state = new InProcessOnlineState(console.Clock);
            var now = parse.GetValue(at) ?? console.Clock.GetUtcNow();
            var path = parse.GetValue(requests)!;
            var line = 0;
            var decided = 0;
            foreach (var text in File.ReadLines(path))
            {
                line++;
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                DecisionRequest request;
                try
                {
                    request = JsonSerializer.Deserialize<DecisionRequest>(text, CampaignJson.Options) ?? throw new JsonException("null request");
                }
                catch (JsonException e)
                {
                    throw new ArgumentException($"{path}: line {line}, field {e.Path ?? "$"}: {e.Message.Split(" Path:", 2)[0]}");
                }

                if (request.Problems() is { Count: > 0 } requestProblems)
                {
                    throw new ArgumentException($"{path}: line {line}: {string.Join("; ", requestProblems)}");
                }

                // Logged requests carry the storefront's ids: pseudonymized with the store's key, as serve does.
                var stored = request with { UserId = pseudonymizer?.Pseudonymize(request.UserId) ?? request.UserId };
                var decision = engine.DecideAsync($"replay-{line}", stored, users.Directory.Find(stored.UserId), state, null, now).AsTask().GetAwaiter().GetResult();
                console.Output.WriteLine(DecisionJson.Serialize(decision with { UserId = request.UserId }));
                decided++;
            }

            console.Log($"{decided} decisions replayed from {path}");
            return 0;
        }));
        return command;
    }

    internal static (IReadOnlyList<CampaignDefinition> Campaigns, IReadOnlyList<string> Problems) ReadCampaigns(string path)
    {
        List<CampaignDefinition>? list;
        try
        {
            list = JsonSerializer.Deserialize<List<CampaignDefinition>>(File.ReadAllText(path), CampaignJson.Options);
        }
        catch (JsonException e)
        {
            return ([], [$"{path}: line {(e.LineNumber ?? 0) + 1}, field {e.Path ?? "$"}: {e.Message.Split(" Path:", 2)[0]}"]);
        }

        var campaigns = list ?? [];
        return (campaigns, [.. campaigns.SelectMany((c, i) => c.Problems().Select(p => $"{path}: [{i}] {p}"))]);
    }

    /// <summary>Every user of the store as the decision engine sees them (an empty directory when there is no store).</summary>
    internal static (UserDirectory Directory, IReadOnlyList<string> Attributes) LoadUsers(string dbPath)
    {
        if (!File.Exists(dbPath))
        {
            return (new UserDirectory([]), []);
        }

        using var store = CommonOptions.OpenStore(dbPath);
        var users = ServingUsersQuery.Load(store);
        var attributes = users.SelectMany(u => u.Attributes.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return (new UserDirectory(users.Select(u => new UserSnapshot(u.UserId, u.Profile, u.Clv, u.ProbabilityAlive, attributes: u.Attributes))), attributes);
    }
}
