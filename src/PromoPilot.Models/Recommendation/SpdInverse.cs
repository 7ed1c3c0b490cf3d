using System.Numerics.Tensors;

namespace PromoPilot.Models.Recommendation;

/// <summary>
/// In-place inverse of a symmetric positive definite matrix (row-major, float) by blocked Gauss-Jordan elimination
/// without pivoting (positive pivots are guaranteed for SPD input). Each block of <c>b</c> pivots turns into one
/// rank-b update of every other row, done as SIMD axpys (TensorPrimitives) on all cores; the cost is n³
/// multiply-adds with n / b passes over the matrix.
/// </summary>
internal static class SpdInverse
{
    public static void InvertInPlace(float[] a, int n, int block = 64)
    {
        if (a.Length != n * n)
        {
            throw new ArgumentException("the matrix must hold n * n values.", nameof(a));
        }

        var pivotsInverse = new float[block * block];
        var pivotRows = new float[block * n];
        for (var k0 = 0; k0 < n; k0 += block)
        {
            var b = Math.Min(block, n - k0);
            var inv = pivotsInverse.AsSpan(0, b * b);

            // 1. Invert the b × b pivot block (plain Gauss-Jordan, in double for the small core).
            InvertSmall(a, n, k0, b, inv);

            // 2. R = A11⁻¹ · A[K, :] (b × n): the new pivot rows.
            var r = pivotRows.AsSpan(0, b * n);
            r.Clear();
            for (var p = 0; p < b; p++)
            {
                var target = r.Slice(p * n, n);
                for (var q = 0; q < b; q++)
                {
                    TensorPrimitives.MultiplyAdd(a.AsSpan((k0 + q) * n, n), inv[(p * b) + q], target, target);
                }
            }

            var rows = pivotRows;
            var invArray = pivotsInverse;
            var kk = k0;
            var bb = b;

            // 3. Every other row i: A[i, :] −= A[i, K] · R, then A[i, K] = −A[i, K] · A11⁻¹.
            Parallel.For(0, n, () => new float[2 * block], (i, _, f) =>
            {
                if (i >= kk && i < kk + bb)
                {
                    return f;
                }

                var row = a.AsSpan(i * n, n);
                var factors = f.AsSpan(0, bb);
                row.Slice(kk, bb).CopyTo(factors);
                for (var q = 0; q < bb; q++)
                {
                    if (factors[q] != 0)
                    {
                        TensorPrimitives.MultiplyAdd(rows.AsSpan(q * n, n), -factors[q], row, row);
                    }
                }

                var updated = f.AsSpan(block, bb);
                for (var c = 0; c < bb; c++)
                {
                    float s = 0;
                    for (var q = 0; q < bb; q++)
                    {
                        s += factors[q] * invArray[(q * bb) + c];
                    }

                    updated[c] = -s;
                }

                updated.CopyTo(row.Slice(kk, bb));
                return f;
            }, _ => { });

            // 4. Pivot rows become R, with A11⁻¹ in the pivot block.
            for (var p = 0; p < b; p++)
            {
                var row = a.AsSpan((k0 + p) * n, n);
                r.Slice(p * n, n).CopyTo(row);
                inv.Slice(p * b, b).CopyTo(row.Slice(k0, b));
            }
        }
    }

    private static void InvertSmall(float[] a, int n, int k0, int b, Span<float> result)
    {
        var m = new double[b * b];
        for (var p = 0; p < b; p++)
        {
            for (var q = 0; q < b; q++)
            {
                m[(p * b) + q] = a[((k0 + p) * n) + k0 + q];
            }
        }

        for (var k = 0; k < b; k++)
        {
            var pivot = m[(k * b) + k];
            if (!(pivot > 0))
            {
                throw new ArgumentException("the matrix is not positive definite (a non-positive pivot appeared).", nameof(a));
            }

            var inverse = 1 / pivot;
            for (var q = 0; q < b; q++)
            {
                m[(k * b) + q] *= inverse;
            }

            m[(k * b) + k] = inverse;
            for (var i = 0; i < b; i++)
            {
                if (i == k)
                {
                    continue;
                }

                var f = m[(i * b) + k];
                if (f == 0)
                {
                    continue;
                }

                for (var q = 0; q < b; q++)
                {
                    m[(i * b) + q] -= f * m[(k * b) + q];
                }

                m[(i * b) + k] = -f * inverse;
            }
        }

        for (var p = 0; p < b * b; p++)
        {
            result[p] = (float)m[p];
        }
    }
}
