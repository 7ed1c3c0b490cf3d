using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromoPilot.Campaigns.Design;
using PromoPilot.Campaigns.Workflow;
using PromoPilot.Core.Campaigns;
using PromoPilot.Server.Campaigns;
using PromoPilot.Storage;
using PromoPilot.Storage.Campaigns;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot campaign create | list | approve | launch | optimize: the campaign workflow (docs/campaigns.md).</summary>
internal static partial class CampaignCommand
{
    private static Option<string> Actor() => new("--actor")
    {
        Description = "Who acts, for the audit trail (default: the login name).",
        DefaultValueFactory = _ => Environment.UserName is { Length: > 0 } name ? name : "cli",
    };

    private static Argument<string> Id() => new("id") { Description = "The campaign id (as in its file)." };

    private static Command CreateCommand(CliConsole console)
    {
        var file = new Option<string>("--file") { Description = "The campaign file (JSON, docs/campaigns.md).", Required = true };
        var db = CommonOptions.Db();
        var actor = Actor();
        var json = CommonOptions.Json();
        var command = new Command("create", "Store a campaign from its file as a draft; a file with problems is rejected listing every one, and nothing is written.")
        {
            file, db, actor, json,
        };
        command.SetAction(parse => Guard(console, parse.GetValue(json), () =>
        {
            var path = parse.GetValue(file)!;
            var text = File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"{path}: no such campaign file.");
            var (campaign, parsed) = CampaignJson.Parse(text, path);
            if (campaign is null)
            {
                throw new CampaignRejectedException($"{path}: rejected, not a campaign; nothing was stored", parsed);
            }

            // Every problem at once: the file's own, the audience rule against the profile schema, then what the store
            // knows (segment, id taken). A store that does not exist yet is not created for a rejected file.
            var problems = parsed.Concat(CampaignAudience.RuleProblems(campaign).Select(p => $"{path}: {p}")).ToList();
            var dbPath = parse.GetValue(db)!;
            if (!File.Exists(dbPath))
            {
                if (campaign.Segment is { } segment)
                {
                    problems.Add($"{path}: segment: unknown segment '{segment}': there is no store at {dbPath} yet");
                }

                if (problems.Count > 0)
                {
                    throw new CampaignRejectedException($"{path}: rejected, {problems.Count} problem(s); nothing was stored", problems);
                }
            }

            using var store = CommonOptions.OpenStore(dbPath);
            var campaigns = new DuckDbCampaignStore(store);
            problems.AddRange(CampaignAudience.SegmentProblems(campaigns, campaign).Select(p => $"{path}: {p}"));
            if (campaigns.Find(campaign.Id) is { } existing)
            {
                problems.Add($"{path}: id: campaign '{campaign.Id}' exists already (version {existing.Version}, {CampaignWorkflow.Name(existing.Definition.Status)})");
            }

            if (problems.Count > 0)
            {
                throw new CampaignRejectedException($"{path}: rejected, {problems.Count} problem(s); nothing was stored", problems);
            }

            var created = new CampaignWorkflow(console.Clock).Create(campaign, parse.GetValue(actor)!);
            campaigns.Add(created.Campaign, Row(created.Audit));
            console.Log($"campaign {campaign.Id}: stored as a draft (version 1) with {campaign.Offers.Count} offer(s)");
            Write(console, parse.GetValue(json), Summary(created.Campaign, 1), $"{campaign.Id}: draft, {campaign.Offers.Count} offer(s). Next: promopilot campaign optimize {campaign.Id} --budget B");
            return 0;
        }));
        return command;
    }

    private static Command List(CliConsole console)
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var command = new Command("list", "Every stored campaign with its status and version.") { db, json };
        command.SetAction(parse => Guard(console, parse.GetValue(json), () =>
        {
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var campaigns = new DuckDbCampaignStore(store).List();
            if (parse.GetValue(json))
            {
                console.WriteJson(new JsonObject { ["campaigns"] = new JsonArray([.. campaigns.Select(c => (JsonNode)Summary(c.Definition, c.Version, c.UpdatedAt))]) });
            }
            else
            {
                foreach (var c in campaigns)
                {
                    console.Output.WriteLine(FormattableString.Invariant($"{c.Definition.Id,-24} {CampaignWorkflow.Name(c.Definition.Status),-9} v{c.Version} {c.Definition.Offers.Count} offer(s)  {c.Definition.Name}"));
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command Approve(CliConsole console)
    {
        var id = Id();
        var db = CommonOptions.Db();
        var actor = Actor();
        var note = new Option<string?>("--note") { Description = "A note for the audit trail." };
        var withoutForecast = new Option<bool>("--without-forecast") { Description = "Approve a draft that has no forecast (recorded as such in the audit trail)." };
        var json = CommonOptions.Json();
        var command = new Command("approve", "Approve a forecast campaign for launch.") { id, db, actor, note, withoutForecast, json };
        command.SetAction(parse => Guard(console, parse.GetValue(json), () =>
        {
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var campaigns = new DuckDbCampaignStore(store);
            var stored = Find(campaigns, parse.GetValue(id)!);
            var step = new CampaignWorkflow(console.Clock).Apply(
                stored.Definition, stored.Version, CampaignAction.Approve, parse.GetValue(actor)!, parse.GetValue(note), withoutForecast: parse.GetValue(withoutForecast));
            campaigns.Update(step.Campaign, stored.Version, Row(step.Audit));
            var summary = Summary(step.Campaign, step.Audit.Version);
            summary["audit"] = AuditJson(step.Audit);
            Write(console, parse.GetValue(json), summary, $"{step.Campaign.Id}: approved (version {step.Audit.Version}){(step.Audit.Detail is { } d ? $"; {d}" : "")}");
            return 0;
        }));
        return command;
    }

    private static Command Launch(CliConsole console)
    {
        var id = Id();
        var db = CommonOptions.Db();
        var holdout = new Option<double?>("--holdout") { Description = "Share of the targeted users kept as a randomized holdout, in [0, 1) (default: the campaign's, 0.1 unless it says otherwise)." };
        var everyone = new Option<bool>("--ignore-target-list") { Description = "Target the campaign's whole audience even when `campaign optimize --save` stored a target list." };
        var actor = Actor();
        var json = CommonOptions.Json();
        var command = new Command("launch", "Launch an approved campaign: every targeted user (the saved target list of `campaign optimize --save` when there is one, else the audience) goes to treatment or the randomized holdout (recorded for the readout).")
        {
            id, db, holdout, everyone, actor, json,
        };
        command.SetAction(parse => Guard(console, parse.GetValue(json), () =>
        {
            var clock = Stopwatch.StartNew();
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var campaigns = new DuckDbCampaignStore(store);
            var stored = Find(campaigns, parse.GetValue(id)!);
            var share = parse.GetValue(holdout) ?? stored.Definition.HoldoutFraction;
            if (!(share is >= 0 and < 1))
            {
                throw new ArgumentException($"--holdout must lie in [0, 1), not {share.ToString(CultureInfo.InvariantCulture)}.");
            }

            var campaign = stored.Definition with { HoldoutFraction = share };
            var step = new CampaignWorkflow(console.Clock).Apply(
                campaign, stored.Version, CampaignAction.Launch, parse.GetValue(actor)!, FormattableString.Invariant($"holdout {share:0.###}"));
            var list = parse.GetValue(everyone) ? null : CampaignTargetListTable.Load(store, campaign.Id);
            int profileVersion;
            int? segmentRun;
            IReadOnlyList<CampaignAssignmentRow> assignments;
            if (list is not null)
            {
                (profileVersion, segmentRun, assignments) = (list.ProfileVersion, null, CampaignPlanning.Assign(list, campaigns, campaign));
            }
            else
            {
                var (audience, all) = CampaignPlanning.Assign(store, campaigns, campaign);
                (profileVersion, segmentRun, assignments) = (audience.ProfileVersion, audience.SegmentRun, all);
            }

            var record = campaigns.Launch(step.Campaign, stored.Version, Row(step.Audit), assignments);
            console.Log($"campaign {campaign.Id}: live; {record.Treatment:N0} users treated, {record.Holdout:N0} held out{(list is null ? "" : " (its saved target list)")}");
            var summary = Summary(step.Campaign, step.Audit.Version);
            summary["audience_source"] = list is null ? "audience" : "target_list";
            summary["profile_version"] = profileVersion;
            summary["segment_run"] = segmentRun;
            summary["targeted"] = assignments.Count;
            summary["treatment"] = record.Treatment;
            summary["holdout"] = record.Holdout;
            summary["campaign_key"] = record.CampaignKey;
            summary["dataset"] = DuckDbCampaignStore.Dataset;
            summary["table"] = "exposures";
            summary["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            Write(console, parse.GetValue(json), summary, $"{campaign.Id}: live; {record.Treatment:N0} treated, {record.Holdout:N0} in the holdout ({share:P0}). Read out later: promopilot campaign readout {campaign.Id}");
            return 0;
        }));
        return command;
    }

    private static Command Optimize(CliConsole console)
    {
        var id = Id();
        var db = CommonOptions.Db();
        var budget = new Option<double?>("--budget") { Description = "Money the plan may spend on discounts (default: the campaign's budget)." };
        var margin = new Option<double>("--margin") { Description = "Gross margin share of a basket, for incremental profit.", DefaultValueFactory = _ => new DiscountResponseOptions().Margin };
        var save = new Option<bool>("--save") { Description = "Store the chosen users as the campaign's target list (campaign_target_lists): the launch then assigns treatment and holdout over exactly them." };
        var actor = Actor();
        var json = CommonOptions.Json();
        var command = new Command("optimize", "Budget-optimal targeting: at most one of the campaign's offers per targeted user, the most expected incremental profit within the budget.")
        {
            id, db, budget, margin, save, actor, json,
        };
        command.SetAction(parse => Guard(console, parse.GetValue(json), () =>
        {
            var clock = Stopwatch.StartNew();
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var campaigns = new DuckDbCampaignStore(store);
            var stored = Find(campaigns, parse.GetValue(id)!);
            var campaign = stored.Definition;
            if (parse.GetValue(save) && campaign.Status is not (CampaignStatus.Draft or CampaignStatus.Forecast or CampaignStatus.Approved))
            {
                throw new ArgumentException($"campaign '{campaign.Id}' is {CampaignWorkflow.Name(campaign.Status)}: its audience is fixed, no target list can be saved.");
            }

            var money = parse.GetValue(budget) ?? (campaign.Budget is { } b ? (double)b : throw new ArgumentException($"campaign '{campaign.Id}' states no budget: give --budget."));
            if (!(money >= 0) || !double.IsFinite(money))
            {
                throw new ArgumentException($"--budget must be a finite amount >= 0, not {money.ToString(CultureInfo.InvariantCulture)}.");
            }

            var plan = CampaignPlanning.Optimize(store, campaigns, campaign, money, parse.GetValue(margin));
            var report = new JsonObject
            {
                ["campaign"] = campaign.Id,
                ["budget"] = money,
                ["targeted"] = plan.Targeted,
                ["users"] = plan.Users,
                ["offers"] = plan.Offers,
                ["objective"] = plan.Objective,
                ["spend"] = plan.Spend,
                ["lp_bound"] = plan.Bound,
                ["bound_source"] = plan.BoundSource,
                ["gap"] = plan.Gap,
                ["greedy_objective"] = plan.GreedyObjective,
                ["users_targeted"] = plan.UsersTargeted,
                ["expected_incremental_conversions"] = plan.IncrementalConversions,
                ["expected_incremental_revenue"] = plan.IncrementalRevenue,
                ["plan"] = new JsonArray([.. plan.Allocations.Select(a => (JsonNode)new JsonObject { ["offer"] = a.OfferId, ["users"] = a.Users, ["spend"] = a.Spend })]),
                ["skipped_offers"] = new JsonArray([.. plan.Skipped.Select(s => (JsonNode)new JsonObject { ["offer"] = s.OfferId, ["reason"] = s.Reason })]),
                ["value_model"] = "discount response simulation (docs/campaigns.md)",
                ["margin"] = plan.Margin,
                ["profile_version"] = plan.ProfileVersion,
            };
            var saved = parse.GetValue(save) ? SaveTargets(console, store, campaigns, stored, plan, parse.GetValue(actor)!) : null;
            report["saved"] = saved is not null;
            if (saved is not null)
            {
                report["target_list"] = new JsonObject { ["table"] = "campaign_target_lists", ["users"] = saved.Users.Count, ["version"] = stored.Version + 1 };
            }

            report["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            Write(console, parse.GetValue(json), report, FormattableString.Invariant(
                $"{campaign.Id}: {plan.UsersTargeted:N0} of {plan.Users:N0} users get an offer; expected incremental profit {plan.Objective:N2} (bound {plan.Bound:N2}, greedy {plan.GreedyObjective:N2}), spend {plan.Spend:N2} of {money:N2}")
                + (saved is null ? "" : $"; saved as the target list. Next: promopilot campaign launch {campaign.Id}"));
            return 0;
        }));
        return command;
    }

    /// <summary>Stores the plan's chosen users as the campaign's target list, with an audit row ("target", status unchanged).</summary>
    private static CampaignTargetList SaveTargets(CliConsole console, DuckDbStore store, DuckDbCampaignStore campaigns, StoredCampaign stored, TargetingSummary plan, string actor)
    {
        var campaign = stored.Definition;
        if (plan.Chosen.Count == 0)
        {
            throw new ArgumentException($"campaign '{campaign.Id}': the plan gives no user an offer under budget {plan.Budget.ToString(CultureInfo.InvariantCulture)}; nothing was saved.");
        }

        var now = console.Clock.GetUtcNow();
        var list = new CampaignTargetList(campaign.Id, plan.Budget, plan.ProfileVersion, now, plan.Chosen);
        var status = CampaignWorkflow.Name(campaign.Status);
        campaigns.Update(campaign, stored.Version, new CampaignAuditRow(
            campaign.Id, stored.Version + 1, "target", status, status, actor, now,
            FormattableString.Invariant($"target list of {plan.Chosen.Count} users (budget {plan.Budget:0.##}, expected spend {plan.Spend:0.##}, profile version {plan.ProfileVersion})")));
        CampaignTargetListTable.Save(store, list);
        console.Log($"campaign {campaign.Id}: target list of {plan.Chosen.Count:N0} users saved (campaign_target_lists)");
        return list;
    }

    private static StoredCampaign Find(DuckDbCampaignStore campaigns, string id) =>
        campaigns.Find(id) ?? throw new ArgumentException(
            $"no campaign '{id}' in the store (campaigns: {string.Join(", ", campaigns.List().Select(c => c.Definition.Id).DefaultIfEmpty("none; promopilot campaign create --file F"))}).");

    private static CampaignAuditRow Row(CampaignAuditEntry e) => new(
        e.CampaignId, e.Version, CampaignWorkflow.Name(e.Action), e.From is { } from ? CampaignWorkflow.Name(from) : null, CampaignWorkflow.Name(e.To), e.Actor, e.At, e.Detail);

    private static JsonObject AuditJson(CampaignAuditEntry e) => new()
    {
        ["action"] = CampaignWorkflow.Name(e.Action),
        ["from"] = e.From is { } from ? CampaignWorkflow.Name(from) : null,
        ["to"] = CampaignWorkflow.Name(e.To),
        ["actor"] = e.Actor,
        ["at"] = e.At.ToString("O", CultureInfo.InvariantCulture),
        ["detail"] = e.Detail,
    };

    private static JsonObject Summary(CampaignDefinition c, int version, DateTimeOffset? updated = null)
    {
        var summary = new JsonObject
        {
            ["campaign"] = c.Id,
            ["name"] = c.Name,
            ["status"] = CampaignWorkflow.Name(c.Status),
            ["version"] = version,
            ["offers"] = new JsonArray([.. c.Offers.Select(o => (JsonNode)JsonValue.Create(o.Id))]),
            ["budget"] = c.Budget,
            ["holdout_fraction"] = c.HoldoutFraction,
            ["audience"] = c.Audience,
            ["segment"] = c.Segment,
        };
        if (updated is { } at)
        {
            summary["updated_at"] = at.ToString("O", CultureInfo.InvariantCulture);
        }

        return summary;
    }

    private static void Write(CliConsole console, bool json, JsonObject report, string text)
    {
        if (json)
        {
            console.WriteJson(report);
        }
        else
        {
            console.Output.WriteLine(text);
        }
    }

    /// <summary>The console's guard, plus: a rejected file prints every problem (and "problems" in JSON); a workflow refusal is an error like any other.</summary>
    private static int Guard(CliConsole console, bool json, Func<int> body) => console.Guard(json, () =>
    {
        try
        {
            return body();
        }
        catch (CampaignRejectedException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            foreach (var problem in e.Problems)
            {
                console.Error.WriteLine($"  {problem}");
            }

            if (json)
            {
                console.WriteJson(new JsonObject { ["error"] = e.Message, ["problems"] = new JsonArray([.. e.Problems.Select(p => (JsonNode)JsonValue.Create(p))]) });
            }

            return 1;
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    });
}
