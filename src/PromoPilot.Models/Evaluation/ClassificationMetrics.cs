namespace PromoPilot.Models.Evaluation;

/// <summary>
/// Binary classification metrics with scikit-learn's definitions (roc_auc_score, log_loss, brier_score_loss,
/// accuracy_score); checked against scikit-learn 1.2 in tests/PromoPilot.Models.Tests/Fixtures/classification_metrics.json.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Probabilities are clipped to [eps, 1 - eps] before the logarithm (scikit-learn's float64 eps).</summary>
    public const double LogLossEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Area under the ROC curve: the probability that a random positive scores above a random negative, ties
    /// counting one half (Mann-Whitney U / (n+ n-)); equal to the trapezoidal area of scikit-learn's roc_curve.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a score is NaN, or only one class is present.</exception>
    public static double Auc(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        Check(labels, scores, nameof(scores));
        var n = labels.Count;
        var order = Enumerable.Range(0, n).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        double rankSumPositive = 0;
        long positives = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && keys[j + 1] == keys[i])
            {
                j++;
            }

            var midRank = (i + j + 2) / 2.0; // ranks are 1-based; ties share the mean rank
            for (var k = i; k <= j; k++)
            {
                if (labels[order[k]])
                {
                    rankSumPositive += midRank;
                    positives++;
                }
            }

            i = j + 1;
        }

        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException("AUC needs both classes among the labels; only one is present.", nameof(labels));
        }

        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Mean negative log-likelihood of the labels under the probabilities (natural log).</summary>
    public static double LogLoss(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities)
    {
        CheckProbabilities(labels, probabilities);
        double sum = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = Math.Clamp(probabilities[i], LogLossEpsilon, 1 - LogLossEpsilon);
            sum -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / labels.Count;
    }

    /// <summary>Brier score: mean squared difference between probability and label.</summary>
    public static double Brier(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities)
    {
        CheckProbabilities(labels, probabilities);
        double sum = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var d = probabilities[i] - (labels[i] ? 1 : 0);
            sum += d * d;
        }

        return sum / labels.Count;
    }

    /// <summary>Share of rows whose predicted class (probability &gt;= threshold) equals the label.</summary>
    public static double Accuracy(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities, double threshold = 0.5)
    {
        CheckProbabilities(labels, probabilities);
        var hits = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            if ((probabilities[i] >= threshold) == labels[i])
            {
                hits++;
            }
        }

        return (double)hits / labels.Count;
    }

    private static void CheckProbabilities(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities)
    {
        Check(labels, probabilities, nameof(probabilities));
        for (var i = 0; i < probabilities.Count; i++)
        {
            if (!(probabilities[i] >= 0 && probabilities[i] <= 1))
            {
                throw new ArgumentException($"probability at row {i} is {probabilities[i]}, not in [0, 1].", nameof(probabilities));
            }
        }
    }

    private static void Check(IReadOnlyList<bool> labels, IReadOnlyList<double> scores, string name)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        if (labels.Count != scores.Count)
        {
            throw new ArgumentException($"{labels.Count} labels but {scores.Count} {name}.", name);
        }

        if (labels.Count == 0)
        {
            throw new ArgumentException("no rows to score.", nameof(labels));
        }

        for (var i = 0; i < scores.Count; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"{name} at row {i} is NaN.", name);
            }
        }
    }
}
