using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra.Double;
using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Recommendation;

/// <summary>The dense inverse behind <see cref="EaseRecommender"/>.</summary>
public enum EaseSolver
{
    /// <summary>Our blocked Gauss-Jordan in float with SIMD rank-64 updates on all cores (fast; the default).</summary>
    BlockedGaussJordan,

    /// <summary>MathNet.Numerics dense Cholesky in double (managed provider; slower, kept as the cross-check).</summary>
    MathNetCholesky,
}

/// <summary>Options of <see cref="EaseRecommender"/>.</summary>
public sealed record EaseOptions
{
    /// <summary>L2 regularization λ added to the Gram matrix diagonal (default 500: best of 200/300/500/800 on a validation split carved from the MovieLens-100K train split, seed 42; Steck also used 500 on MovieLens-20M).</summary>
    public double Lambda { get; init; } = 500;

    /// <summary>Largest item count accepted: the model is a dense items × items matrix (default 20,000, 1.6 GB as floats).</summary>
    public int MaxItems { get; init; } = 20_000;

    /// <summary>How P = (XᵀX + λI)⁻¹ is computed (default <see cref="EaseSolver.BlockedGaussJordan"/>).</summary>
    public EaseSolver Solver { get; init; } = EaseSolver.BlockedGaussJordan;

    internal void Validate()
    {
        ModelArgs.Positive(Lambda, nameof(Lambda));
        if (!Enum.IsDefined(Solver))
        {
            throw new ArgumentOutOfRangeException(nameof(Solver), Solver, "unknown solver.");
        }

        ModelArgs.Positive(MaxItems, nameof(MaxItems));
    }
}

/// <summary>
/// EASE, "Embarrassingly Shallow Autoencoders for Sparse Data" (Steck 2019, WWW): the item-item weight
/// matrix B minimizing ||X − XB||² + λ||B||² with diag(B) = 0 has the closed form
/// B = I − P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹. The inverse is our blocked Gauss-Jordan in float
/// (<see cref="EaseSolver"/>; MathNet's dense Cholesky in double is the cross-check). A user's scores are x_u·B; any user with history can be scored.
/// </summary>
public sealed class EaseRecommender : Recommender
{
    public const string Name = "ease";
    private float[] weights = [];
    private int items;

    public EaseRecommender(EaseOptions? options = null)
    {
        Options = options ?? new EaseOptions();
        Options.Validate();
    }

    public EaseOptions Options { get; }

    public override string Algorithm => Name;

    protected override void FitCore(CsrMatrix userItems)
    {
        var n = userItems.Columns;
        if (n > Options.MaxItems)
        {
            throw new ArgumentException($"EASE needs a dense {n} x {n} matrix; {n} items is above MaxItems = {Options.MaxItems}.", nameof(userItems));
        }

        // Gram matrix G = XᵀX + λI, row i accumulated from the users of item i (rows in parallel).
        var gram = new float[n * n];
        var itemUsers = userItems.Transpose();
        var lambda = (float)Options.Lambda;
        Parallel.For(0, n, i =>
        {
            var row = gram.AsSpan(i * n, n);
            var users = itemUsers.RowColumns(i);
            var values = itemUsers.RowValues(i);
            for (var p = 0; p < users.Length; p++)
            {
                var w = values[p];
                var cols = userItems.RowColumns(users[p]);
                var vals = userItems.RowValues(users[p]);
                for (var q = 0; q < cols.Length; q++)
                {
                    row[cols[q]] += w * vals[q];
                }
            }

            row[i] += lambda;
        });

        if (Options.Solver == EaseSolver.MathNetCholesky)
        {
            var g = DenseMatrix.Create(n, n, (i, j) => gram[(i * n) + j]);
            var inverse = g.Cholesky().Solve(DenseMatrix.CreateIdentity(n)).ToRowMajorArray();
            for (var c = 0; c < gram.Length; c++)
            {
                gram[c] = (float)inverse[c];
            }
        }
        else
        {
            SpdInverse.InvertInPlace(gram, n);
        }

        // B[i, j] = −P[i, j] / P[j, j], B[i, i] = 0, overwriting P row by row (P[j, j] read first).
        var diagonal = new float[n];
        for (var j = 0; j < n; j++)
        {
            diagonal[j] = gram[(j * n) + j];
        }

        TensorPrimitives.Reciprocal(diagonal, diagonal);
        var b = gram;
        Parallel.For(0, n, i =>
        {
            var row = b.AsSpan(i * n, n);
            TensorPrimitives.Multiply(row, diagonal, row);
            TensorPrimitives.Negate(row, row);
            row[i] = 0;
        });
        weights = b;
        items = n;
    }

    protected internal override bool TryScore(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores)
    {
        if (historyItems.IsEmpty)
        {
            return false;
        }

        for (var h = 0; h < historyItems.Length; h++)
        {
            TensorPrimitives.MultiplyAdd(weights.AsSpan(historyItems[h] * items, items), historyValues[h], scores, scores);
        }

        // All zero: the history's items co-occur with nothing in training (cold-start items); let the fallback answer.
        return TensorPrimitives.MaxMagnitude(scores) > 0;
    }

    protected override void ItemSimilarities(int item, Span<float> scores) => weights.AsSpan(item * items, items).CopyTo(scores);

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(Options.Lambda);
        writer.Write(Options.MaxItems);
        writer.Write((int)Options.Solver);
        writer.Write(items);
        RecommenderIo.WriteFloats(writer, weights);
    }

    internal static EaseRecommender LoadCore(BinaryReader reader)
    {
        var model = new EaseRecommender(new EaseOptions { Lambda = reader.ReadDouble(), MaxItems = reader.ReadInt32(), Solver = (EaseSolver)reader.ReadInt32() });
        model.items = reader.ReadInt32();
        model.weights = RecommenderIo.ReadFloats(reader);
        return model;
    }
}
