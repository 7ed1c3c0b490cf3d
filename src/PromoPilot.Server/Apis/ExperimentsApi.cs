using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Serving;
using PromoPilot.Measurement.Experiments.Assignment;
using PromoPilot.Server.Http;
using PromoPilot.Server.Security;

namespace PromoPilot.Server.Apis;

/// <summary>GET/POST/PUT /v1/experiments: experiment definitions in the format of docs/experiment-assignment.md.</summary>
public static class ExperimentsApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/experiments").WithTags("Experiments");
        group.MapGet("/", List).RequireAuthorization(Policies.Read).WithName("ListExperiments");
        group.MapGet("/{key}", Get).RequireAuthorization(Policies.Read).WithName("GetExperiment");
        group.MapPost("/", Create).RequireAuthorization(Policies.Manage).WithName("CreateExperiment");
        group.MapPut("/{key}", Update).RequireAuthorization(Policies.Manage).WithName("UpdateExperiment");
    }

    private static IResult List(ServingRuntime runtime) =>
        TypedResults.Ok(new { experiments = runtime.Experiments.OrderBy(e => e.Key, StringComparer.Ordinal).Select(View).ToList() });

    private static IResult Get(string key, ServingRuntime runtime) =>
        runtime.Experiments.FirstOrDefault(e => e.Key == key) is { } stored
            ? TypedResults.Ok(View(stored))
            : Problems.Result(StatusCodes.Status404NotFound, "Unknown experiment", $"no experiment '{CampaignsApi.Show(key)}'");

    private static Task<IResult> Create(HttpContext http, ServingRuntime runtime, CancellationToken cancellationToken) => Save(http, runtime, null, cancellationToken);

    private static Task<IResult> Update(string key, HttpContext http, ServingRuntime runtime, CancellationToken cancellationToken) => Save(http, runtime, key, cancellationToken);

    private static async Task<IResult> Save(HttpContext http, ServingRuntime runtime, string? key, CancellationToken cancellationToken)
    {
        var (document, error) = await Problems.ReadAsync<JsonDocument>(http.Request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        string json;
        using (document)
        {
            json = document!.RootElement.GetRawText();
        }

        ExperimentDefinition experiment;
        try
        {
            experiment = ExperimentJson.Parse(json);
        }
        catch (Exception e) when (e is ExperimentDefinitionException or JsonException or FormatException)
        {
            return Problems.Invalid([e.Message]);
        }

        if (!CampaignDefinition.IsValidId(experiment.Key))
        {
            return Problems.Invalid(["key: must be 1-64 letters, digits, '-', '_' or '.'"]);
        }

        if (key is not null && experiment.Key != key)
        {
            return Problems.Invalid([$"key: the body's key '{CampaignsApi.Show(experiment.Key)}' is not the path's '{CampaignsApi.Show(key)}'"]);
        }

        var current = runtime.Experiments.FirstOrDefault(e => e.Key == experiment.Key);
        if (key is null && current is not null)
        {
            return Problems.Result(StatusCodes.Status409Conflict, "Experiment exists", $"experiment '{experiment.Key}' exists (version {current.Version}); PUT to change it");
        }

        if (key is not null && current is null)
        {
            return Problems.Result(StatusCodes.Status404NotFound, "Unknown experiment", $"no experiment '{CampaignsApi.Show(key)}'");
        }

        var (actor, role) = Actors.Of(http.User);
        var audit = new AuditEntry(runtime.Clock.GetUtcNow(), actor, role, key is null ? "create" : "update", "experiment", experiment.Key, null);
        StoredExperiment saved;
        try
        {
            saved = await runtime.Store.SaveExperimentAsync(experiment.Key, json, current?.Version ?? 0, audit, cancellationToken);
        }
        catch (VersionConflictException e)
        {
            return Problems.Result(StatusCodes.Status409Conflict, "Version conflict", e.Message);
        }

        await runtime.RefreshAsync(cancellationToken);
        return key is null ? TypedResults.Created($"/v1/experiments/{saved.Key}", View(saved)) : TypedResults.Ok(View(saved));
    }

    private static object View(StoredExperiment stored) =>
        new { key = stored.Key, version = stored.Version, updated_at = stored.UpdatedAt, definition = JsonNode.Parse(stored.DefinitionJson) };
}
