using System.Numerics.Tensors;

namespace PromoPilot.Models.Recommendation;

/// <summary>Dense row-major factor matrices shared by the matrix-factorization models.</summary>
internal static class Factors
{
    /// <summary>Small random values in [−scale, scale) from a seeded generator.</summary>
    public static float[] Random(int rows, int factors, float scale, Random random)
    {
        var values = new float[rows * factors];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
        }

        return values;
    }

    /// <summary>scores[j] = item_j · user (+ bias[j]) for every item.</summary>
    public static void ScoreAll(ReadOnlySpan<float> user, float[] itemFactors, float[]? bias, int factors, Span<float> scores)
    {
        var items = scores.Length;
        for (var j = 0; j < items; j++)
        {
            scores[j] = TensorPrimitives.Dot(user, itemFactors.AsSpan(j * factors, factors)) + (bias is null ? 0f : bias[j]);
        }
    }

    /// <summary>
    /// Similarity of item <paramref name="item"/> to every item as the cosine of their predicted-preference vectors
    /// over all users, (X y_i)·(X y_j) / (|X y_i| |X y_j|) = y_iᵀ G y_j / sqrt(y_iᵀ G y_i · y_jᵀ G y_j) with G = XᵀX
    /// the users' factor Gram matrix: items the same users are predicted to like are similar, whatever the
    /// factors' basis (a plain cosine of item factors is not invariant to it).
    /// </summary>
    public static void PreferenceCosineToAll(int item, float[] itemFactors, float[] userFactors, int factors, Span<float> scores)
    {
        var f = factors;
        var gram = new float[f * f];
        for (var u = 0; u < userFactors.Length / f; u++)
        {
            var x = userFactors.AsSpan(u * f, f);
            for (var a = 0; a < f; a++)
            {
                var row = gram.AsSpan(a * f, f);
                TensorPrimitives.MultiplyAdd(x, x[a], row, row);
            }
        }

        var gy = new float[f];
        var target = itemFactors.AsSpan(item * f, f);
        Multiply(gram, target, gy, f);
        var targetNorm = MathF.Sqrt(Math.Max(0f, TensorPrimitives.Dot(target, gy)));
        var gz = new float[f];
        for (var j = 0; j < scores.Length; j++)
        {
            var other = itemFactors.AsSpan(j * f, f);
            Multiply(gram, other, gz, f);
            var denominator = targetNorm * MathF.Sqrt(Math.Max(0f, TensorPrimitives.Dot(other, gz)));
            scores[j] = denominator > 0 ? TensorPrimitives.Dot(other, gy) / denominator : 0f;
        }
    }

    private static void Multiply(float[] matrix, ReadOnlySpan<float> vector, Span<float> result, int f)
    {
        for (var a = 0; a < f; a++)
        {
            result[a] = TensorPrimitives.Dot(matrix.AsSpan(a * f, f), vector);
        }
    }
}
