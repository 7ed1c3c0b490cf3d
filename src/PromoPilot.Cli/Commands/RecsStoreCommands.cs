using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PromoPilot.Core.Domain;
using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Recommendation;
using PromoPilot.Storage;
using PromoPilot.Storage.Queries;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

/// <summary>The store's interactions as a recommender sees them: aggregated rows, ids, item attributes and the time range.</summary>
internal sealed record RecsStoreData(
    string Dataset,
    List<RatedInteraction> Rows,
    string[] UserIds,
    string[] ItemIds,
    ItemAttributes[] Attributes,
    DateTime? From,
    DateTime? To,
    Dictionary<string, StoreItem> Catalog)
{
    public InteractionMatrix Matrix()
    {
        var matrix = CsrMatrix.FromTriples(UserIds.Length, ItemIds.Length, Rows.Select(r => r.User).ToArray(), Rows.Select(r => r.Item).ToArray(), Rows.Select(r => r.Weight).ToArray());
        return new InteractionMatrix(matrix, UserIds, ItemIds);
    }

    public bool HasAttributes => Attributes.Any(a => a.Title is not null || a.CategoryPath is not null || a.Brand is not null || a.Price is not null);
}

/// <summary>promopilot recs train / recs recommend, and recs eval --db: recommenders on the store's interactions (docs/recommendation.md).</summary>
internal static class RecsStoreCommands
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };

    public static Command Train(CliConsole console)
    {
        var db = CommonOptions.Db();
        var dataset = new Option<string?>("--dataset") { Description = "The dataset whose interactions are used (needed when the store holds several)." };
        var algo = new Option<string>("--algo") { Description = $"Algorithm: {string.Join(" | ", RecommenderCatalog.Names)}.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the model (als, bpr) and of the tuning split.", DefaultValueFactory = _ => 42 };
        var parameters = new Option<string[]>("--param") { Description = "Model parameter name=value (repeatable), e.g. lambda=300.", AllowMultipleArgumentsPerToken = true };
        var weights = WeightOption();
        var repeats = RepeatsOption();
        var holdoutDays = new Option<int>("--holdout-days") { Description = "Check the model on the last N days first (fit before them, score the new items bought in them), then fit on everything; 0 skips the check.", DefaultValueFactory = _ => 30 };
        var k = new Option<int>("--k") { Description = "List length of the holdout check.", DefaultValueFactory = _ => 10 };
        var coldItems = new Option<bool>("--cold-items") { Description = "Also give the model the catalog's products nobody interacted with (content-based cold-start items)." };
        var tune = TuneOption();
        var json = CommonOptions.Json();
        var command = new Command("train", "Fit a recommender on the store's interactions and store it as a new model version.")
        {
            db, dataset, algo, seed, parameters, weights, repeats, holdoutDays, k, coldItems, tune, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var path = CommonOptions.ExistingDb(parse.GetValue(db)!);
            var days = parse.GetValue(holdoutDays);
            if (days < 0)
            {
                throw new ArgumentException($"--holdout-days must be 0 or more, not {days}.");
            }

            var listLength = parse.GetValue(k);
            if (listLength <= 0)
            {
                throw new ArgumentException($"--k must be positive, not {listLength}.");
            }

            var algorithm = parse.GetValue(algo)!.ToLowerInvariant();
            var given = ParseParameters(parse.GetValue(parameters) ?? []);
            if (algorithm is "als" or "bpr" && !given.ContainsKey("seed"))
            {
                given["seed"] = parse.GetValue(seed).ToString(CultureInfo.InvariantCulture);
            }

            using var store = CommonOptions.OpenStore(path);
            var eventWeights = ParseWeights(parse.GetValue(weights) ?? []);
            var sumRepeats = SumRepeats(parse.GetValue(repeats));
            var data = Load(store, parse.GetValue(dataset), eventWeights, sumRepeats, parse.GetValue(coldItems));
            RecommenderCatalog.Create(algorithm, given, data.Attributes); // bad names or values fail before any fitting
            console.Log($"recs train {algorithm} on {data.Dataset}: {data.UserIds.Length} users, {data.ItemIds.Length} items, {data.Rows.Count} interactions");

            Dictionary<string, object?>? metrics = null;
            Dictionary<string, object?>? tuning = null;
            if (parse.GetValue(tune))
            {
                // Validation = the window before the test window (or before the end when there is no test): never the test.
                var window = days > 0 ? days : 30;
                var end = data.To ?? throw new ArgumentException("--tune needs interactions with times.");
                (given, tuning) = Tune(data, algorithm, given, days > 0 ? end.AddDays(-days) : end.AddTicks(1), window, listLength, console);
            }

            if (days > 0)
            {
                metrics = Holdout(data, algorithm, given, days, listLength, console);
            }

            if (tuning is not null)
            {
                metrics ??= [];
                metrics["tuning"] = tuning;
            }

            var matrix = data.Matrix();
            var clock = Stopwatch.StartNew();
            var model = RecommenderCatalog.Create(algorithm, given, data.Attributes);
            model.Fit(matrix.Matrix);
            ContentRecommender? content = null;
            if (algorithm != ContentRecommender.Name && data.HasAttributes)
            {
                content = new ContentRecommender(data.Attributes);
                content.Fit(matrix.Matrix);
            }

            var fitSeconds = clock.Elapsed.TotalSeconds;
            var bundle = RecommendationModel.Create(model, matrix, content);

            var version = RecommendationModelsTable.NextVersion(store);
            var folder = ModelFolder(path);
            var relative = Path.Combine(Path.GetFileName(folder), $"v{version}", "model.bin");
            var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
            {
                bundle.Save(stream);
            }

            var createdAt = console.Clock.GetUtcNow();
            // The model's options plus how the matrix was built (recommend weighs a user's newer events the same way).
            var parameterNode = JsonSerializer.SerializeToNode(ParametersOf(model), SnakeCase)!.AsObject();
            parameterNode["event_weights"] = JsonSerializer.SerializeToNode(eventWeights, SnakeCase);
            parameterNode["repeats"] = sumRepeats ? "sum" : "once";
            var parametersJson = parameterNode.ToJsonString();
            var metricsJson = metrics is null ? null : JsonSerializer.Serialize(metrics, SnakeCase);
            var row = new RecommendationModelRow(version, data.Dataset, model.Algorithm, parametersJson, data.From, data.To, model.Users, model.Items,
                matrix.Matrix.NonZeros, metricsJson, createdAt, fitSeconds, relative);
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(file)!, "metadata.json"), JsonSerializer.Serialize(Describe(row, content is not null), CliConsole.Json));
            RecommendationModelsTable.Insert(store, row);

            var report = Describe(row, content is not null);
            report["metrics"] = metrics;
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                var check = metrics is not null && metrics.TryGetValue("ndcg", out var ndcg) ? string.Create(CultureInfo.InvariantCulture, $"; holdout nDCG@{listLength} {ndcg:F4} (most-popular {metrics["popular_ndcg"]:F4})") : "";
                console.Tables.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"model v{version}: {model.Algorithm} on {data.Dataset}, {model.Users} users x {model.Items} items, fit {fitSeconds:F2} s, stored in {relative}{check}"));
            }

            return 0;
        }));
        return command;
    }

    public static Command Recommend(CliConsole console)
    {
        var db = CommonOptions.Db();
        var user = new Option<string>("--user") { Description = "The customer: the raw id as the source data had it (pseudonymized with the store's key), or the stored pseudonym.", Required = true };
        var count = new Option<int>("-n", "--count") { Description = "How many items.", DefaultValueFactory = _ => 10 };
        var version = new Option<int?>("--version") { Description = "The model version (default: the latest)." };
        var dataset = new Option<string?>("--dataset") { Description = "Use the latest model of this dataset." };
        var exclude = new Option<string>("--exclude") { Description = "bought: drop items the user bought (default); seen: drop every item the user interacted with; none.", DefaultValueFactory = _ => "bought" };
        var excludeItems = new Option<string[]>("--exclude-item") { Description = "Item id never to recommend (repeatable: out of stock, excluded by a campaign).", AllowMultipleArgumentsPerToken = true };
        var json = CommonOptions.Json();
        var command = new Command("recommend", "Top items for one customer from a stored model; unknown customers get a marked cold-start fallback.")
        {
            db, user, count, version, dataset, exclude, excludeItems, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var path = CommonOptions.ExistingDb(parse.GetValue(db)!);
            var n = parse.GetValue(count);
            if (n <= 0)
            {
                throw new ArgumentException($"-n must be positive, not {n}.");
            }

            var mode = parse.GetValue(exclude)!.ToLowerInvariant();
            if (mode is not ("bought" or "seen" or "none"))
            {
                throw new ArgumentException($"--exclude '{mode}' is not one of bought, seen, none.");
            }

            using var store = CommonOptions.OpenStore(path);
            var row = RecommendationModelsTable.Find(store, parse.GetValue(version), parse.GetValue(dataset))
                ?? throw new ArgumentException(parse.GetValue(version) is { } v
                    ? $"no recommendation model version {v} in {path}."
                    : $"no recommendation model stored in {path}: run promopilot recs train first.");
            var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, row.Path);
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{file}: the file of model version {row.Version} is missing.");
            }

            RecommendationModel model;
            using (var stream = File.OpenRead(file))
            {
                model = RecommendationModel.Load(stream);
            }

            var raw = parse.GetValue(user)!;
            var pseudonym = CommonOptions.Pseudonymizer(path).Pseudonymize(raw);
            var userId = new[] { pseudonym, raw }.FirstOrDefault(model.ContainsUser)
                ?? new[] { pseudonym, raw }.FirstOrDefault(id => RecommendationDataQuery.UserExists(store, row.Dataset, id))
                ?? pseudonym;
            var history = RecommendationDataQuery.UserInteractions(store, row.Dataset, userId);
            var known = model.ContainsUser(userId);
            var bought = history.Where(h => h.Type == EventType.Purchase).Select(h => h.ItemId).ToHashSet(StringComparer.Ordinal);
            var excluded = new HashSet<string>(parse.GetValue(excludeItems) ?? [], StringComparer.Ordinal);
            if (mode == "bought")
            {
                excluded.UnionWith(bought);
            }
            else if (mode == "seen")
            {
                excluded.UnionWith(history.Select(h => h.ItemId));
            }

            // Interactions the model has not seen: all of an unknown user's, a known user's after the model's data.
            var weights = StoredWeights(row.Parameters);
            var recent = history.Where(h => !known || (row.DataTo is { } to && h.First > to))
                .Select(h => new KeyValuePair<string, float>(h.ItemId, weights.Weight(h.Type, 0)))
                .Where(kv => kv.Value > 0).ToList();
            var query = new RecommendationQuery { ExcludeHistory = mode == "seen", ExcludedItems = excluded, RecentItems = recent };
            var result = model.Recommend(userId, n, query);

            var catalog = RecommendationDataQuery.Items(store, row.Dataset).ToDictionary(i => i.ItemId, StringComparer.Ordinal);
            var items = result.Items.Select((s, r) => new
            {
                rank = r + 1,
                item_id = s.ItemId,
                title = catalog.TryGetValue(s.ItemId, out var item) ? item.Title : null,
                score = Math.Round(s.Score, 6),
            }).ToList();
            var report = new
            {
                user = raw,
                user_id = userId,
                known_user = known,
                user_in_store = history.Count > 0 || RecommendationDataQuery.UserExists(store, row.Dataset, userId),
                version = row.Version,
                algo = row.Algorithm,
                dataset = row.Dataset,
                source = result.Source,
                fallback = result.Fallback,
                cold_start = result.ColdStart,
                exclude = mode,
                excluded_items = excluded.Count,
                items,
            };
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                console.Tables.WriteLine($"{raw}: model v{row.Version} ({row.Algorithm}), " + (result.Fallback is null ? $"answered by {result.Source}" : $"cold start, fallback {result.Fallback}"));
                foreach (var i in items)
                {
                    console.Tables.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i.rank,3}. {i.item_id} {i.title} ({i.score:G4})"));
                }
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The event weights a model was trained with (recorded in its parameters), or the defaults.</summary>
    private static EventWeights StoredWeights(string parameters)
    {
        using var document = JsonDocument.Parse(parameters);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("event_weights", out var w)
            ? w.Deserialize<EventWeights>(SnakeCase) ?? new EventWeights()
            : new EventWeights();
    }

    /// <summary>The folder beside the store holding its models: store.duckdb → store.recs/.</summary>
    internal static string ModelFolder(string dbPath)
    {
        var full = Path.GetFullPath(dbPath);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".recs");
    }

    internal static Option<string[]> WeightOption() => new("--weight")
    {
        Description = "Event weight name=value (repeatable): view (default 1), click (1), cart (3), favorite (2), purchase (5), rating (1).",
        AllowMultipleArgumentsPerToken = true,
    };

    internal static Option<string> RepeatsOption() => new("--repeats")
    {
        Description = "once: each event type counts once per user and item (default); sum: every event counts.",
        DefaultValueFactory = _ => "once",
    };

    internal static bool SumRepeats(string? value) => value?.ToLowerInvariant() switch
    {
        "once" => false,
        "sum" => true,
        _ => throw new ArgumentException($"--repeats '{value}' is not one of once, sum."),
    };

    internal static EventWeights ParseWeights(string[] values)
    {
        var weights = new EventWeights();
        foreach (var (name, text) in ParseParameters(values))
        {
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || !float.IsFinite(w) || w < 0)
            {
                throw new ArgumentException($"--weight {name}={text}: the weight must be a number >= 0.");
            }

            weights = name.ToLowerInvariant() switch
            {
                "view" => weights with { View = w },
                "click" => weights with { Click = w },
                "cart" or "add_to_cart" => weights with { AddToCart = w },
                "favorite" => weights with { Favorite = w },
                "purchase" => weights with { Purchase = w },
                "rating" => weights with { RatingsAsValue = false, Rating = w },
                _ => throw new ArgumentException($"--weight '{name}' is not one of view, click, cart, favorite, purchase, rating."),
            };
        }

        return weights;
    }

    /// <summary>Reads a dataset's interactions: one row per user and item (weights of its event types summed), with its first time.</summary>
    internal static RecsStoreData Load(DuckDbStore store, string? datasetName, EventWeights weights, bool sumRepeats, bool coldItems)
    {
        var datasets = RecommendationDataQuery.Datasets(store);
        if (datasets.Count == 0)
        {
            throw new ArgumentException($"{store.Path}: no interactions (views, carts, purchases, ratings of known users) in the store; import some first.");
        }

        var names = string.Join(", ", datasets.Select(d => d.Dataset));
        var dataset = datasetName is null
            ? datasets.Count == 1 ? datasets[0].Dataset : throw new ArgumentException($"the store holds interactions of several datasets ({names}): choose one with --dataset.")
            : datasets.Any(d => d.Dataset == datasetName) ? datasetName : throw new ArgumentException($"--dataset '{datasetName}' has no interactions here (datasets: {names}).");

        var users = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        var merged = new Dictionary<(int, int), (float Weight, long Time)>();
        DateTime? from = null, to = null;
        foreach (var x in RecommendationDataQuery.Interactions(store, dataset))
        {
            var w = weights.Weight(x.Type, 1) * (sumRepeats ? x.Count : 1);
            if (w <= 0)
            {
                continue;
            }

            var u = Index(users, x.UserId);
            var i = Index(items, x.ItemId);
            var time = x.First?.Ticks ?? long.MinValue;
            merged[(u, i)] = merged.TryGetValue((u, i), out var m) ? (m.Weight + w, Math.Min(m.Time, time)) : (w, time);
            if (x.First is { } first && (from is null || first < from))
            {
                from = first;
            }

            if (x.Last is { } last && (to is null || last > to))
            {
                to = last;
            }
        }

        if (merged.Count == 0)
        {
            throw new ArgumentException($"dataset '{dataset}': every interaction has weight 0 with these --weight values: the matrix would be empty.");
        }

        var catalog = RecommendationDataQuery.Items(store, dataset).ToDictionary(i => i.ItemId, StringComparer.Ordinal);
        if (coldItems)
        {
            foreach (var id in catalog.Keys)
            {
                Index(items, id);
            }
        }

        var itemIds = new string[items.Count];
        foreach (var (id, n) in items)
        {
            itemIds[n] = id;
        }

        var userIds = new string[users.Count];
        foreach (var (id, n) in users)
        {
            userIds[n] = id;
        }

        var attributes = itemIds.Select(id => catalog.TryGetValue(id, out var c)
            ? new ItemAttributes(c.Title, c.CategoryPath, c.Brand, c.Price)
            : new ItemAttributes()).ToArray();
        var rows = merged.Select(kv => new RatedInteraction(kv.Key.Item1, kv.Key.Item2, kv.Value.Weight, kv.Value.Time)).ToList();
        return new RecsStoreData(dataset, rows, userIds, itemIds, attributes, from, to, catalog);
    }

    /// <summary>Fits on everything before the last <paramref name="days"/> days and scores the new items of those days, next to most-popular.</summary>
    internal static Dictionary<string, object?> Holdout(RecsStoreData data, string algorithm, IReadOnlyDictionary<string, string> parameters, int days, int k, CliConsole? console)
    {
        if (data.To is not { } last)
        {
            throw new ArgumentException("the interactions carry no time: use --holdout-days 0.");
        }

        var cutoff = last.AddDays(-days);
        var (split, coldUsers) = RecommendationSplits.TemporalUnseen(data.Rows, data.UserIds.Length, data.ItemIds.Length, cutoff.Ticks);
        var result = new Dictionary<string, object?>
        {
            ["holdout_days"] = days,
            ["cutoff"] = cutoff.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["k"] = k,
            ["train_interactions"] = split.Train.NonZeros,
            ["test_interactions"] = split.Test.NonZeros,
            ["cold_users_skipped"] = coldUsers,
        };
        if (split.Test.NonZeros == 0 || split.Train.NonZeros == 0)
        {
            result["note"] = "no user with history before the cut-off has new items after it: nothing to score";
            return result;
        }

        var run = RecommenderEvaluator.Run(RecommenderCatalog.Create(algorithm, parameters, data.Attributes), split, k);
        var popular = RecommenderEvaluator.Run(new PopularRecommender(), split, k);
        console?.Log(string.Create(CultureInfo.InvariantCulture, $"holdout check (last {days} days): nDCG@{k} {run.Metrics.Ndcg:F4}, most-popular {popular.Metrics.Ndcg:F4}"));
        result["evaluated_users"] = run.Metrics.Users;
        result["precision"] = run.Metrics.Precision;
        result["recall"] = run.Metrics.Recall;
        result["ndcg"] = run.Metrics.Ndcg;
        result["map"] = run.Metrics.Map;
        result["hit_rate"] = run.Metrics.HitRate;
        result["coverage"] = run.Metrics.Coverage;
        result["fit_seconds"] = run.FitSeconds;
        result["predict_seconds"] = run.PredictSeconds;
        result["users"] = run.Users;
        result["items"] = run.Items;
        result["novelty"] = run.Metrics.Novelty;
        result["popular_ndcg"] = popular.Metrics.Ndcg;
        result["popular_precision"] = popular.Metrics.Precision;
        return result;
    }

    internal static Option<bool> TuneOption() => new("--tune")
    {
        Description = "Pick the model's parameters by a small grid search on a validation split carved from the training data (never the test split); the grid and scores go into the metrics.",
    };

    /// <summary>
    /// Tunes on the interactions before <paramref name="testCutoff"/> only: the last <paramref name="days"/> days before it
    /// are the validation window (new items of users with earlier history).
    /// </summary>
    internal static (Dictionary<string, string> Best, Dictionary<string, object?> Report) Tune(
        RecsStoreData data, string algorithm, IReadOnlyDictionary<string, string> given, DateTime testCutoff, int days, int k, CliConsole? console)
    {
        var trainRows = data.Rows.Where(r => r.Timestamp < testCutoff.Ticks).ToList();
        var validationCutoff = testCutoff.AddDays(-days);
        var (validation, _) = RecommendationSplits.TemporalUnseen(trainRows, data.UserIds.Length, data.ItemIds.Length, validationCutoff.Ticks);
        var result = RecommenderTuning.Search(algorithm, validation, k, given, data.Attributes);
        console?.Log($"tuning {algorithm} on the {days} days before {testCutoff:yyyy-MM-dd}: chose {RecommenderTuning.Describe(result.Best)}");
        return (new Dictionary<string, string>(result.Best, StringComparer.OrdinalIgnoreCase), TuningReport(result, $"temporal: new items of {validationCutoff:yyyy-MM-dd} to {testCutoff:yyyy-MM-dd}, fitted on what came before"));
    }

    internal static Dictionary<string, object?> TuningReport(TuningResult result, string validation) => new()
    {
        ["metric"] = $"ndcg@{result.K}",
        ["validation"] = validation,
        ["chosen"] = result.Best,
        ["candidates"] = result.Candidates.Select(c => new Dictionary<string, object?>
        {
            ["parameters"] = c.Parameters,
            ["ndcg"] = c.Metrics.Ndcg,
            ["precision"] = c.Metrics.Precision,
            ["recall"] = c.Metrics.Recall,
            ["fit_seconds"] = c.FitSeconds,
        }).ToList(),
    };

    internal static Dictionary<string, string> ParseParameters(string[] values)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var v in values)
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"'{v}' is not name=value.");
            }

            result[v[..eq].Trim()] = v[(eq + 1)..].Trim();
        }

        return result;
    }

    /// <summary>The options a model was fitted with (hybrids: each member's), for the recs_models table.</summary>
    internal static object ParametersOf(Recommender model) => model switch
    {
        PopularRecommender m => m.Options,
        ItemKnnRecommender m => m.Options,
        UserKnnRecommender m => m.Options,
        EaseRecommender m => m.Options,
        AlsRecommender m => m.Options,
        BprRecommender m => m.Options,
        ContentRecommender m => m.Options,
        HybridRecommender m => new Dictionary<string, object>
        {
            ["members"] = m.Members.Select(x => new Dictionary<string, object> { ["algo"] = x.Model.Algorithm, ["min_history"] = x.MinHistory, ["options"] = ParametersOf(x.Model) }).ToList(),
        },
        _ => new { },
    };

    private static Dictionary<string, object?> Describe(RecommendationModelRow row, bool contentFallback) => new()
    {
        ["version"] = row.Version,
        ["algo"] = row.Algorithm,
        ["dataset"] = row.Dataset,
        ["parameters"] = JsonDocument.Parse(row.Parameters).RootElement,
        ["data_from"] = row.DataFrom,
        ["data_to"] = row.DataTo,
        ["users"] = row.Users,
        ["items"] = row.Items,
        ["interactions"] = row.Interactions,
        ["metrics"] = row.Metrics is null ? null : JsonDocument.Parse(row.Metrics).RootElement,
        ["fit_seconds"] = row.FitSeconds,
        ["content_fallback"] = contentFallback,
        ["created_at"] = row.CreatedAt,
        ["path"] = row.Path,
        ["table"] = RecommendationModelsTable.Name,
    };

    private static int Index(Dictionary<string, int> map, string id)
    {
        if (!map.TryGetValue(id, out var n))
        {
            n = map.Count;
            map.Add(id, n);
        }

        return n;
    }
}
