using System.Numerics.Tensors;
using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Recommendation;

/// <summary>
/// Options of <see cref="AlsRecommender"/>. Factors, regularization and α are the best of a small grid on a validation
/// split carved from the MovieLens-100K train split (seed 42; docs/recommendation.md), never the test split.
/// </summary>
public sealed record AlsOptions
{
    /// <summary>Latent factors (default 32).</summary>
    public int Factors { get; init; } = 32;

    /// <summary>L2 regularization λ on user and item factors (default 30).</summary>
    public double Regularization { get; init; } = 30;

    /// <summary>Confidence slope α: confidence = 1 + α · weight (default 3; Hu et al. used 40 on watch counts).</summary>
    public double Alpha { get; init; } = 3;

    /// <summary>Alternating sweeps (default 15).</summary>
    public int Iterations { get; init; } = 15;

    /// <summary>Conjugate-gradient steps per factor update, warm-started from the previous value (default 3, as in Takács et al.).</summary>
    public int CgSteps { get; init; } = 3;

    /// <summary>Seed of the initial factors (default 42).</summary>
    public int Seed { get; init; } = 42;

    internal void Validate()
    {
        ModelArgs.Positive(Factors, nameof(Factors));
        ModelArgs.NonNegative(Regularization, nameof(Regularization));
        ModelArgs.NonNegative(Alpha, nameof(Alpha));
        ModelArgs.Positive(Iterations, nameof(Iterations));
        ModelArgs.Positive(CgSteps, nameof(CgSteps));
    }
}

/// <summary>
/// Implicit-feedback alternating least squares: Hu, Koren and Volinsky (2008), "Collaborative filtering for
/// implicit feedback datasets": minimize Σ c_ui (p_ui − x_u·y_i)² + λ(Σ|x_u|² + Σ|y_i|²) over all user-item
/// pairs with preference p = [weight > 0] and confidence c = 1 + α·weight, using YᵀY + Yᵀ(C_u − I)Y so each
/// update touches only the user's items. Each least-squares update is a few conjugate-gradient steps warm-started
/// from the previous factors, as in Takács, Pilászy and Tikk (2011), "Applications of the conjugate gradient
/// method for implicit feedback collaborative filtering". Updates run on all cores; each user's (item's) update
/// is independent, so results do not depend on the thread count. Only users present at fit time with history
/// can be scored.
/// </summary>
public sealed class AlsRecommender : Recommender
{
    public const string Name = "als";
    private float[] userFactors = [];
    private float[] itemFactors = [];
    private bool[] trainedUsers = [];

    public AlsRecommender(AlsOptions? options = null)
    {
        Options = options ?? new AlsOptions();
        Options.Validate();
    }

    public AlsOptions Options { get; }

    public override string Algorithm => Name;

    protected override void FitCore(CsrMatrix userItems)
    {
        var f = Options.Factors;
        var random = new Random(Options.Seed);
        var scale = 0.01f;
        userFactors = Factors.Random(userItems.Rows, f, scale, random);
        itemFactors = Factors.Random(userItems.Columns, f, scale, random);
        var itemUsers = userItems.Transpose();
        for (var iteration = 0; iteration < Options.Iterations; iteration++)
        {
            Sweep(userItems, userFactors, itemFactors);
            Sweep(itemUsers, itemFactors, userFactors);
        }

        trainedUsers = new bool[userItems.Rows];
        for (var u = 0; u < userItems.Rows; u++)
        {
            trainedUsers[u] = userItems.RowLength(u) > 0;
        }
    }

    protected internal override bool TryScore(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores)
    {
        if (user >= trainedUsers.Length || !trainedUsers[user])
        {
            return false;
        }

        var f = Options.Factors;
        Factors.ScoreAll(userFactors.AsSpan(user * f, f), itemFactors, null, f, scores);
        return true;
    }

    protected override void ItemSimilarities(int item, Span<float> scores) => Factors.PreferenceCosineToAll(item, itemFactors, userFactors, Options.Factors, scores);

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(Options.Factors);
        writer.Write(Options.Regularization);
        writer.Write(Options.Alpha);
        writer.Write(Options.Iterations);
        writer.Write(Options.CgSteps);
        writer.Write(Options.Seed);
        RecommenderIo.WriteFloats(writer, userFactors);
        RecommenderIo.WriteFloats(writer, itemFactors);
        writer.Write(trainedUsers.Length);
        foreach (var t in trainedUsers)
        {
            writer.Write(t);
        }
    }

    internal static AlsRecommender LoadCore(BinaryReader reader)
    {
        var options = new AlsOptions
        {
            Factors = reader.ReadInt32(),
            Regularization = reader.ReadDouble(),
            Alpha = reader.ReadDouble(),
            Iterations = reader.ReadInt32(),
            CgSteps = reader.ReadInt32(),
            Seed = reader.ReadInt32(),
        };
        var model = new AlsRecommender(options)
        {
            userFactors = RecommenderIo.ReadFloats(reader),
            itemFactors = RecommenderIo.ReadFloats(reader),
        };
        model.trainedUsers = new bool[reader.ReadInt32()];
        for (var u = 0; u < model.trainedUsers.Length; u++)
        {
            model.trainedUsers[u] = reader.ReadBoolean();
        }

        return model;
    }

    /// <summary>Updates every row of <paramref name="solve"/> given the fixed <paramref name="fixedFactors"/>.</summary>
    private void Sweep(CsrMatrix matrix, float[] solve, float[] fixedFactors)
    {
        var f = Options.Factors;
        var lambda = (float)Options.Regularization;
        var alpha = (float)Options.Alpha;
        var gram = Gram(fixedFactors, f, matrix.Columns, lambda);
        Parallel.For(0, matrix.Rows, () => new float[3 * f], (row, _, buffer) =>
        {
            var cols = matrix.RowColumns(row);
            var vals = matrix.RowValues(row);
            var x = solve.AsSpan(row * f, f);
            if (cols.IsEmpty)
            {
                x.Clear();
                return buffer;
            }

            var r = buffer.AsSpan(0, f);
            var p = buffer.AsSpan(f, f);
            var ap = buffer.AsSpan(2 * f, f);

            // r = b − A x, with A = YᵀY + λI + Σ (c − 1) y yᵀ and b = Σ c y.
            Multiply(gram, x, r, f);
            TensorPrimitives.Negate(r, r);
            for (var n = 0; n < cols.Length; n++)
            {
                var y = fixedFactors.AsSpan(cols[n] * f, f);
                var confidence = 1 + (alpha * vals[n]);
                var coefficient = confidence - ((confidence - 1) * TensorPrimitives.Dot(y, x));
                TensorPrimitives.MultiplyAdd(y, coefficient, r, r);
            }

            r.CopyTo(p);
            var rsOld = TensorPrimitives.Dot(r, r);
            for (var step = 0; step < Options.CgSteps && rsOld > 1e-20f; step++)
            {
                Multiply(gram, p, ap, f);
                for (var n = 0; n < cols.Length; n++)
                {
                    var y = fixedFactors.AsSpan(cols[n] * f, f);
                    TensorPrimitives.MultiplyAdd(y, alpha * vals[n] * TensorPrimitives.Dot(y, p), ap, ap);
                }

                var pAp = TensorPrimitives.Dot(p, ap);
                if (!(pAp > 0))
                {
                    break;
                }

                var a = rsOld / pAp;
                TensorPrimitives.MultiplyAdd(p, a, x, x);
                TensorPrimitives.MultiplyAdd(ap, -a, r, r);
                var rsNew = TensorPrimitives.Dot(r, r);
                TensorPrimitives.MultiplyAdd(p, rsNew / rsOld, r, p);
                rsOld = rsNew;
            }

            return buffer;
        }, _ => { });
    }

    /// <summary>YᵀY + λI (f × f, row-major).</summary>
    private static float[] Gram(float[] factors, int f, int rows, float lambda)
    {
        var gram = new float[f * f];
        for (var i = 0; i < rows; i++)
        {
            var y = factors.AsSpan(i * f, f);
            for (var a = 0; a < f; a++)
            {
                var row = gram.AsSpan(a * f, f);
                TensorPrimitives.MultiplyAdd(y, y[a], row, row);
            }
        }

        for (var a = 0; a < f; a++)
        {
            gram[(a * f) + a] += lambda;
        }

        return gram;
    }

    private static void Multiply(float[] matrix, ReadOnlySpan<float> vector, Span<float> result, int f)
    {
        for (var a = 0; a < f; a++)
        {
            result[a] = TensorPrimitives.Dot(matrix.AsSpan(a * f, f), vector);
        }
    }
}
