using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace PromoPilot.Features.Clv;

/// <summary>Settings of the maximum-likelihood fits of <see cref="BgNbdModel"/> and <see cref="GammaGammaModel"/>.</summary>
public sealed record ClvFitOptions
{
    /// <summary>Iterations of each BFGS (or Nelder-Mead) run. Default 2,000; the CDNOW fits need about 30–60.</summary>
    public int MaxIterations { get; init; } = 2_000;

    /// <summary>
    /// The fit counts as converged when the gradient of the mean log-likelihood per customer with respect to the
    /// log-parameters is below this (Euclidean norm). Default 1e-5.
    /// </summary>
    public double GradientTolerance { get; init; } = 1e-5;

    /// <summary>
    /// Most log-likelihood evaluations over all starting points. Default 20,000 (the CDNOW fits use a few hundred).
    /// Data whose maximum lies on a boundary (customers who never drop out drive the BG/NBD dropout parameters to
    /// 0 or infinity) make the optimizers wander; the budget stops them and the fit reports Converged = false.
    /// </summary>
    public int MaxEvaluations { get; init; } = 20_000;

    /// <summary>Fewest customers a fit accepts. Default 2 (four parameters from one customer are not identified).</summary>
    public int MinCustomers { get; init; } = 2;

    internal void Validate()
    {
        if (MaxIterations < 1)
        {
            throw new ArgumentException($"MaxIterations must be at least 1, not {MaxIterations}.", nameof(MaxIterations));
        }

        if (!(GradientTolerance > 0))
        {
            throw new ArgumentException($"GradientTolerance must be positive, not {GradientTolerance}.", nameof(GradientTolerance));
        }

        if (MaxEvaluations < 1)
        {
            throw new ArgumentException($"MaxEvaluations must be at least 1, not {MaxEvaluations}.", nameof(MaxEvaluations));
        }

        if (MinCustomers < 1)
        {
            throw new ArgumentException($"MinCustomers must be at least 1, not {MinCustomers}.", nameof(MinCustomers));
        }
    }
}

/// <summary>What one maximum-likelihood fit found.</summary>
/// <param name="Parameters">The maximizing parameters (natural scale, all positive).</param>
/// <param name="LogLikelihood">The total log-likelihood at <paramref name="Parameters"/>.</param>
/// <param name="StandardErrors">Square roots of the diagonal of the inverse observed information (the Hessian of −LL,
/// numerically differentiated from the analytical gradient); null when that Hessian is not positive definite.</param>
/// <param name="Converged">True when the gradient is below the tolerance, the parameters are finite and inside
/// [e⁻²⁵, e²⁵], and the Hessian is positive definite: an interior maximum.</param>
internal sealed record MleResult(double[] Parameters, double LogLikelihood, double[]? StandardErrors, bool Converged, double GradientNorm);

/// <summary>
/// Maximizes a log-likelihood with an analytical gradient over positive parameters: BFGS on the log-parameters from
/// several starting points (Nelder-Mead, then BFGS again, when a BFGS run fails), keeping the best point any run
/// visited.
/// </summary>
internal static class MaximumLikelihood
{
    private const double LogBound = 25;
    private const double DivergenceBound = 40;

    /// <summary>A log-likelihood and its gradient in the natural parameters; NaN or infinite where undefined.</summary>
    public delegate double LogLikelihood(ReadOnlySpan<double> parameters, Span<double> gradient);

    public static MleResult Maximize(LogLikelihood logLik, IReadOnlyList<double[]> starts, double customers, ClvFitOptions options)
    {
        var dimension = starts[0].Length;
        var best = new BestPoint(dimension);
        var theta = new double[dimension];
        var gradient = new double[dimension];

        // The objective is the negative mean log-likelihood per customer, in u = ln θ, so its scale does not
        // depend on the number of customers nor its domain on positivity constraints.
        var evaluations = 0;
        (double, Vector<double>) Objective(Vector<double> u)
        {
            if (++evaluations > options.MaxEvaluations)
            {
                throw new OptimizationException($"the evaluation budget of {options.MaxEvaluations} is spent");
            }

            for (var i = 0; i < dimension; i++)
            {
                // Far past the bounds the run is chasing a maximum on the boundary (e.g. Gamma-Gamma's q → ∞ when
                // customers' mean spends hardly differ): stop it instead of spending the budget on a slow walk out.
                if (Math.Abs(u[i]) > DivergenceBound)
                {
                    throw new OptimizationException($"parameter {i} diverges (|ln θ| > {DivergenceBound})");
                }

                theta[i] = Math.Exp(u[i]);
            }

            var value = logLik(theta, gradient);
            var grad = Vector<double>.Build.Dense(dimension);
            if (!double.IsFinite(value))
            {
                return (double.MaxValue, grad);
            }

            for (var i = 0; i < dimension; i++)
            {
                grad[i] = -gradient[i] * theta[i] / customers;
            }

            var objective = -value / customers;
            best.Offer(u, objective, grad);
            return (objective, grad);
        }

        var function = ObjectiveFunction.Gradient(Objective);
        var bfgs = new BfgsMinimizer(1e-10, 1e-14, 1e-15, options.MaxIterations);
        foreach (var start in starts.TakeWhile(_ => evaluations < options.MaxEvaluations))
        {
            var u0 = Vector<double>.Build.Dense(start.Select(s => Math.Log(s)).ToArray());
            if (!TryMinimize(() => bfgs.FindMinimum(function, u0)))
            {
                var simplex = new NelderMeadSimplex(1e-12, options.MaxIterations);
                TryMinimize(() => simplex.FindMinimum(ObjectiveFunction.Value(v => Objective(v).Item1), u0));
                if (best.Point is { } fromSimplex && evaluations < options.MaxEvaluations)
                {
                    TryMinimize(() => bfgs.FindMinimum(function, fromSimplex.Clone()));
                }
            }
        }

        if (best.Point is null)
        {
            throw new InvalidOperationException("the log-likelihood is not finite at any starting point");
        }

        var parameters = best.Point.Select(u => Math.Exp(u)).ToArray();
        var value = logLik(parameters, gradient);
        var inBounds = best.Point.All(u => Math.Abs(u) < LogBound);
        var gradientNorm = best.Gradient!.L2Norm();
        var errors = StandardErrors(logLik, parameters);
        var converged = inBounds && gradientNorm < options.GradientTolerance && errors is not null;
        return new MleResult(parameters, value, errors, converged, gradientNorm);
    }

    /// <summary>
    /// Standard errors from the inverse of the observed information −∂²LL/∂θ², whose columns are central differences
    /// of the analytical gradient with steps of 10⁻⁵·θⱼ; null when it is not positive definite.
    /// </summary>
    internal static double[]? StandardErrors(LogLikelihood logLik, double[] parameters)
    {
        var n = parameters.Length;
        var hessian = Matrix<double>.Build.Dense(n, n);
        var plus = new double[n];
        var minus = new double[n];
        var point = (double[])parameters.Clone();
        for (var j = 0; j < n; j++)
        {
            var h = 1e-5 * parameters[j];
            point[j] = parameters[j] + h;
            var up = logLik(point, plus);
            point[j] = parameters[j] - h;
            var down = logLik(point, minus);
            point[j] = parameters[j];
            if (!double.IsFinite(up) || !double.IsFinite(down))
            {
                return null;
            }

            for (var i = 0; i < n; i++)
            {
                hessian[i, j] = -(plus[i] - minus[i]) / (2 * h);
            }
        }

        var symmetric = (hessian + hessian.Transpose()) / 2;
        if (!symmetric.Enumerate().All(double.IsFinite))
        {
            return null;
        }

        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> cholesky;
        try
        {
            cholesky = symmetric.Cholesky();
        }
        catch (ArgumentException)
        {
            return null; // not positive definite
        }

        if (cholesky.Factor.Diagonal().Any(d => !(d > 0) || !double.IsFinite(d)))
        {
            return null;
        }

        var covariance = cholesky.Solve(Matrix<double>.Build.DenseIdentity(n));
        var errors = new double[n];
        for (var i = 0; i < n; i++)
        {
            errors[i] = Math.Sqrt(covariance[i, i]);
            if (!double.IsFinite(errors[i]))
            {
                return null;
            }
        }

        return errors;
    }

    private static bool TryMinimize(Func<MinimizationResult> run)
    {
        try
        {
            run();
            return true;
        }
        catch (Exception e) when (e is OptimizationException or ArithmeticException or ArgumentException or InvalidOperationException)
        {
            // A failed line search or an exhausted iteration budget: the best point visited so far is kept.
            return false;
        }
    }

    /// <summary>The lowest objective value seen in any run, with its point and gradient.</summary>
    private sealed class BestPoint(int dimension)
    {
        private double _value = double.PositiveInfinity;

        public Vector<double>? Point { get; private set; }

        public Vector<double>? Gradient { get; private set; }

        public void Offer(Vector<double> u, double value, Vector<double> gradient)
        {
            if (value < _value && u.Count == dimension && gradient.All(double.IsFinite))
            {
                _value = value;
                Point = u.Clone();
                Gradient = gradient.Clone();
            }
        }
    }
}
