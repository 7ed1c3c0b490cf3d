using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Forecasting;

/// <summary>Options of <see cref="GlobalGbmForecaster"/>, with their defaults.</summary>
public sealed record GlobalGbmOptions
{
    /// <summary>Unit lags before the origin used as features. Default 8.</summary>
    public int Lags { get; init; } = 8;

    /// <summary>Fewest observed weeks before an origin for a training row, and for a series to be forecast by the model
    /// (shorter series fall back to the mean of their last 4 weeks, with a warning). Default 8.</summary>
    public int MinHistory { get; init; } = 8;

    /// <summary>Boosting rounds (no early stopping: every row before the origin is training data). Default 100.</summary>
    public int Iterations { get; init; } = 100;

    /// <summary>Shrinkage per round. Default 0.15 (100 rounds at 0.15 forecast Dominick's OJ as well as 300 at 0.05 in a
    /// third of the time: docs/BENCHMARKS.md).</summary>
    public double LearningRate { get; init; } = 0.15;

    /// <summary>Leaves per tree. Default 63.</summary>
    public int Leaves { get; init; } = 63;

    /// <summary>Fewest training rows in a leaf. Default 50.</summary>
    public int MinLeafRows { get; init; } = 50;

    /// <summary>L2 penalty on leaf values. Default 1.</summary>
    public double L2 { get; init; } = 1;

    /// <summary>Share of features tried per tree. Default 0.8.</summary>
    public double FeatureFraction { get; init; } = 0.8;

    /// <summary>Store and item identifiers as LightGBM categorical features (false: not used). Default true.</summary>
    public bool Categoricals { get; init; } = true;

    /// <summary>Weeks before the origin held back to calibrate the conformal intervals (0 = no intervals). Default 12.</summary>
    public int CalibrationWeeks { get; init; } = 12;

    /// <summary>Threads per LightGBM fit. A fixed count gives bit-identical repeats. ML.NET lets one LightGBM booster
    /// train at a time in a process, so the forecast and calibration fits take turns; only their data preparation and
    /// the calibration residuals overlap. More than 1 pays on idle cores only (OpenMP threads wait for each other at
    /// every split, which a busy machine turns into long stalls). Default 1.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Seed of LightGBM's feature sampling. Default 1.</summary>
    public int Seed { get; init; } = 1;

    internal void Validate()
    {
        ModelArgs.Positive(Lags, nameof(Lags));
        ModelArgs.Positive(MinHistory, nameof(MinHistory));
        ModelArgs.Positive(Iterations, nameof(Iterations));
        ModelArgs.Positive(LearningRate, nameof(LearningRate));
        ModelArgs.Positive(Leaves, nameof(Leaves));
        ModelArgs.Positive(MinLeafRows, nameof(MinLeafRows));
        ModelArgs.NonNegative(L2, nameof(L2));
        ModelArgs.Positive(Threads, nameof(Threads));
        if (!(FeatureFraction > 0 && FeatureFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(FeatureFraction), FeatureFraction, "FeatureFraction must be in (0, 1].");
        }

        if (CalibrationWeeks < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CalibrationWeeks), CalibrationWeeks, "CalibrationWeeks must be >= 0.");
        }
    }
}

/// <summary>The forecasts of a global fit, one per input series in order, and the conformal quantiles used (log scale, per step).</summary>
public sealed record GlobalGbmForecast(IReadOnlyList<ForecastResult> Forecasts, IReadOnlyList<double[]> ConformalQuantiles, int TrainingRows, int CalibrationResiduals);

/// <summary>
/// A global gradient-boosted forecaster over many store × item weekly series: one LightGBM regression (Ke et al. 2017,
/// through ML.NET) on log(1 + units) minus the series level, direct multi-horizon with the step as a feature
/// (Taieb &amp; Hyndman's "direct" strategy with a shared model), features from <see cref="GbmFeatures"/> plus store and
/// item as categoricals. Prediction intervals are split-conformal (Vovk, Gammerman &amp; Shafer 2005; Lei et al. 2018):
/// a second model (same settings) trained without the last <see cref="GlobalGbmOptions.CalibrationWeeks"/> weeks forecasts them, and the
/// ⌈(n + 1)·level⌉-th smallest absolute log residual per step widens the forecast on the log scale.
/// </summary>
public static class GlobalGbmForecaster
{
    private const string CategoricalSlotRanges = "CategoricalSlotRanges";

    /// <summary>
    /// Fits on every series' observed units (all of <see cref="DemandSeries.Units"/>) and forecasts
    /// <paramref name="horizon"/> weeks after each series' end, with intervals at <paramref name="levels"/>.
    /// </summary>
    public static GlobalGbmForecast Forecast(IReadOnlyList<DemandSeries> series, int horizon, IReadOnlyList<double> levels, GlobalGbmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(levels);
        options ??= new GlobalGbmOptions();
        options.Validate();
        ModelArgs.Positive(horizon, nameof(horizon));
        if (series.Count == 0)
        {
            throw new ArgumentException("No series.", nameof(series));
        }

        foreach (var level in levels)
        {
            if (!(level > 0 && level < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(levels), level, "levels must lie in (0, 1).");
            }
        }

        for (var j = 0; j < series.Count; j++)
        {
            var s = series[j] ?? throw new ArgumentException($"series[{j}] is null.", nameof(series));
            var need = s.Units.Length + horizon;
            if (s.Units.Length == 0 || s.Price.Length < need || s.Deal.Length < need || s.Feature.Length < need || s.Week.Length < need)
            {
                throw new ArgumentException(
                    $"series[{j}] (store {s.Store}, item {s.Item}): needs ≥ 1 unit value and price, deal, feature and week for all {need} weeks (observed + horizon).", nameof(series));
            }
        }

        var layout = Layout.Of(series, options);
        var calibrate = options.CalibrationWeeks > 0 && levels.Count > 0;

        // Two tasks, each its rows, its fit and (calibration) its residuals: the boosters take turns (ML.NET trains
        // one LightGBM booster at a time), the rest overlaps. Both are deterministic, so the order never matters.
        var mainRowCount = 0;
        ITransformer? main = null;
        List<List<double>>? residuals = null;
        Parallel.Invoke(
            () =>
            {
                var rows = TrainingRows(series, s => s.Units.Length, horizon, options, layout);
                mainRowCount = rows.Count;
                main = rows.Count > 0 ? Fit(rows, layout, options) : null;
            },
            () =>
            {
                var rows = calibrate ? TrainingRows(series, s => s.Units.Length - options.CalibrationWeeks, horizon, options, layout) : [];
                residuals = rows.Count > 0 ? CalibrationResiduals(series, Fit(rows, layout, options), horizon, options, layout) : null;
            });
        if (main is null)
        {
            return Fallback(series, horizon, levels, $"gbm: no series has {options.MinHistory + 1} weeks; mean of the last 4 weeks used for every series", 0);
        }

        var quantiles = new double[levels.Count][];
        var residualCount = 0;
        if (residuals is not null)
        {
            residualCount = residuals.Sum(r => r.Count);
            for (var l = 0; l < levels.Count; l++)
            {
                quantiles[l] = ConformalQuantiles(residuals, levels[l]);
            }
        }

        var forecasts = new ForecastResult[series.Count];
        var rows = new List<Row>();
        var owners = new List<(int Series, int Step, double Level)>();
        for (var j = 0; j < series.Count; j++)
        {
            var s = series[j];
            if (s.Units.Length < options.MinHistory)
            {
                forecasts[j] = FallbackOne(s, horizon, levels, $"gbm: series (store {s.Store}, item {s.Item}) has {s.Units.Length} weeks, fewer than {options.MinHistory}; mean of the last 4 weeks used");
                continue;
            }

            var level = GbmFeatures.Level(s.Units, s.Units.Length);
            for (var h = 1; h <= horizon; h++)
            {
                rows.Add(layout.DenseRow(s, s.Units.Length, h));
                owners.Add((j, h, level));
            }
        }

        var predicted = rows.Count > 0 ? Predict(main, rows, layout) : [];
        var byIndex = owners.Select((o, i) => (o, i)).GroupBy(x => x.o.Series);
        foreach (var group in byIndex)
        {
            var mean = new double[horizon];
            var logMean = new double[horizon];
            foreach (var (o, i) in group)
            {
                logMean[o.Step - 1] = o.Level + predicted[i];
                mean[o.Step - 1] = Back(logMean[o.Step - 1]);
            }

            var intervals = new List<PredictionInterval>();
            if (residuals is not null)
            {
                for (var l = 0; l < levels.Count; l++)
                {
                    intervals.Add(new PredictionInterval(
                        levels[l],
                        [.. logMean.Select((m, h) => Back(m - quantiles[l][h]))],
                        [.. logMean.Select((m, h) => Back(m + quantiles[l][h]))]));
                }
            }

            forecasts[group.Key] = new ForecastResult("gbm", mean, intervals);
        }

        return new GlobalGbmForecast(forecasts, residuals is not null ? quantiles : [], mainRowCount, residualCount);
    }

    /// <summary>
    /// Rolling-origin backtest of the global model (one refit per origin): each series' last
    /// <see cref="BacktestOptions.Horizon"/> weeks (per origin) are held out and forecast from the weeks before them,
    /// with the planned covariates of the held-out weeks. Accuracy summed as in <see cref="Backtest"/>.
    /// </summary>
    public static BacktestResult Backtest(IReadOnlyList<DemandSeries> series, BacktestOptions? backtest = null, GlobalGbmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        backtest ??= new BacktestOptions();
        ModelArgs.Positive(backtest.Horizon, nameof(backtest.Horizon));
        ModelArgs.Positive(backtest.Origins, nameof(backtest.Origins));
        ModelArgs.Positive(backtest.Step, nameof(backtest.Step));
        var total = ForecastAccuracy.Empty;
        var warnings = new List<string>();
        for (var o = backtest.Origins - 1; o >= 0; o--)
        {
            var cut = new List<DemandSeries>(series.Count);
            foreach (var s in series)
            {
                var origin = s.Units.Length - backtest.Horizon - (o * backtest.Step);
                if (origin < 1)
                {
                    throw new ArgumentException($"A series of {s.Units.Length} values is too short for {backtest.Origins} origins of horizon {backtest.Horizon}.", nameof(series));
                }

                cut.Add(s with { Units = s.Units[..origin] });
            }

            var fit = Forecast(cut, backtest.Horizon, backtest.Levels, options);
            for (var j = 0; j < series.Count; j++)
            {
                var f = fit.Forecasts[j];
                if (f.Warning is { } w)
                {
                    warnings.Add(w);
                }

                var one = ForecastAccuracy.Of(cut[j].Units, series[j].Units.AsSpan(cut[j].Units.Length, backtest.Horizon), f, backtest.SeasonalPeriod);
                total += o == backtest.Origins - 1 ? one : one with { Series = 0 };
            }
        }

        return new BacktestResult("gbm", total, warnings);
    }

    /// <summary>The training rows of every series whose targets lie before <paramref name="end"/>(series).</summary>
    internal static List<Row> TrainingRows(IReadOnlyList<DemandSeries> series, Func<DemandSeries, int> end, int horizon, GlobalGbmOptions options, Layout layout)
    {
        var rows = new List<Row>();
        foreach (var s in series)
        {
            var e = end(s);
            for (var h = 1; h <= horizon; h++)
            {
                for (var origin = options.MinHistory; origin + h - 1 < e; origin++)
                {
                    var target = origin + h - 1;
                    rows.Add(layout.Row(s, origin, h, (float)(GbmFeatures.Log1P(s.Units[target]) - GbmFeatures.Level(s.Units, origin))));
                }
            }
        }

        return rows;
    }

    private static List<List<double>> CalibrationResiduals(IReadOnlyList<DemandSeries> series, ITransformer model, int horizon, GlobalGbmOptions options, Layout layout)
    {
        var rows = new List<Row>();
        var steps = new List<int>();
        var actual = new List<double>();
        foreach (var s in series)
        {
            var start = s.Units.Length - options.CalibrationWeeks;
            if (start < options.MinHistory)
            {
                continue;
            }

            // every (origin, step) whose origin is in the calibration window and whose target was observed
            for (var h = 1; h <= horizon; h++)
            {
                for (var origin = start; origin + h - 1 < s.Units.Length; origin++)
                {
                    rows.Add(layout.DenseRow(s, origin, h));
                    steps.Add(h);
                    actual.Add(GbmFeatures.Log1P(s.Units[origin + h - 1]) - GbmFeatures.Level(s.Units, origin));
                }
            }
        }

        var residuals = Enumerable.Range(0, horizon).Select(_ => new List<double>()).ToList();
        if (rows.Count == 0)
        {
            return residuals;
        }

        var predicted = Predict(model, rows, layout);
        for (var i = 0; i < rows.Count; i++)
        {
            residuals[steps[i] - 1].Add(Math.Abs(actual[i] - predicted[i]));
        }

        return residuals;
    }

    /// <summary>Split-conformal quantile per step: the ⌈(n + 1)·level⌉-th smallest residual (the largest when that exceeds n);
    /// a step without residuals borrows the nearest earlier step's, and 0 when there are none at all.</summary>
    internal static double[] ConformalQuantiles(IReadOnlyList<List<double>> residuals, double level)
    {
        var q = new double[residuals.Count];
        for (var h = 0; h < residuals.Count; h++)
        {
            var r = residuals[h];
            if (r.Count == 0)
            {
                q[h] = h > 0 ? q[h - 1] : 0;
                continue;
            }

            var sorted = r.Order().ToArray();
            var k = (int)Math.Ceiling((sorted.Length + 1) * level);
            q[h] = sorted[Math.Clamp(k, 1, sorted.Length) - 1];
        }

        return q;
    }

    private static double Back(double logValue)
    {
        var v = Math.Exp(Math.Min(logValue, 700)) - 1;
        return v > 0 ? v : 0;
    }

    private static GlobalGbmForecast Fallback(IReadOnlyList<DemandSeries> series, int horizon, IReadOnlyList<double> levels, string warning, int rows) =>
        new([.. series.Select(s => FallbackOne(s, horizon, levels, warning))], [], rows, 0);

    private static ForecastResult FallbackOne(DemandSeries s, int horizon, IReadOnlyList<double> levels, string warning)
    {
        var f = BaselineForecaster.MovingAverage(4).Forecast(s.Units, horizon, levels);
        return f with { Method = "gbm", Warning = f.Warning is null ? warning : $"{warning}; {f.Warning}" };
    }

    private static ITransformer Fit(List<Row> rows, Layout layout, GlobalGbmOptions o)
    {
        var ml = new MLContext(o.Seed);
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            NumberOfIterations = o.Iterations,
            LearningRate = o.LearningRate,
            NumberOfLeaves = o.Leaves,
            MinimumExampleCountPerLeaf = o.MinLeafRows,
            Seed = o.Seed,
            NumberOfThreads = o.Threads,
            Silent = true,
            HandleMissingValue = true,
            UseZeroAsMissingValue = false,
            UseCategoricalSplit = layout.Categorical,
            Booster = new GradientBooster.Options { L2Regularization = o.L2, FeatureFraction = o.FeatureFraction },
        });
        return trainer.Fit(ml.Data.LoadFromEnumerable(rows, layout.Schema()));
    }

    private static double[] Predict(ITransformer model, List<Row> rows, Layout layout)
    {
        var ml = new MLContext(0);
        return [.. model.Transform(ml.Data.LoadFromEnumerable(rows, layout.Schema())).GetColumn<float>("Score").Select(v => double.IsFinite(v) ? v : 0)];
    }

    /// <summary>The feature vector layout: dense features, then one-hot store and item ranges (sparse) marked as
    /// categorical slot ranges, which ML.NET's LightGBM turns back into two categorical features.</summary>
    internal sealed class Layout
    {
        private readonly Dictionary<int, int> _stores;
        private readonly Dictionary<int, int> _items;

        private Layout(int lags, Dictionary<int, int> stores, Dictionary<int, int> items, bool categorical)
        {
            Lags = lags;
            _stores = stores;
            _items = items;
            Categorical = categorical;
        }

        public int Lags { get; }

        public bool Categorical { get; }

        public int Dense => GbmFeatures.Width(Lags);

        public int Width => Categorical ? Dense + _stores.Count + _items.Count : Dense;

        public static Layout Of(IReadOnlyList<DemandSeries> series, GlobalGbmOptions o)
        {
            var stores = series.Select(s => s.Store).Distinct().Order().Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i);
            var items = series.Select(s => s.Item).Distinct().Order().Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i);

            // a categorical range needs at least two slots
            return new Layout(o.Lags, stores, items, o.Categoricals && stores.Count > 1 && items.Count > 1);
        }

        public Row Row(DemandSeries s, int origin, int step, float label)
        {
            var extra = Categorical ? 2 : 0;
            var values = new float[Dense + extra];
            var indices = new int[Dense + extra];
            GbmFeatures.Write(s, origin, step, Lags, values.AsSpan(0, Dense));
            for (var i = 0; i < Dense; i++)
            {
                indices[i] = i;
            }

            if (Categorical)
            {
                indices[Dense] = Dense + _stores[s.Store];
                values[Dense] = 1;
                indices[Dense + 1] = Dense + _stores.Count + _items[s.Item];
                values[Dense + 1] = 1;
            }

            return new Row { Label = label, Features = new VBuffer<float>(Width, values.Length, values, indices) };
        }

        /// <summary>The same features as <see cref="Row"/> in a dense vector (label 0), for prediction: ML.NET walks its
        /// trees over a dense vector by index, over a sparse one by a search per node.</summary>
        public Row DenseRow(DemandSeries s, int origin, int step)
        {
            var values = new float[Width];
            GbmFeatures.Write(s, origin, step, Lags, values.AsSpan(0, Dense));
            if (Categorical)
            {
                values[Dense + _stores[s.Store]] = 1;
                values[Dense + _stores.Count + _items[s.Item]] = 1;
            }

            return new Row { Features = new VBuffer<float>(Width, values) };
        }

        public SchemaDefinition Schema()
        {
            var schema = SchemaDefinition.Create(typeof(Row));
            var features = schema[nameof(Forecasting.GlobalGbmForecaster.Row.Features)];
            features.ColumnType = new VectorDataViewType(NumberDataViewType.Single, Width);
            if (Categorical)
            {
                int[] ranges = [Dense, Dense + _stores.Count - 1, Dense + _stores.Count, Width - 1];
                features.AddAnnotation(CategoricalSlotRanges, new VBuffer<int>(4, ranges), new VectorDataViewType(NumberDataViewType.Int32, 4));
            }

            return schema;
        }
    }

    internal sealed class Row
    {
        public float Label { get; set; }

        public VBuffer<float> Features { get; set; }
    }
}
