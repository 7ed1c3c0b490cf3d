namespace PromoPilot.Models.Response;

/// <summary>How raw model scores become probabilities.</summary>
public enum CalibrationMethod
{
    /// <summary>The learner's own probability (LightGBM: sigmoid of the margin; FastTree: ML.NET's Platt fit on training rows; logistic: exact).</summary>
    None,

    /// <summary>Platt scaling, p = 1 / (1 + exp(a·s + b)), fitted on the validation split (Platt 1999; Lin, Lin &amp; Weng 2007).</summary>
    Platt,

    /// <summary>Isotonic regression by pool-adjacent-violators on the validation split, linear between its steps (Zadrozny &amp; Elkan 2002).</summary>
    Isotonic,
}

/// <summary>A fitted map from raw score to probability.</summary>
public interface IProbabilityCalibrator
{
    double Probability(double score);
}

/// <summary>Platt scaling with Platt's smoothed targets, fitted by Newton's method with step halving.</summary>
public sealed record PlattCalibrator(double A, double B) : IProbabilityCalibrator
{
    public double Probability(double score)
    {
        var z = A * score + B;
        return z >= 0 ? Math.Exp(-z) / (1 + Math.Exp(-z)) : 1 / (1 + Math.Exp(z));
    }

    public static PlattCalibrator Fit(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        CalibrationChecks.Check(scores, labels);
        double positives = labels.Count(l => l), negatives = labels.Count - positives;
        var hi = (positives + 1) / (positives + 2);
        var lo = 1 / (negatives + 2);
        var targets = labels.Select(l => l ? hi : lo).ToArray();
        double a = 0, b = Math.Log((negatives + 1) / (positives + 1));
        var loss = Loss(a, b);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double gA = 0, gB = 0, hAA = 1e-12, hAB = 0, hBB = 1e-12;
            for (var i = 0; i < scores.Count; i++)
            {
                var p = new PlattCalibrator(a, b).Probability(scores[i]);
                var d = targets[i] - p; // derivative of the loss with respect to z = a s + b
                gA += d * scores[i];
                gB += d;
                var w = p * (1 - p);
                hAA += w * scores[i] * scores[i];
                hAB += w * scores[i];
                hBB += w;
            }

            var det = hAA * hBB - hAB * hAB;
            var dA = -(hBB * gA - hAB * gB) / det;
            var dB = -(-hAB * gA + hAA * gB) / det;
            var step = 1.0;
            while (step > 1e-10 && Loss(a + step * dA, b + step * dB) > loss + 1e-12)
            {
                step /= 2;
            }

            a += step * dA;
            b += step * dB;
            var next = Loss(a, b);
            var converged = Math.Abs(loss - next) < 1e-12 * Math.Max(1, loss);
            loss = next;
            if (converged)
            {
                break;
            }
        }

        return new PlattCalibrator(a, b);

        double Loss(double a0, double b0)
        {
            double sum = 0;
            for (var i = 0; i < scores.Count; i++)
            {
                var z = a0 * scores[i] + b0;
                // -t log p - (1 - t) log(1 - p) with p = 1 / (1 + e^z), written stably
                sum += targets[i] * z + Softplus(-z);
            }

            return sum;
        }
    }

    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));
}

/// <summary>Isotonic (non-decreasing) map from score to probability; linear interpolation between block means, clamped at the ends.</summary>
public sealed record IsotonicCalibrator(IReadOnlyList<double> Scores, IReadOnlyList<double> Probabilities) : IProbabilityCalibrator
{
    public double Probability(double score)
    {
        if (score <= Scores[0])
        {
            return Probabilities[0];
        }

        if (score >= Scores[^1])
        {
            return Probabilities[^1];
        }

        var hi = 1;
        while (Scores[hi] < score)
        {
            hi++;
        }

        var lo = hi - 1;
        var t = (score - Scores[lo]) / (Scores[hi] - Scores[lo]);
        return Probabilities[lo] + t * (Probabilities[hi] - Probabilities[lo]);
    }

    /// <summary>Pool-adjacent-violators over rows sorted by score; rows with equal scores are pooled first.</summary>
    public static IsotonicCalibrator Fit(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        CalibrationChecks.Check(scores, labels);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var blocks = new List<(double Score, double Sum, double Weight)>();
        foreach (var i in order)
        {
            var y = labels[i] ? 1.0 : 0.0;
            if (blocks.Count > 0 && blocks[^1].Score == scores[i])
            {
                var last = blocks[^1];
                blocks[^1] = (last.Score, last.Sum + y, last.Weight + 1);
            }
            else
            {
                blocks.Add((scores[i], y, 1));
            }
        }

        // Pool: each pool keeps the weighted mean of its scores (the x where its mean applies).
        var pools = new List<(double ScoreSum, double Sum, double Weight)>();
        foreach (var (score, sum, weight) in blocks)
        {
            pools.Add((score * weight, sum, weight));
            while (pools.Count > 1 && pools[^2].Sum / pools[^2].Weight >= pools[^1].Sum / pools[^1].Weight)
            {
                var b = pools[^1];
                var a = pools[^2];
                pools.RemoveAt(pools.Count - 1);
                pools[^1] = (a.ScoreSum + b.ScoreSum, a.Sum + b.Sum, a.Weight + b.Weight);
            }
        }

        return new IsotonicCalibrator([.. pools.Select(p => p.ScoreSum / p.Weight)], [.. pools.Select(p => p.Sum / p.Weight)]);
    }
}

/// <summary>One bin of a reliability table.</summary>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double MeanPredicted, double ObservedRate);

/// <summary>Reliability (calibration) table: equal-width probability bins with the mean prediction and the observed rate in each.</summary>
public static class ReliabilityTable
{
    /// <summary>Bins with no rows are left out; the last bin includes 1.</summary>
    public static IReadOnlyList<ReliabilityBin> Build(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        Evaluation.ModelArgs.Positive(bins, nameof(bins));
        if (labels.Count != probabilities.Count)
        {
            throw new ArgumentException($"{labels.Count} labels but {probabilities.Count} probabilities.", nameof(probabilities));
        }

        var count = new int[bins];
        var predicted = new double[bins];
        var observed = new double[bins];
        for (var i = 0; i < labels.Count; i++)
        {
            var p = probabilities[i];
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"probability at row {i} is {p}, not in [0, 1].", nameof(probabilities));
            }

            var b = Math.Min((int)(p * bins), bins - 1);
            count[b]++;
            predicted[b] += p;
            observed[b] += labels[i] ? 1 : 0;
        }

        return [.. Enumerable.Range(0, bins).Where(b => count[b] > 0)
            .Select(b => new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b], predicted[b] / count[b], observed[b] / count[b]))];
    }
}

internal static class CalibrationChecks
{
    public static void Check(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count || scores.Count == 0)
        {
            throw new ArgumentException($"{scores.Count} scores and {labels.Count} labels: need equal, non-zero counts.", nameof(scores));
        }

        if (scores.Any(double.IsNaN))
        {
            throw new ArgumentException("a score is NaN.", nameof(scores));
        }
    }
}
