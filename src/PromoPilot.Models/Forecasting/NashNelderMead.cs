using System.Runtime.CompilerServices;

namespace PromoPilot.Models.Forecasting;

/// <summary>
/// The Nelder-Mead variant of Nash (1990), "Compact Numerical Methods for Computers", 2nd ed., Algorithm 19, which is
/// the one R's optim(method = "Nelder-Mead") and forecast::ets use: one start, an initial simplex that moves each
/// coordinate in turn by a tenth of the largest |x_i| (so smoothing parameters next to level states of size 1000 start
/// with a step of 100, far outside their bounds), reflection 1, contraction 0.5, expansion 2, non-finite values read
/// as 10^35, convergence when the spread of the vertex values falls below tol·(|f(x0)| + tol), and at most
/// <c>maxEvaluations</c> evaluations. Reproducing it (not a better optimizer) is what makes the automatic ETS
/// selection agree with forecast::ets: see docs/BENCHMARKS.md, "Forecasting: Dominick's OJ".
/// </summary>
internal static class NashNelderMead
{
    private const double Big = 1.0e35;
    private const double Reflect = 1.0;
    private const double Contract = 0.5;
    private const double Expand = 2.0;

    /// <summary>Minimizes <paramref name="f"/> from <paramref name="x0"/>; returns the best vertex and its value (x0 is not changed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double[] X, double Value, int Evaluations) Minimize(Func<double[], double> f, double[] x0, double tolerance = 1.490116119384765625e-8, int maxEvaluations = 2000)
    {
        var n = x0.Length;
        var bvec = (double[])x0.Clone();
        var f0 = f(bvec);
        if (!double.IsFinite(f0))
        {
            throw new ArgumentException("The objective cannot be evaluated at the initial parameters.", nameof(x0));
        }

        // columns 0..n are the vertices, column n + 1 the centroid; fv holds the vertices' values
        var p = new double[n + 2][];
        for (var j = 0; j < n + 2; j++)
        {
            p[j] = new double[n];
        }

        var fv = new double[n + 2];
        var evaluations = 1;
        var convtol = tolerance * (Math.Abs(f0) + tolerance);
        fv[0] = f0;
        Array.Copy(bvec, p[0], n);
        var low = 0;
        var step = 0.0;
        foreach (var v in bvec)
        {
            step = Math.Max(step, 0.1 * Math.Abs(v));
        }

        if (step == 0)
        {
            step = 0.1;
        }

        var size = 0.0;
        for (var j = 1; j <= n; j++)
        {
            Array.Copy(bvec, p[j], n);
            var trystep = step;
            while (p[j][j - 1] == bvec[j - 1])
            {
                p[j][j - 1] = bvec[j - 1] + trystep;
                trystep *= 10;
            }

            size += trystep;
        }

        var oldsize = size;
        var calcvert = true;
        do
        {
            if (calcvert)
            {
                for (var j = 0; j <= n; j++)
                {
                    if (j != low)
                    {
                        fv[j] = Eval(f, p[j]);
                        evaluations++;
                    }
                }

                calcvert = false;
            }

            var vl = fv[low];
            var vh = vl;
            var high = low;
            for (var j = 0; j <= n; j++)
            {
                if (j != low)
                {
                    var v = fv[j];
                    if (v < vl)
                    {
                        low = j;
                        vl = v;
                    }

                    if (v > vh)
                    {
                        high = j;
                        vh = v;
                    }
                }
            }

            if (vh <= vl + convtol)
            {
                break;
            }

            var c = p[n + 1];
            for (var i = 0; i < n; i++)
            {
                var temp = -p[high][i];
                for (var j = 0; j <= n; j++)
                {
                    temp += p[j][i];
                }

                c[i] = temp / n;
            }

            for (var i = 0; i < n; i++)
            {
                bvec[i] = ((1 + Reflect) * c[i]) - (Reflect * p[high][i]);
            }

            var vr = Eval(f, bvec);
            evaluations++;
            if (vr < vl)
            {
                fv[n + 1] = vr;
                for (var i = 0; i < n; i++)
                {
                    var e = (Expand * bvec[i]) + ((1 - Expand) * c[i]);
                    c[i] = bvec[i];
                    bvec[i] = e;
                }

                var ve = Eval(f, bvec);
                evaluations++;
                if (ve < vr)
                {
                    Array.Copy(bvec, p[high], n);
                    fv[high] = ve;
                }
                else
                {
                    Array.Copy(c, p[high], n);
                    fv[high] = vr;
                }
            }
            else
            {
                if (vr < vh)
                {
                    Array.Copy(bvec, p[high], n);
                    fv[high] = vr;
                }

                for (var i = 0; i < n; i++)
                {
                    bvec[i] = ((1 - Contract) * p[high][i]) + (Contract * c[i]);
                }

                var vc = Eval(f, bvec);
                evaluations++;
                if (vc < fv[high])
                {
                    Array.Copy(bvec, p[high], n);
                    fv[high] = vc;
                }
                else if (vr >= vh)
                {
                    // shrink towards the lowest vertex; stop when the simplex no longer gets smaller
                    calcvert = true;
                    size = 0.0;
                    for (var j = 0; j <= n; j++)
                    {
                        if (j != low)
                        {
                            for (var i = 0; i < n; i++)
                            {
                                p[j][i] = (Contract * (p[j][i] - p[low][i])) + p[low][i];
                                size += Math.Abs(p[j][i] - p[low][i]);
                            }
                        }
                    }

                    if (size < oldsize)
                    {
                        oldsize = size;
                    }
                    else
                    {
                        break;
                    }
                }
            }
        }
        while (evaluations <= maxEvaluations);

        return ((double[])p[low].Clone(), fv[low], evaluations);
    }

    private static double Eval(Func<double[], double> f, double[] x)
    {
        var v = f(x);
        return double.IsFinite(v) ? v : Big;
    }
}
