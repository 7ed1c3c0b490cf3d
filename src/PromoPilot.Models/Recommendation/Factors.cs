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

    /// <summary>Cosine of item <paramref name="item"/>'s factors with every item's.</summary>
    public static void CosineToAll(int item, float[] itemFactors, int factors, Span<float> scores)
    {
        var target = itemFactors.AsSpan(item * factors, factors);
        var targetNorm = TensorPrimitives.Norm(target);
        for (var j = 0; j < scores.Length; j++)
        {
            var other = itemFactors.AsSpan(j * factors, factors);
            var denominator = targetNorm * TensorPrimitives.Norm(other);
            scores[j] = denominator > 0 ? TensorPrimitives.Dot(target, other) / denominator : 0f;
        }
    }
}
