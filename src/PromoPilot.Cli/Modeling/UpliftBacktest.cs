using PromoPilot.Campaigns.Forecasting;
using PromoPilot.Models.Response;
using PromoPilot.Models.Uplift;

namespace PromoPilot.Cli.Modeling;

/// <summary>Settings of the campaign-forecast backtest on a randomized campaign.</summary>
internal sealed record BacktestSettings
{
    public required IReadOnlyList<string> Treatments { get; init; }

    public required string Control { get; init; }

    /// <summary>visit, conversion (forecast incremental conversions) and spend (forecast incremental revenue).</summary>
    public required IReadOnlyList<string> Outcomes { get; init; }

    public int Seeds { get; init; } = 10;

    /// <summary>Draws of the calibration coefficients handed to the forecaster as model replicates.</summary>
    public int Replicates { get; init; } = 200;

    /// <summary>Cross-fitting folds of the training half.</summary>
    public int Folds { get; init; } = 5;

    public double Level { get; init; } = 0.9;

    public UpliftOptions Uplift { get; init; } = new();

    /// <summary>Calibrate each audience on its own users in the training half (else one calibration for all).</summary>
    public bool AudienceCalibration { get; init; } = true;

    /// <summary>Threads fitting the cross-fitting folds.</summary>
    public int Threads { get; init; } = 1;
}

/// <summary>One audience of one seed: the forecast of its incremental effect against what its half measured.</summary>
internal sealed record BacktestCheck(
    int Seed, string Arm, string Outcome, string Audience, int Treated, int Control, double Forecast, double Low, double High, double Measured)
{
    public bool Covered => Measured >= Low && Measured <= High;
}

/// <summary>
/// Backtest of <see cref="CampaignEffectForecaster"/> on a randomized campaign (Hillstrom): per seed the experiment is
/// split in two halves (stratified by arm and visit); cross-fitted uplift models on one half give honest scores for
/// its rows, from which the BLP calibration (and its sampling covariance, the model uncertainty) is fitted; on the other half, audiences are chosen (all, random sub-audiences, segments by feature, the top users
/// by predicted uplift) and the forecast of each audience's incremental effect (its own treated/control mix taken as
/// the holdout) is compared with the effect measured there: (treated mean − control mean) × treated users.
/// </summary>
internal static class UpliftBacktest
{
    public static IReadOnlyList<BacktestCheck> Run(CsvColumns csv, IReadOnlyList<string> featureNames, BacktestSettings settings, Action<string> log)
    {
        var segment = csv.Column("segment", "--treatment");
        var features = csv.Features(featureNames);
        var visit = csv.Numbers("visit", "--outcome");
        var conversion = csv.Numbers("conversion", "--outcome");
        var spend = csv.Numbers("spend", "--outcome");
        var arms = new[] { settings.Control }.Concat(settings.Treatments).ToArray();
        int[] strata = [.. segment.Select((s, i) => (Array.IndexOf(arms, s) * 2) + (visit[i] > 0 ? 1 : 0))];
        var checks = new List<BacktestCheck>();
        for (var seed = 0; seed < settings.Seeds; seed++)
        {
            var (halfA, halfB) = StratifiedSplit.Split(strata, 0.5, seed);
            foreach (var arm in settings.Treatments)
            {
                int[] trainRows = [.. halfA.Where(i => segment[i] == arm || segment[i] == settings.Control)];
                int[] testRows = [.. halfB.Where(i => segment[i] == arm || segment[i] == settings.Control)];
                var trainFeatures = features.Take(trainRows);
                var testFeatures = features.Take(testRows);
                bool[] trainTreated = [.. trainRows.Select(i => segment[i] == arm)];
                bool[] testTreated = [.. testRows.Select(i => segment[i] == arm)];
                var models = new Dictionary<string, ArmPredictions>(StringComparer.Ordinal);
                foreach (var outcome in settings.Outcomes.Select(o => o == "spend" ? "conversion" : o).Distinct(StringComparer.Ordinal))
                {
                    var y = outcome == "visit" ? visit : conversion;
                    double[] trainY = [.. trainRows.Select(i => y[i])];
                    models[outcome] = Predict(trainFeatures, trainTreated, trainY, testFeatures, settings, seed, outcome);
                    var c = models[outcome].Calibration;
                    log(FormattableString.Invariant($"seed {seed}, {arm}, {outcome}: {settings.Folds} cross-fitted models; calibration ATE {c.Ate:F4} ± {Math.Sqrt(c.AteVariance):F4}, slope {c.Slope:F2} ± {Math.Sqrt(c.SlopeVariance):F2}"));
                }

                foreach (var outcome in settings.Outcomes)
                {
                    var isSpend = outcome == "spend";
                    var predictions = models[isSpend ? "conversion" : outcome];
                    var calibration = predictions.Calibration;
                    var measuredY = outcome switch { "visit" => visit, "conversion" => conversion, _ => spend };
                    var orderValue = isSpend ? OrderValue([.. trainRows.Select(i => spend[i])]) : default;
                    double[] p0 = [.. predictions.Control.Select(p => Math.Clamp(p, 0, 1))];
                    var random = new Random((seed * 7919) + outcome.Length + Array.IndexOf(arms, arm));
                    double[] score = [.. predictions.Uplift.Select(calibration.Apply)];
                    var trainAudiences = Audiences(trainFeatures, [.. predictions.OofUplift.Select(calibration.Apply)], seed).ToDictionary(a => a.Name, a => a.Members, StringComparer.Ordinal);
                    foreach (var (name, members) in Audiences(testFeatures, score, seed))
                    {
                        var treated = members.Count(i => testTreated[i]);
                        var control = members.Length - treated;
                        if (treated < 30 || control < 30)
                        {
                            continue;
                        }

                        // The audience's own calibration on the training half (its users there, cross-fitted scores), unless
                        // it is a random sample of everyone (same effect as the whole) or too small.
                        var audienceCalibration = calibration;
                        if (settings.AudienceCalibration && !name.StartsWith("random", StringComparison.Ordinal)
                            && trainAudiences.TryGetValue(name, out var trainMembers)
                            && trainMembers.Count(i => trainTreated[i]) >= 30 && trainMembers.Count(i => !trainTreated[i]) >= 30)
                        {
                            audienceCalibration = UpliftCalibration.Fit(
                                [.. trainMembers.Select(i => predictions.OofUplift[i])], [.. trainMembers.Select(i => predictions.OofControl[i])],
                                [.. trainMembers.Select(i => trainTreated[i])], [.. trainMembers.Select(i => predictions.TrainY[i])]);
                        }

                        // Model uncertainty: draws of the calibration coefficients (and of the mean order value).
                        var draws = Enumerable.Range(0, settings.Replicates).Select(_ =>
                        {
                            var (ate, slope) = audienceCalibration.Draw(random);
                            var value = isSpend ? orderValue.Mean + (orderValue.Sd / Math.Sqrt(orderValue.Orders) * Gaussian(random)) : 0;
                            return (Ate: ate, Slope: slope, Value: Math.Max(0, value));
                        }).ToArray();
                        double[] baseline = [.. members.Select(i => p0[i])];
                        var inputs = new EffectInputs(baseline, [.. members.Select(i => Math.Clamp(p0[i] + audienceCalibration.Apply(predictions.Uplift[i]), 0, 1))])
                        {
                            OrderValue = isSpend ? Enumerable.Repeat(orderValue.Mean, members.Length).ToArray() : null,
                            OrderValueSd = isSpend ? Enumerable.Repeat(orderValue.Sd, members.Length).ToArray() : null,
                            HoldoutFraction = control / (double)members.Length,
                            Replicates = [.. draws.Select(d => new EffectReplicate(baseline, [.. members.Select(i => Math.Clamp(p0[i] + d.Ate + (d.Slope * (predictions.Uplift[i] - audienceCalibration.ScoreMean)), 0, 1))])
                            {
                                OrderValue = isSpend ? Enumerable.Repeat(d.Value, members.Length).ToArray() : null,
                            })],
                        };
                        var forecast = CampaignEffectForecaster.Forecast(inputs, new EffectForecastOptions { Level = settings.Level, Draws = 2000, Seed = seed });
                        var metric = isSpend ? forecast.IncrementalRevenue : forecast.IncrementalConversions;
                        var treatedMean = members.Where(i => testTreated[i]).Average(i => measuredY[testRows[i]]);
                        var controlMean = members.Where(i => !testTreated[i]).Average(i => measuredY[testRows[i]]);
                        checks.Add(new BacktestCheck(seed, arm, outcome, name, treated, control, metric.Value, metric.Low, metric.High, (treatedMean - controlMean) * treated));
                    }
                }
            }
        }

        return checks;
    }

    private sealed record ArmPredictions(double[] Control, double[] Uplift, UpliftCalibration Calibration, double[] OofUplift, double[] OofControl, double[] TrainY);

    /// <summary>
    /// Cross-fitting: K models, each fitted on the other folds of the training half, give every training row a score
    /// from a model that did not see it; the BLP calibration of those scores (Chernozhukov et al. 2018) is applied to
    /// the test half's score, the mean of the K models' predictions.
    /// </summary>
    private static ArmPredictions Predict(
        FeatureTable trainFeatures, bool[] trainTreated, double[] trainY, FeatureTable testFeatures, BacktestSettings settings, int seed, string outcome)
    {
        var k = settings.Folds;
        var folds = new int[trainTreated.Length];
        foreach (var group in Enumerable.Range(0, folds.Length).GroupBy(i => (trainTreated[i], trainY[i] > 0)))
        {
            var position = 0;
            foreach (var i in group.OrderBy(i => StratifiedSplit.Key(seed + 5000, i)))
            {
                folds[i] = position++ % k;
            }
        }

        var oofUplift = new double[folds.Length];
        var oofControl = new double[folds.Length];
        var testUplift = new double[testFeatures.RowCount];
        var testControl = new double[testFeatures.RowCount];
        var gate = new object();
        try
        {
            FitFolds();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // A fold's clear error (an outcome that never varies) reaches the user as itself.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        var calibration = UpliftCalibration.Fit(oofUplift, oofControl, trainTreated, trainY);
        return new ArmPredictions(testControl, testUplift, calibration, oofUplift, oofControl, trainY);

        void FitFolds() => Parallel.For(0, k, new ParallelOptions { MaxDegreeOfParallelism = settings.Threads }, fold =>
        {
            int[] fit = [.. Enumerable.Range(0, folds.Length).Where(i => folds[i] != fold)];
            int[] held = [.. Enumerable.Range(0, folds.Length).Where(i => folds[i] == fold)];
            var model = UpliftTrainer.Fit(trainFeatures.Take(fit), [.. fit.Select(i => trainTreated[i])], [.. fit.Select(i => trainY[i])], settings.Uplift with { Seed = seed + fold }, "segment", outcome);
            var (heldControl, heldTreated) = model.PredictArms(trainFeatures.Take(held));
            var (control, treated) = model.PredictArms(testFeatures);
            for (var j = 0; j < held.Length; j++)
            {
                oofControl[held[j]] = heldControl[j];
                oofUplift[held[j]] = heldTreated[j] - heldControl[j];
            }

            lock (gate)
            {
                for (var i = 0; i < control.Length; i++)
                {
                    testControl[i] += control[i] / k;
                    testUplift[i] += (treated[i] - control[i]) / k;
                }
            }
        });
    }

    /// <summary>Mean and standard deviation of the order value (spend of the rows that spent) and how many orders.</summary>
    private static (double Mean, double Sd, int Orders) OrderValue(double[] spend)
    {
        double[] orders = [.. spend.Where(s => s > 0)];
        if (orders.Length < 2)
        {
            throw new ArgumentException("outcome 'spend': fewer than two orders in the training half, no order value to learn.");
        }

        var mean = orders.Average();
        return (mean, Math.Sqrt(orders.Sum(s => (s - mean) * (s - mean)) / (orders.Length - 1)), orders.Length);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// Audiences of the test half (indices into it): all users, two random 30% samples, one segment per level of each
    /// categorical or 0/1 feature, and the top 50% and 30% by predicted uplift.
    /// </summary>
    private static IEnumerable<(string Name, int[] Members)> Audiences(FeatureTable features, double[] uplift, int seed)
    {
        var n = features.RowCount;
        yield return ("all", [.. Enumerable.Range(0, n)]);
        var random = new Random(seed + 100);
        for (var k = 1; k <= 2; k++)
        {
            yield return ($"random 30% #{k}", [.. Enumerable.Range(0, n).Where(_ => random.NextDouble() < 0.3)]);
        }

        foreach (var column in features.Columns)
        {
            if (column.Categories is { } categories)
            {
                foreach (var level in categories.Where(c => c is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    yield return ($"{column.Name}={level}", [.. Enumerable.Range(0, n).Where(i => categories[i] == level)]);
                }
            }
            else if (column.Numbers is { } numbers && numbers.All(v => v is 0 or 1))
            {
                yield return ($"{column.Name}=1", [.. Enumerable.Range(0, n).Where(i => numbers[i] == 1)]);
                yield return ($"{column.Name}=0", [.. Enumerable.Range(0, n).Where(i => numbers[i] == 0)]);
            }
        }

        int[] ranked = [.. Enumerable.Range(0, n).OrderByDescending(i => uplift[i]).ThenBy(i => i)];
        foreach (var share in new[] { 0.5, 0.3 })
        {
            yield return ($"top {share * 100:0}% by uplift", [.. ranked.Take((int)(n * share)).Order()]);
        }
    }
}
