namespace PromoPilot.Models.Evaluation;

/// <summary>How uplift at k% picks its top rows (scikit-uplift's <c>strategy</c>).</summary>
public enum UpliftAtKStrategy
{
    /// <summary>'by_group': the top k% of the treated and the top k% of the control rows, each ranked on its own.</summary>
    ByGroup,

    /// <summary>'overall': the top k% of all rows, then the treated and control rows among them.</summary>
    Overall,
}

/// <summary>A cumulative curve: x = rows targeted (0 first), y = the curve's value there.</summary>
public sealed record UpliftCurve(IReadOnlyList<double> Targeted, IReadOnlyList<double> Values);

/// <summary>
/// Uplift evaluation with scikit-uplift's definitions (docs/response-uplift.md states them): uplift and Qini curves,
/// their perfect curves, normalized AUUC (uplift_auc_score), normalized Qini coefficient (qini_auc_score) and
/// uplift at k% with the 'by_group' and 'overall' strategies. Rows are ranked by predicted uplift, highest first,
/// ties in reverse row order (a stable ascending sort reversed); the curves are evaluated only where the score
/// changes. Checked against tests/PromoPilot.Models.Tests/Fixtures/reference_uplift_metrics.py.
/// </summary>
/// <remarks>
/// References: Radcliffe (2007), "Using control groups to target on predicted lift"; Gutierrez &amp; Gérardy (2017),
/// "Causal inference and uplift modelling: a review of the literature"; scikit-uplift's metric documentation.
/// </remarks>
public static class UpliftMetrics
{
    /// <summary>
    /// Uplift curve: at each distinct score threshold, (mean outcome of treated - mean outcome of control among the
    /// top rows) x rows targeted; a group with no rows contributes 0.
    /// </summary>
    public static UpliftCurve UpliftCurve(IReadOnlyList<double> outcome, IReadOnlyList<double> uplift, IReadOnlyList<bool> treatment) =>
        Curve(outcome, uplift, treatment, qini: false);

    /// <summary>
    /// Qini curve: at each distinct score threshold, treated outcome sum - control outcome sum x (treated rows /
    /// control rows) among the top rows (0 when no control row is there yet).
    /// </summary>
    public static UpliftCurve QiniCurve(IReadOnlyList<double> outcome, IReadOnlyList<double> uplift, IReadOnlyList<bool> treatment) =>
        Curve(outcome, uplift, treatment, qini: true);

    /// <summary>
    /// The best possible uplift curve for a binary outcome: rows ranked by 2·[y == t] + (y if control responders
    /// outnumber treated non-responders, else t).
    /// </summary>
    public static UpliftCurve PerfectUpliftCurve(IReadOnlyList<double> outcome, IReadOnlyList<bool> treatment)
    {
        CheckBinary(outcome);
        long controlResponders = 0, treatedNonResponders = 0;
        for (var i = 0; i < outcome.Count; i++)
        {
            controlResponders += !treatment[i] && outcome[i] == 1 ? 1 : 0;
            treatedNonResponders += treatment[i] && outcome[i] == 0 ? 1 : 0;
        }

        var perfect = new double[outcome.Count];
        for (var i = 0; i < perfect.Length; i++)
        {
            var t = treatment[i] ? 1.0 : 0.0;
            perfect[i] = (outcome[i] == t ? 2 : 0) + (controlResponders > treatedNonResponders ? outcome[i] : t);
        }

        return UpliftCurve(outcome, perfect, treatment);
    }

    /// <summary>
    /// The best possible Qini curve. With <paramref name="negativeEffect"/> (the default) rows are ranked by
    /// y·t - y·(1 - t); without it the curve is (0, 0) -> (R, R) -> (n, R) with R = treated outcome sum - treated rows x
    /// control mean.
    /// </summary>
    public static UpliftCurve PerfectQiniCurve(IReadOnlyList<double> outcome, IReadOnlyList<bool> treatment, bool negativeEffect = true)
    {
        Check(outcome, outcome, treatment);
        if (negativeEffect)
        {
            var perfect = new double[outcome.Count];
            for (var i = 0; i < perfect.Length; i++)
            {
                perfect[i] = treatment[i] ? outcome[i] : -outcome[i];
            }

            return QiniCurve(outcome, perfect, treatment);
        }

        double treatedSum = 0, controlSum = 0;
        long treated = 0, control = 0;
        for (var i = 0; i < outcome.Count; i++)
        {
            if (treatment[i])
            {
                treatedSum += outcome[i];
                treated++;
            }
            else
            {
                controlSum += outcome[i];
                control++;
            }
        }

        var random = treatedSum - treated * controlSum / control;
        return new UpliftCurve([0, random, outcome.Count], [0, random, random]);
    }

    /// <summary>
    /// Normalized Qini coefficient (qini_auc_score): (area under the Qini curve - area under the random line) /
    /// (area under the perfect Qini curve - area under the random line); trapezoidal areas; the random line joins
    /// (0, 0) to the perfect curve's last point.
    /// </summary>
    public static double QiniAucScore(IReadOnlyList<double> outcome, IReadOnlyList<double> uplift, IReadOnlyList<bool> treatment, bool negativeEffect = true) =>
        Normalized(QiniCurve(outcome, uplift, treatment), PerfectQiniCurve(outcome, treatment, negativeEffect));

    /// <summary>Normalized area under the uplift curve (uplift_auc_score), defined as the Qini coefficient but on uplift curves; binary outcome.</summary>
    public static double UpliftAucScore(IReadOnlyList<double> outcome, IReadOnlyList<double> uplift, IReadOnlyList<bool> treatment) =>
        Normalized(UpliftCurve(outcome, uplift, treatment), PerfectUpliftCurve(outcome, treatment));

    /// <summary>
    /// Uplift at k% (uplift_at_k): mean outcome of the treated minus mean outcome of the control rows among the top
    /// k. 'by_group' takes floor(n_treated·k) treated and floor(n_control·k) control rows by their own ranking;
    /// 'overall' takes the top floor(n·k) rows and splits them by group.
    /// </summary>
    /// <exception cref="ArgumentException">k is not in (0, 1], or a group has no row among the top k.</exception>
    public static double UpliftAtK(IReadOnlyList<double> outcome, IReadOnlyList<double> uplift, IReadOnlyList<bool> treatment, double k, UpliftAtKStrategy strategy)
    {
        Check(outcome, uplift, treatment);
        if (!(k > 0 && k <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be a fraction in (0, 1].");
        }

        var order = Order(uplift);
        var treatedRows = treatment.Count(t => t);
        var controlRows = treatment.Count - treatedRows;
        double treatedSum = 0, controlSum = 0;
        long treatedTaken = 0, controlTaken = 0;
        if (strategy == UpliftAtKStrategy.Overall)
        {
            var size = (int)(outcome.Count * k);
            for (var r = 0; r < size; r++)
            {
                var i = order[r];
                if (treatment[i])
                {
                    treatedSum += outcome[i];
                    treatedTaken++;
                }
                else
                {
                    controlSum += outcome[i];
                    controlTaken++;
                }
            }
        }
        else
        {
            var treatedSize = (int)(treatedRows * k);
            var controlSize = (int)(controlRows * k);
            foreach (var i in order)
            {
                if (treatment[i] && treatedTaken < treatedSize)
                {
                    treatedSum += outcome[i];
                    treatedTaken++;
                }
                else if (!treatment[i] && controlTaken < controlSize)
                {
                    controlSum += outcome[i];
                    controlTaken++;
                }
            }
        }

        if (treatedTaken == 0 || controlTaken == 0)
        {
            throw new ArgumentException($"uplift at k = {k} ({strategy}): the top rows hold {treatedTaken} treated and {controlTaken} control rows; both groups are needed.", nameof(k));
        }

        return treatedSum / treatedTaken - controlSum / controlTaken;
    }

    /// <summary>Trapezoidal area under a curve (x increasing).</summary>
    public static double Area(UpliftCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        double area = 0;
        for (var i = 1; i < curve.Targeted.Count; i++)
        {
            area += (curve.Targeted[i] - curve.Targeted[i - 1]) * (curve.Values[i] + curve.Values[i - 1]) / 2;
        }

        return area;
    }

    private static double Normalized(UpliftCurve actual, UpliftCurve perfect)
    {
        var lastX = perfect.Targeted[^1];
        var lastY = perfect.Values[^1];
        var baseline = lastX * lastY / 2;
        var perfectArea = Area(perfect) - baseline;
        if (perfectArea == 0)
        {
            throw new ArgumentException("the perfect curve has the same area as the random one (no effect can be ranked): the normalized score is undefined.", nameof(perfect));
        }

        return (Area(actual) - baseline) / perfectArea;
    }

    /// <summary>Row indices by score, highest first; ties in reverse row order.</summary>
    private static int[] Order(IReadOnlyList<double> uplift)
    {
        var order = Enumerable.Range(0, uplift.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var c = uplift[b].CompareTo(uplift[a]);
            return c != 0 ? c : b.CompareTo(a);
        });
        return order;
    }

    private static UpliftCurve Curve(IReadOnlyList<double> outcome, IReadOnlyList<double> uplift, IReadOnlyList<bool> treatment, bool qini)
    {
        Check(outcome, uplift, treatment);
        var order = Order(uplift);
        var xs = new List<double>();
        var ys = new List<double>();
        double treatedSum = 0, controlSum = 0;
        long treated = 0;
        for (var r = 0; r < order.Length; r++)
        {
            var i = order[r];
            if (treatment[i])
            {
                treatedSum += outcome[i];
                treated++;
            }
            else
            {
                controlSum += outcome[i];
            }

            if (r + 1 < order.Length && uplift[order[r + 1]] == uplift[i])
            {
                continue; // evaluate only where the score changes
            }

            long all = r + 1;
            var control = all - treated;
            double value;
            if (qini)
            {
                value = treatedSum - (control == 0 ? 0 : controlSum * treated / control);
            }
            else
            {
                value = ((treated == 0 ? 0 : treatedSum / treated) - (control == 0 ? 0 : controlSum / control)) * all;
            }

            xs.Add(all);
            ys.Add(value);
        }

        xs.Insert(0, 0);
        ys.Insert(0, 0);
        return new UpliftCurve(xs, ys);
    }

    private static void CheckBinary(IReadOnlyList<double> outcome)
    {
        for (var i = 0; i < outcome.Count; i++)
        {
            if (outcome[i] != 0 && outcome[i] != 1)
            {
                throw new ArgumentException($"outcome at row {i} is {outcome[i]}: the perfect uplift curve needs a 0/1 outcome.", nameof(outcome));
            }
        }
    }

    private static void Check(IReadOnlyList<double> outcome, IReadOnlyList<double> uplift, IReadOnlyList<bool> treatment)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(uplift);
        ArgumentNullException.ThrowIfNull(treatment);
        if (outcome.Count != uplift.Count || outcome.Count != treatment.Count)
        {
            throw new ArgumentException($"lengths differ: {outcome.Count} outcomes, {uplift.Count} scores, {treatment.Count} treatment flags.", nameof(uplift));
        }

        var treated = treatment.Count(t => t);
        if (treated == 0 || treated == treatment.Count)
        {
            throw new ArgumentException("treatment has one arm only: uplift metrics need treated and control rows.", nameof(treatment));
        }

        for (var i = 0; i < outcome.Count; i++)
        {
            if (!double.IsFinite(outcome[i]) || double.IsNaN(uplift[i]))
            {
                throw new ArgumentException($"row {i}: outcome {outcome[i]}, score {uplift[i]}; both must be numbers.", nameof(uplift));
            }
        }
    }
}
