using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PromoPilot.Campaigns.Forecasting;
using PromoPilot.Campaigns.Workflow;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Rules;
using PromoPilot.Features.Segments;
using PromoPilot.Server.Campaigns;
using PromoPilot.Server.Security;
using PromoPilot.Storage.Campaigns;
using PromoPilot.Storage.Queries;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Dashboard;

/// <summary>
/// The campaign designer: a form for the audience (segment and/or rule), one offer, budget, duration and holdout; the
/// server checks every field and answers inline messages beside each (422), or the effect forecast with intervals
/// (<see cref="CampaignPlanning.ForecastEffect"/>, as <c>promopilot campaign forecast</c>) and the budget-optimal
/// targeting (<see cref="CampaignPlanning.Optimize"/>, as <c>campaign optimize</c>). Admins launch from the same form:
/// draft → forecast → approved → live with the holdout, the CLI's workflow on the same tables, then the results page.
/// Analysts may forecast only. Nothing the form can send makes the server answer 500.
/// </summary>
internal static class DesignerPage
{
    public const string Path = "/dashboard/designer";

    /// <summary>Offer types the designer offers: the ones whose cost the forecaster and the response model both value.</summary>
    private static readonly (string Value, string Label)[] OfferTypes = [("percent_off", "Percent off"), ("amount_off", "Amount off"), ("free_shipping", "Free shipping")];

    private static readonly string[] Fields = ["id", "name", "segment", "rule", "offer_type", "percent", "cap", "amount", "minimum_basket", "budget", "days", "holdout", "margin"];

    /// <summary>Bootstrap refits behind the designer's intervals (the CLI's default).</summary>
    private const int Replicates = 10;

    public static IResult Show(HttpContext http, DashboardStore store)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = "", ["name"] = "", ["segment"] = "", ["rule"] = "", ["offer_type"] = "percent_off", ["percent"] = "10", ["cap"] = "",
            ["amount"] = "", ["minimum_basket"] = "", ["budget"] = "1000", ["days"] = "14", ["holdout"] = "10", ["margin"] = "30",
        };
        return Render(http, store, form, new Dictionary<string, string>(StringComparer.Ordinal), null, StatusCodes.Status200OK);
    }

    public static async Task<IResult> Submit(HttpContext http, IAntiforgery antiforgery, DashboardStore store, ServingRuntime runtime)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!http.Request.HasFormContentType)
        {
            foreach (var field in Fields)
            {
                values[field] = "";
            }

            errors["form"] = "The designer was not sent as a form.";
            return Render(http, store, values, errors, null, StatusCodes.Status400BadRequest);
        }

        IFormCollection posted;
        try
        {
            posted = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException)
        {
            // A value the form reader refuses (a NUL character, a form over the size limits): a bad request, not a crash.
            foreach (var field in Fields)
            {
                values[field] = "";
            }

            errors["form"] = "The form could not be read (it holds characters or a size the server does not accept).";
            return Render(http, store, values, errors, null, StatusCodes.Status400BadRequest);
        }

        foreach (var field in Fields)
        {
            var text = posted[field].ToString();
            values[field] = text.Length > 2000 ? text[..2000] : text;
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            errors["form"] = "The form expired; please submit it again.";
            return Render(http, store, values, errors, null, StatusCodes.Status400BadRequest);
        }

        var launch = posted["action"].ToString() == "launch";
        if (launch && !http.User.IsInRole(Roles.Admin))
        {
            errors["form"] = "Only an admin key may launch a campaign; analysts may forecast.";
            return Render(http, store, values, errors, null, StatusCodes.Status403Forbidden);
        }

        var now = runtime.Clock.GetUtcNow();
        var (campaign, margin) = Parse(values, errors, now);
        var settings = new EffectForecastSettings { Margin = margin, Replicates = Replicates };

        // Three steps, so the store (one connection for every dashboard page) is held only while reading and writing,
        // not while the uplift models are fitted: check against the store and read the data; fit and forecast; launch.
        var (data, problem) = store.Read(s =>
        {
            var campaigns = new DuckDbCampaignStore(s);
            if (campaign is null)
            {
                // The segment is checked against the store even when other fields failed, so every message shows at once.
                if (values["segment"].Trim() is { Length: > 0 and <= 200 } segment)
                {
                    foreach (var p in CampaignAudience.SegmentProblems(campaigns, new CampaignDefinition("segment-check", "segment check", [], Segment: segment)))
                    {
                        AddProblem(errors, p);
                    }
                }

                return null;
            }

            foreach (var p in CampaignAudience.Problems(campaigns, campaign))
            {
                AddProblem(errors, p);
            }

            if (launch && campaigns.Find(campaign.Id) is not null)
            {
                errors.TryAdd("id", $"a campaign '{campaign.Id}' exists already: choose another id");
            }

            if (errors.Count > 0)
            {
                return null;
            }

            try
            {
                return CampaignPlanning.LoadEffectData(s, campaigns, campaign, settings);
            }
            catch (ArgumentException e)
            {
                errors["form"] = e.Message;
                return null;
            }
        });
        if (problem is not null)
        {
            errors["form"] = problem;
        }

        Outcome? outcome = null;
        if (errors.Count == 0 && data is not null)
        {
            try
            {
                var planned = CampaignPlanning.ForecastEffect(data, settings);
                var targeting = CampaignPlanning.Optimize(data.Audience, data.Campaign, (double)data.Campaign.Budget!.Value, margin);
                outcome = new Outcome(planned, targeting, null);
            }
            catch (ArgumentException e)
            {
                errors["form"] = e.Message;
            }
        }

        if (launch && outcome?.Planned is { } forecast)
        {
            (outcome, problem) = store.Read(s =>
            {
                try
                {
                    return Launch(s, new DuckDbCampaignStore(s), data!.Campaign, forecast, http.User, runtime.Clock);
                }
                catch (ArgumentException e)
                {
                    errors[e.Message.Contains("exists", StringComparison.Ordinal) ? "id" : "form"] = e.Message;
                    return null;
                }
            });
            if (problem is not null)
            {
                errors["form"] = problem;
            }
        }

        if (errors.Count > 0 || outcome is null)
        {
            return Render(http, store, values, errors, null, StatusCodes.Status422UnprocessableEntity);
        }

        if (outcome.LaunchedId is { } id)
        {
            return Results.Redirect(ResultsPage.PathOf(id));
        }

        return Render(http, store, values, errors, outcome, StatusCodes.Status200OK);
    }

    /// <summary>What a valid submission gave: a forecast and targeting, or the id of the launched campaign.</summary>
    private sealed record Outcome(PlannedEffect? Planned, TargetingSummary? Targeting, string? LaunchedId);

    /// <summary>The CLI's workflow on the same tables: draft, forecast (stored for the readout), approval, launch with the holdout.</summary>
    private static Outcome Launch(PromoPilot.Storage.DuckDbStore store, DuckDbCampaignStore campaigns, CampaignDefinition campaign, PlannedEffect planned, ClaimsPrincipal user, TimeProvider clock)
    {
        var actor = "dashboard:" + (user.FindFirstValue("key_name") ?? user.Identity?.Name ?? "admin");
        var workflow = new CampaignWorkflow(clock);
        var created = workflow.Create(campaign, actor);
        campaigns.Add(created.Campaign, Row(created.Audit));
        var now = clock.GetUtcNow();
        var key = campaigns.CampaignKey(created.Campaign, now);
        foreach (var f in planned.Forecast.ToCampaignForecasts(planned.Model, now))
        {
            CampaignResultTables.SaveForecast(store, key, f);
        }

        var forecast = planned.Forecast;
        var forecasted = workflow.Apply(created.Campaign, 1, CampaignAction.Forecast, actor, FormattableString.Invariant(
            $"incremental conversions {forecast.IncrementalConversions.Value:F1} [{forecast.IncrementalConversions.Low:F1}, {forecast.IncrementalConversions.High:F1}], ROI {forecast.Roi?.Value:F2}"));
        campaigns.Update(forecasted.Campaign, 1, Row(forecasted.Audit));
        var approved = workflow.Apply(forecasted.Campaign, forecasted.Audit.Version, CampaignAction.Approve, actor, "approved in the dashboard designer");
        campaigns.Update(approved.Campaign, forecasted.Audit.Version, Row(approved.Audit));
        var launched = workflow.Apply(approved.Campaign, approved.Audit.Version, CampaignAction.Launch, actor, FormattableString.Invariant($"holdout {campaign.HoldoutFraction:0.###}"));
        var assignments = CampaignPlanning.Assign(planned.Audience, campaigns, approved.Campaign);
        campaigns.Launch(launched.Campaign, approved.Audit.Version, Row(launched.Audit), assignments);
        return new Outcome(planned, null, campaign.Id);
    }

    private static CampaignAuditRow Row(CampaignAuditEntry e) => new(
        e.CampaignId, e.Version, CampaignWorkflow.Name(e.Action), e.From is { } from ? CampaignWorkflow.Name(from) : null, CampaignWorkflow.Name(e.To), e.Actor, e.At, e.Detail);

    /// <summary>Reads every field into a campaign; each problem goes to its field's message. Null when a field is unusable.</summary>
    private static (CampaignDefinition? Campaign, double Margin) Parse(Dictionary<string, string> v, Dictionary<string, string> errors, DateTimeOffset now)
    {
        var id = v["id"].Trim();
        if (!CampaignDefinition.IsValidId(id))
        {
            errors["id"] = "1 to 64 letters, digits, '-', '_' or '.'";
        }

        var name = v["name"].Trim();
        if (name.Length is 0 or > 120)
        {
            errors["name"] = "a name of 1 to 120 characters";
        }

        var rule = v["rule"].Trim();
        if (rule.Length > 500)
        {
            errors["rule"] = "at most 500 characters";
        }
        else if (rule.Length > 0)
        {
            // Checked here as well as with the store's problems below, so the message shows whatever else is wrong.
            try
            {
                _ = Rule.Parse(rule, CustomerRuleContext.Schema);
            }
            catch (RuleSyntaxException e)
            {
                errors["rule"] = e.Message;
            }
        }

        var segment = v["segment"].Trim();
        if (segment.Length > 200)
        {
            errors["segment"] = "choose a segment from the list";
        }

        var type = v["offer_type"] switch
        {
            "percent_off" => OfferType.PercentOff,
            "amount_off" => OfferType.AmountOff,
            "free_shipping" => OfferType.FreeShipping,
            _ => (OfferType?)null,
        };
        if (type is null)
        {
            errors["offer_type"] = "choose percent off, amount off or free shipping";
        }

        var percent = Number(v, errors, "percent", 0, 100, required: type == OfferType.PercentOff, exclusiveLow: true, "a percentage above 0 and at most 100");
        var cap = Number(v, errors, "cap", 0, 1_000_000, required: false, exclusiveLow: true, "an amount above 0 and at most 1,000,000, or empty for no cap");
        var amount = Number(v, errors, "amount", 0, 100_000, required: type is OfferType.AmountOff or OfferType.FreeShipping, exclusiveLow: true, "an amount above 0 and at most 100,000");
        var basket = Number(v, errors, "minimum_basket", 0, 1_000_000, required: false, exclusiveLow: false, "an amount from 0 to 1,000,000, or empty");
        var budget = Number(v, errors, "budget", 0, 100_000_000, required: true, exclusiveLow: true, "an amount above 0 and at most 100,000,000");
        var days = Number(v, errors, "days", 1, 365, required: true, exclusiveLow: false, "whole days from 1 to 365");
        if (days is { } d && d != decimal.Truncate(d))
        {
            errors["days"] = "whole days from 1 to 365";
        }

        var holdout = Number(v, errors, "holdout", 1, 50, required: true, exclusiveLow: false, "a percentage from 1 to 50 (the randomized holdout the readout compares with)");
        var margin = Number(v, errors, "margin", 0, 100, required: true, exclusiveLow: true, "a percentage above 0 and at most 100");
        if (errors.Count > 0)
        {
            return (null, 0);
        }

        var offer = new OfferDefinition(
            "offer", type!.Value, Name: name,
            Percent: type == OfferType.PercentOff ? percent / 100 : null,
            Cap: type == OfferType.PercentOff ? cap : null,
            Amount: type == OfferType.PercentOff ? null : amount,
            MinimumBasket: basket ?? 0);
        var campaign = new CampaignDefinition(
            id, name, [offer], Ends: now.AddDays((double)days!.Value), Audience: rule.Length == 0 ? null : rule, Segment: segment.Length == 0 ? null : segment,
            Budget: budget, HoldoutFraction: (double)holdout!.Value / 100);
        foreach (var p in campaign.Problems())
        {
            AddProblem(errors, p);
        }

        return errors.Count > 0 ? (null, 0) : (campaign, (double)margin!.Value / 100);
    }

    /// <summary>A field's number in [low, high] (low excluded when asked); the message when missing, unreadable or out of range.</summary>
    private static decimal? Number(Dictionary<string, string> v, Dictionary<string, string> errors, string field, decimal low, decimal high, bool required, bool exclusiveLow, string expected)
    {
        var text = v[field].Trim();
        if (text.Length == 0)
        {
            if (required)
            {
                errors[field] = "required: " + expected;
            }

            return null;
        }

        if (text.Length > 32 || !decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            errors[field] = "not a number: " + expected;
            return null;
        }

        if (value > high || value < low || (exclusiveLow && value == low))
        {
            errors[field] = "out of range: " + expected;
            return null;
        }

        return value;
    }

    /// <summary>A problem from the campaign's own checks ("field: reason") goes beside its field; the rest above the form.</summary>
    private static void AddProblem(Dictionary<string, string> errors, string problem)
    {
        var colon = problem.IndexOf(':', StringComparison.Ordinal);
        var path = colon > 0 ? problem[..colon] : "";
        var reason = colon > 0 ? problem[(colon + 1)..].Trim() : problem;
        var field = path switch
        {
            "id" or "name" or "segment" => path,
            "audience" => "rule",
            "budget" => "budget",
            "holdout_fraction" => "holdout",
            "offers[0].percent" => "percent",
            "offers[0].cap" => "cap",
            "offers[0].amount" => "amount",
            "offers[0].minimum_basket" => "minimum_basket",
            _ => "form",
        };
        errors[field] = errors.TryGetValue(field, out var existing) ? existing + "; " + reason : field == "form" ? problem : reason;
    }

    private static IResult Render(HttpContext http, DashboardStore store, Dictionary<string, string> v, Dictionary<string, string> errors, Outcome? outcome, int status)
    {
        var (segments, _) = store.Read(DashboardQueries.Segments);
        var token = AntiforgeryToken(http);
        var admin = http.User.IsInRole(Roles.Admin);
        var body = new StringBuilder();
        body.Append("<p>Design a campaign: who it targets, what it offers and what it may spend. <strong>Forecast</strong> shows the expected effect with intervals and the budget-optimal targeting; nothing is stored. ");
        body.Append(admin ? "<strong>Launch</strong> stores it, forecasts, approves and launches it with the holdout (as <code>promopilot campaign create/forecast/approve/launch</code>).</p>" : "Launching needs an admin key.</p>");
        if (errors.Count > 0)
        {
            body.Append("<div role=\"alert\" id=\"form-errors\"><p class=\"error\">");
            body.Append(errors.TryGetValue("form", out var general) ? E(general) : $"{errors.Count} field(s) need attention: see the messages beside them.");
            body.Append("</p></div>");
        }

        body.Append(Invariant, $"""
            <form class="panel designer" method="post" action="{Path}" novalidate>
            <input type="hidden" name="__RequestVerificationToken" value="{E(token)}">
            <fieldset><legend>Campaign</legend>
            {Input("id", "Campaign id", v, errors, "Letters, digits, '-', '_' or '.'; unique in the store.", "maxlength=\"64\" autocomplete=\"off\"")}
            {Input("name", "Name", v, errors, "Shown in reports.", "maxlength=\"120\"")}
            </fieldset>
            <fieldset><legend>Audience</legend>
            {Select("segment", "Segment", v, errors, [("", "Any customer"), .. (segments ?? []).Select(s => (s.Name, $"{s.Name} ({N(s.Customers)} customers)"))], "A segment of the latest segmentation (promopilot segment).")}
            {Input("rule", "Rule (optional)", v, errors, "A rule over profile fields, e.g. recency_days > 90 and frequency >= 2 (docs/rules.md). With a segment, both must hold.", "maxlength=\"500\"")}
            </fieldset>
            <fieldset><legend>Offer</legend>
            {Select("offer_type", "Offer type", v, errors, [.. OfferTypes], "What the offer gives.")}
            {Input("percent", "Percent off (%)", v, errors, "For percent off: above 0, at most 100.", "inputmode=\"decimal\" maxlength=\"32\"")}
            {Input("cap", "Cap per order", v, errors, "For percent off: the most one order saves; empty for none.", "inputmode=\"decimal\" maxlength=\"32\"")}
            {Input("amount", "Amount off / shipping cost", v, errors, "For amount off and free shipping: what one redemption gives.", "inputmode=\"decimal\" maxlength=\"32\"")}
            {Input("minimum_basket", "Minimum basket", v, errors, "The offer applies from this subtotal; empty for any basket.", "inputmode=\"decimal\" maxlength=\"32\"")}
            </fieldset>
            <fieldset><legend>Budget and measurement</legend>
            {Input("budget", "Budget", v, errors, "Money the campaign may give away in total.", "inputmode=\"decimal\" maxlength=\"32\"")}
            {Input("days", "Duration (days)", v, errors, "From launch; 1 to 365.", "inputmode=\"numeric\" maxlength=\"32\"")}
            {Input("holdout", "Holdout share (%)", v, errors, "Targeted customers kept out at random so the readout can measure the effect; 1 to 50.", "inputmode=\"decimal\" maxlength=\"32\"")}
            {Input("margin", "Gross margin (%)", v, errors, "Margin on order value, for incremental profit and ROI.", "inputmode=\"decimal\" maxlength=\"32\"")}
            </fieldset>
            <button type="submit" name="action" value="forecast">Forecast</button>
            {(admin ? "<button type=\"submit\" name=\"action\" value=\"launch\" class=\"secondary\">Launch</button>" : "")}
            </form>
            """);
        if (outcome is { Planned: { } planned, Targeting: { } targeting })
        {
            body.Append(ForecastSection(planned, targeting));
        }

        return DashboardApp.Page(http, DashboardApp.Layout(http, "Campaign designer", Path, body.ToString()), status);
    }

    private static string? AntiforgeryToken(HttpContext http) => http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken;

    private static string ForecastSection(PlannedEffect planned, TargetingSummary targeting)
    {
        var f = planned.Forecast;
        var body = new StringBuilder();
        body.Append(Invariant, $"<section aria-labelledby=\"forecast\" id=\"forecast-result\"><h2 id=\"forecast\">Forecast</h2><p class=\"note\">{N(planned.Audience.Profiles.Count)} customers targeted (profile version {planned.Audience.ProfileVersion}); {E(planned.Model)}; {Percent(f.Level)} intervals.</p>");
        body.Append("<div class=\"cards\">");
        body.Append(Card("Reach", N(f.Reach.Value), Range(f.Reach, 0)));
        body.Append(Card("Incremental conversions", N(f.IncrementalConversions.Value, 1), Range(f.IncrementalConversions, 1)));
        body.Append(Card("Incremental revenue", Money(f.IncrementalRevenue.Value), Range(f.IncrementalRevenue, 2)));
        body.Append(Card("Cost", Money(f.Cost.Value), Range(f.Cost, 2)));
        body.Append(Card("ROI", f.Roi is { } roi ? N(roi.Value, 2) : "n/a", f.Roi is { } r ? Range(r, 2) : "no cost"));
        body.Append("</div>");
        body.Append("<table id=\"forecast-table\"><caption>Forecast with intervals</caption><thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Forecast</th><th scope=\"col\">Low</th><th scope=\"col\">High</th></tr></thead><tbody>");
        void Row(string label, EffectInterval i, int decimals) =>
            body.Append(Invariant, $"<tr><th scope=\"row\">{E(label)}</th><td>{N(i.Value, decimals)}</td><td>{N(i.Low, decimals)}</td><td>{N(i.High, decimals)}</td></tr>");
        Row("Reach", f.Reach, 0);
        Row("Redemptions", f.Redemptions, 1);
        Row("Incremental conversions", f.IncrementalConversions, 2);
        Row("Incremental revenue", f.IncrementalRevenue, 2);
        Row("Incremental margin", f.IncrementalMargin, 2);
        Row("Cost", f.Cost, 2);
        if (f.Roi is { } roiRow)
        {
            Row("ROI (incremental margin / cost)", roiRow, 3);
        }

        body.Append("</tbody></table>");
        body.Append("</section>");

        body.Append(Invariant, $"<section aria-labelledby=\"targeting\" id=\"targeting-result\"><h2 id=\"targeting\">Budget-optimal targeting</h2><p class=\"note\">At most one offer per customer, the most expected incremental profit within the budget (discount response simulation, margin {Percent(targeting.Margin)}; as promopilot campaign optimize).</p><div class=\"cards\">");
        body.Append(Card("Customers given the offer", N(targeting.UsersTargeted), $"of {N(targeting.Users)} valued ({N(targeting.Targeted)} targeted)"));
        body.Append(Card("Expected incremental profit", Money(targeting.Objective), $"bound {Money(targeting.Bound)} ({targeting.BoundSource}), gap {Percent(targeting.Gap)}"));
        body.Append(Card("Expected spend", Money(targeting.Spend), $"of {Money(targeting.Budget)}"));
        body.Append(Card("Incremental conversions", N(targeting.IncrementalConversions, 1), $"revenue {Money(targeting.IncrementalRevenue)}"));
        body.Append(Card("Greedy heuristic", Money(targeting.GreedyObjective), "for comparison"));
        body.Append("</div>");
        foreach (var skipped in targeting.Skipped)
        {
            body.Append(Note($"Offer {skipped.OfferId} not valued: {skipped.Reason}"));
        }

        body.Append("</section>");
        return body.ToString();
    }

    private static string Range(EffectInterval i, int decimals) => $"[{N(i.Low, decimals)}, {N(i.High, decimals)}]";

    /// <summary>A labelled input with its help and, when it has one, its message (both named by aria-describedby).</summary>
    private static string Input(string field, string label, Dictionary<string, string> v, Dictionary<string, string> errors, string help, string attributes)
    {
        var (describedBy, message, invalid) = Describe(field, errors);
        return $"<label for=\"{field}\">{E(label)}</label><input id=\"{field}\" name=\"{field}\" value=\"{E(v.GetValueOrDefault(field))}\" aria-describedby=\"{describedBy}\"{invalid} {attributes}><p class=\"help\" id=\"{field}-help\">{E(help)}</p>{message}";
    }

    private static string Select(string field, string label, Dictionary<string, string> v, Dictionary<string, string> errors, IReadOnlyList<(string Value, string Label)> options, string help)
    {
        var (describedBy, message, invalid) = Describe(field, errors);
        var current = v.GetValueOrDefault(field) ?? "";
        var html = new StringBuilder().Append(Invariant, $"<label for=\"{field}\">{E(label)}</label><select id=\"{field}\" name=\"{field}\" aria-describedby=\"{describedBy}\"{invalid}>");
        foreach (var (value, text) in options)
        {
            html.Append(Invariant, $"<option value=\"{E(value)}\"{(value == current ? " selected" : "")}>{E(text)}</option>");
        }

        return html.Append(Invariant, $"</select><p class=\"help\" id=\"{field}-help\">{E(help)}</p>{message}").ToString();
    }

    private static (string DescribedBy, string Message, string Invalid) Describe(string field, Dictionary<string, string> errors) =>
        errors.TryGetValue(field, out var error)
            ? ($"{field}-help {field}-error", $"<p class=\"error field-error\" id=\"{field}-error\">{E(error)}</p>", " aria-invalid=\"true\"")
            : ($"{field}-help", "", "");
}
