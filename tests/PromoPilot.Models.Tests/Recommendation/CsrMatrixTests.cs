using MathNet.Numerics.LinearAlgebra.Double;
using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Tests.Recommendation;

public class CsrMatrixTests
{
    [Fact]
    public void FromTriples_UnsortedWithDuplicates_SortsAndSums()
    {
        var m = CsrMatrix.FromTriples(3, 4, [2, 0, 0, 2, 0], [1, 3, 0, 1, 3], [1f, 2f, 3f, 4f, 5f]);
        Assert.Equal([0, 2, 2, 3], m.RowPointers);
        Assert.Equal([0, 3, 1], m.ColumnIndices);
        Assert.Equal([3f, 7f, 5f], m.Values);
    }

    [Fact]
    public void Transpose_Twice_GivesTheSameMatrix()
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 200).Select(_ => random.Next(30)).ToArray();
        var cols = Enumerable.Range(0, 200).Select(_ => random.Next(17)).ToArray();
        var vals = Enumerable.Range(0, 200).Select(_ => (float)random.NextDouble()).ToArray();
        var m = CsrMatrix.FromTriples(30, 17, rows, cols, vals);
        var t = m.Transpose();
        Assert.Equal((17, 30), (t.Rows, t.Columns));
        var back = t.Transpose();
        Assert.Equal(m.RowPointers, back.RowPointers);
        Assert.Equal(m.ColumnIndices, back.ColumnIndices);
        Assert.Equal(m.Values, back.Values);
    }

    [Fact]
    public void Constructor_UnsortedColumns_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CsrMatrix(1, 3, [0, 2], [2, 1], [1f, 1f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CsrMatrix.FromTriples(2, 2, [0], [2], [1f]));
    }

    [Fact]
    public void InteractionMatrix_DefaultWeights_ViewOneCartThreePurchaseFive()
    {
        var built = InteractionMatrix.Build(
        [
            new Interaction("u1", "a", Core.Domain.EventType.View),
            new Interaction("u1", "a", Core.Domain.EventType.AddToCart),
            new Interaction("u2", "b", Core.Domain.EventType.Purchase),
            new Interaction("u2", "a", Core.Domain.EventType.Refund),
            new Interaction("u3", "c", Core.Domain.EventType.Rating, 4),
        ]);
        Assert.Equal(["u1", "u2", "u3"], built.UserIds);
        Assert.Equal(["a", "b", "c"], built.ItemIds);
        Assert.Equal([4f, 5f, 1f], built.Matrix.Values);
        var ratings = InteractionMatrix.Build([new Interaction("u", "i", Core.Domain.EventType.Rating, 4)], new EventWeights { RatingsAsValue = true });
        Assert.Equal([4f], ratings.Matrix.Values);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(150)]
    public void SpdInverse_RandomSpd_MatchesMathNet(int n)
    {
        var random = new Random(n);
        var x = DenseMatrix.Create(n + 20, n, (_, _) => random.NextDouble() < 0.3 ? 1.0 : 0.0);
        var g = (x.TransposeThisAndMultiply(x) + (DenseMatrix.CreateIdentity(n) * 3)).ToRowMajorArray();
        var a = g.Select(v => (float)v).ToArray();
        SpdInverse.InvertInPlace(a, n);
        var reference = DenseMatrix.Create(n, n, (i, j) => g[(i * n) + j]).Inverse().ToRowMajorArray();
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal(reference[i], a[i], 1e-4 * (1 + Math.Abs(reference[i])));
        }
    }
}
