using MathNet.Numerics.LinearAlgebra;

namespace PromoPilot.Models.Elasticity;

/// <summary>How the standard errors of <see cref="LogLogElasticity"/> are computed.</summary>
public enum StandardErrorKind
{
    /// <summary>Classical OLS: s²(X′X)⁻¹ with s² = e′e/(n − p).</summary>
    Classical,

    /// <summary>White's heteroskedasticity-consistent estimator with the n/(n − p) correction (MacKinnon &amp; White 1985, HC1).</summary>
    HC1,

    /// <summary>Cluster-robust (Liang &amp; Zeger 1986) with the G/(G − 1)·(n − 1)/(n − p) correction (CR1, as Stata and statsmodels).</summary>
    Cluster,
}

/// <summary>One observation row of a log-log demand regression: units sold at an own price, with controls and fixed-effect groups.</summary>
/// <param name="Units">Units sold (&gt; 0; rows with zero units cannot enter a log-log model and are rejected).</param>
/// <param name="Price">Own price (&gt; 0).</param>
/// <param name="Controls">Control regressors entered linearly (e.g. deal and feature flags), same length on every row.</param>
/// <param name="Groups">Fixed-effect group labels, one per effect (e.g. brand, store, week), same length on every row.</param>
/// <param name="Cluster">Cluster label for <see cref="StandardErrorKind.Cluster"/> (e.g. the store); ignored otherwise.</param>
public sealed record DemandObservation(double Units, double Price, double[] Controls, int[] Groups, int Cluster = 0);

/// <summary>Options of <see cref="LogLogElasticity"/>.</summary>
public sealed record ElasticityOptions
{
    /// <summary>Names of the controls, for the coefficient table. Default none (named c1, c2, ...).</summary>
    public IReadOnlyList<string> ControlNames { get; init; } = [];

    /// <summary>Names of the fixed effects, for the coefficient table. Default none (named g1, g2, ...).</summary>
    public IReadOnlyList<string> GroupNames { get; init; } = [];

    /// <summary>Standard errors. Default <see cref="StandardErrorKind.HC1"/>.</summary>
    public StandardErrorKind StandardErrors { get; init; } = StandardErrorKind.HC1;
}

/// <summary>A named coefficient with its standard error.</summary>
public sealed record Coefficient(string Name, double Estimate, double StdError);

/// <summary>The fitted regression: the own-price elasticity (the coefficient of log price) first, then every coefficient.</summary>
public sealed record ElasticityEstimate(double Elasticity, double StdError, int N, int Parameters, StandardErrorKind StandardErrors, IReadOnlyList<Coefficient> Coefficients);

/// <summary>
/// Constant-elasticity demand: log(units) = a + ε·log(price) + Σ controls + fixed effects (dummy coding, first level of
/// each effect dropped) fitted by least squares through a QR decomposition (MathNet), with classical, HC1 or
/// cluster-robust standard errors (see <see cref="StandardErrorKind"/>); the own-price elasticity is ε. Reference:
/// Wooldridge, "Econometric Analysis of Cross Section and Panel Data" (2010), ch. 4 and 20; the specification of issue 10
/// (log move on log own price, brand effects, feat and deal) is the classical one for Dominick's orange juice.
/// </summary>
public static class LogLogElasticity
{
    public static ElasticityEstimate Fit(IReadOnlyList<DemandObservation> rows, ElasticityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new ElasticityOptions();
        if (rows.Count == 0)
        {
            throw new ArgumentException("No observations.", nameof(rows));
        }

        var nControls = rows[0].Controls.Length;
        var nGroups = rows[0].Groups.Length;
        var levels = new List<int[]>();
        for (var g = 0; g < nGroups; g++)
        {
            levels.Add(rows.Select(r => r.Groups[g]).Distinct().Order().ToArray());
        }

        var names = new List<string> { "log_price", "intercept" };
        names.AddRange(Enumerable.Range(0, nControls).Select(c => c < options.ControlNames.Count ? options.ControlNames[c] : $"c{c + 1}"));
        var offsets = new int[nGroups];
        for (var g = 0; g < nGroups; g++)
        {
            offsets[g] = names.Count;
            var groupName = g < options.GroupNames.Count ? options.GroupNames[g] : $"g{g + 1}";
            names.AddRange(levels[g].Skip(1).Select(l => $"{groupName}={l}"));
        }

        var n = rows.Count;
        var p = names.Count;
        if (n <= p)
        {
            throw new ArgumentException($"{n} observations cannot identify {p} coefficients.", nameof(rows));
        }

        var index = levels.Select(l => l.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i)).ToArray();
        var x = Matrix<double>.Build.Dense(n, p);
        var y = Vector<double>.Build.Dense(n);
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            if (!(r.Units > 0 && double.IsFinite(r.Units)))
            {
                throw new ArgumentException($"Row {i}: units must be > 0 for a log-log model (got {r.Units}).", nameof(rows));
            }

            if (!(r.Price > 0 && double.IsFinite(r.Price)))
            {
                throw new ArgumentException($"Row {i}: price must be > 0 (got {r.Price}).", nameof(rows));
            }

            if (r.Controls.Length != nControls || r.Groups.Length != nGroups)
            {
                throw new ArgumentException($"Row {i}: every row needs {nControls} controls and {nGroups} groups.", nameof(rows));
            }

            y[i] = Math.Log(r.Units);
            x[i, 0] = Math.Log(r.Price);
            x[i, 1] = 1;
            for (var c = 0; c < nControls; c++)
            {
                x[i, 2 + c] = r.Controls[c];
            }

            for (var g = 0; g < nGroups; g++)
            {
                var level = index[g][r.Groups[g]];
                if (level > 0)
                {
                    x[i, offsets[g] + level - 1] = 1;
                }
            }
        }

        var qr = x.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var rDiag = Enumerable.Range(0, p).Select(j => Math.Abs(qr.R[j, j])).ToArray();
        if (rDiag.Min() <= 1e-10 * Math.Max(rDiag.Max(), 1))
        {
            throw new ArgumentException("The design is rank deficient (a control is constant or collinear with the fixed effects, or a price never varies).", nameof(rows));
        }

        var beta = qr.Solve(y);
        var e = y - (x * beta);
        var rInv = qr.R.Inverse();
        var bread = rInv * rInv.Transpose(); // (X′X)⁻¹
        var cov = options.StandardErrors switch
        {
            StandardErrorKind.Classical => bread * (e.DotProduct(e) / (n - p)),
            StandardErrorKind.HC1 => Sandwich(bread, Meat(x, e, null), n / (double)(n - p)),
            StandardErrorKind.Cluster => ClusterCovariance(x, e, bread, rows, n, p),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.StandardErrors, "Unknown standard error kind."),
        };
        var se = Enumerable.Range(0, p).Select(j => Math.Sqrt(Math.Max(cov[j, j], 0))).ToArray();
        var coefficients = names.Select((name, j) => new Coefficient(name, beta[j], se[j])).ToList();
        return new ElasticityEstimate(beta[0], se[0], n, p, options.StandardErrors, coefficients);
    }

    private static Matrix<double> ClusterCovariance(Matrix<double> x, Vector<double> e, Matrix<double> bread, IReadOnlyList<DemandObservation> rows, int n, int p)
    {
        var clusters = rows.Select(r => r.Cluster).Distinct().ToList();
        if (clusters.Count < 2)
        {
            throw new ArgumentException("Cluster-robust standard errors need at least two clusters.", nameof(rows));
        }

        var g = clusters.Count;
        return Sandwich(bread, Meat(x, e, rows.Select(r => r.Cluster).ToArray()), g / (double)(g - 1) * (n - 1) / (n - p));
    }

    /// <summary>Σ_i x_i x_i′ e_i² (no clusters) or Σ_g (X_g′e_g)(X_g′e_g)′.</summary>
    private static Matrix<double> Meat(Matrix<double> x, Vector<double> e, int[]? clusters)
    {
        var p = x.ColumnCount;
        var meat = Matrix<double>.Build.Dense(p, p);
        var scores = new Dictionary<int, double[]>();
        for (var i = 0; i < x.RowCount; i++)
        {
            var key = clusters?[i] ?? i;
            if (!scores.TryGetValue(key, out var s))
            {
                scores[key] = s = new double[p];
            }

            for (var j = 0; j < p; j++)
            {
                s[j] += x[i, j] * e[i];
            }
        }

        foreach (var s in scores.Values)
        {
            for (var a = 0; a < p; a++)
            {
                if (s[a] == 0)
                {
                    continue;
                }

                for (var b = 0; b < p; b++)
                {
                    meat[a, b] += s[a] * s[b];
                }
            }
        }

        return meat;
    }

    private static Matrix<double> Sandwich(Matrix<double> bread, Matrix<double> meat, double factor) => bread * meat * bread * factor;
}
