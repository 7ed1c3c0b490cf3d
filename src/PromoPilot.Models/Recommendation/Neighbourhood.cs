namespace PromoPilot.Models.Recommendation;

/// <summary>How interaction weights are re-weighted before item-item similarities are computed.</summary>
public enum KnnWeighting
{
    /// <summary>Raw weights (plain cosine).</summary>
    None,

    /// <summary>TF-IDF: sqrt(weight) times log(items / items of the user).</summary>
    TfIdf,

    /// <summary>Okapi BM25 (Robertson and Zaragoza 2009) with K1 and B: items are the documents, users the terms.</summary>
    Bm25,
}

/// <summary>Cosine neighbourhoods of the rows of a sparse matrix, computed on all cores.</summary>
internal static class Neighbourhood
{
    /// <summary>
    /// For every row r of <paramref name="rows"/>, its <paramref name="k"/> most similar other rows by
    /// cos(r, s) = r·s / (|r| |s| + shrinkage), as a CSR matrix (row r: neighbour indices ascending, similarities).
    /// <paramref name="transposed"/> is rows' transpose.
    /// </summary>
    public static CsrMatrix TopCosine(CsrMatrix rows, CsrMatrix transposed, int k, double shrinkage)
    {
        var n = rows.Rows;
        var norms = Norms(rows);
        var neighbourCols = new int[n][];
        var neighbourVals = new float[n][];
        Parallel.For(0, n, () => (acc: new float[n], touched: new List<int>(), mark: new int[n]), (r, _, state) =>
        {
            var (acc, touched, mark) = state;
            Dot(rows, transposed, r, acc, touched, mark);
            var candidates = new float[touched.Count];
            for (var t = 0; t < touched.Count; t++)
            {
                var s = touched[t];
                var denominator = (norms[r] * norms[s]) + shrinkage;
                candidates[t] = s == r || denominator <= 0 ? float.NegativeInfinity : (float)(acc[s] / denominator);
                acc[s] = 0;
            }

            var best = TopK.Select(candidates, k, static _ => true);
            var cols = new int[best.Length];
            var vals = new float[best.Length];
            for (var b = 0; b < best.Length; b++)
            {
                cols[b] = touched[best[b].Item];
                vals[b] = best[b].Score;
            }

            Array.Sort(cols, vals);
            neighbourCols[r] = cols;
            neighbourVals[r] = vals;
            touched.Clear();
            return state;
        }, _ => { });

        var pointers = new int[n + 1];
        for (var r = 0; r < n; r++)
        {
            pointers[r + 1] = pointers[r] + neighbourCols[r].Length;
        }

        var allCols = new int[pointers[n]];
        var allVals = new float[pointers[n]];
        for (var r = 0; r < n; r++)
        {
            neighbourCols[r].CopyTo(allCols, pointers[r]);
            neighbourVals[r].CopyTo(allVals, pointers[r]);
        }

        return new CsrMatrix(n, n, pointers, allCols, allVals);
    }

    /// <summary>Cosine of row <paramref name="r"/> with every row, written into <paramref name="scores"/>.</summary>
    public static void CosineOfRow(CsrMatrix rows, CsrMatrix transposed, int r, double shrinkage, Span<float> scores)
    {
        var norms = Norms(rows);
        var acc = new float[rows.Rows];
        var touched = new List<int>();
        Dot(rows, transposed, r, acc, touched, new int[rows.Rows]);
        foreach (var s in touched)
        {
            var denominator = (norms[r] * norms[s]) + shrinkage;
            scores[s] = denominator > 0 ? (float)(acc[s] / denominator) : 0f;
        }
    }

    /// <summary>The matrix re-weighted as <paramref name="weighting"/> says (rows: users, columns: items).</summary>
    public static CsrMatrix Weight(CsrMatrix userItems, KnnWeighting weighting, double k1, double b)
    {
        if (weighting == KnnWeighting.None)
        {
            return userItems;
        }

        var items = userItems.Columns;
        var itemLength = new double[items];
        foreach (var c in userItems.ColumnIndices)
        {
            itemLength[c]++;
        }

        var averageLength = itemLength.Average();
        var values = new float[userItems.NonZeros];
        for (var u = 0; u < userItems.Rows; u++)
        {
            var idf = Math.Log((double)items / Math.Max(1, userItems.RowLength(u)));
            for (var p = userItems.RowPointers[u]; p < userItems.RowPointers[u + 1]; p++)
            {
                var x = (double)userItems.Values[p];
                var i = userItems.ColumnIndices[p];
                values[p] = (float)(weighting == KnnWeighting.TfIdf
                    ? Math.Sqrt(x) * idf
                    : x * (k1 + 1) / ((k1 * (1 - b + (b * itemLength[i] / averageLength))) + x) * idf);
            }
        }

        return new CsrMatrix(userItems.Rows, userItems.Columns, userItems.RowPointers, userItems.ColumnIndices, values);
    }

    private static double[] Norms(CsrMatrix rows)
    {
        var norms = new double[rows.Rows];
        for (var r = 0; r < rows.Rows; r++)
        {
            double sum = 0;
            foreach (var v in rows.RowValues(r))
            {
                sum += (double)v * v;
            }

            norms[r] = Math.Sqrt(sum);
        }

        return norms;
    }

    private static void Dot(CsrMatrix rows, CsrMatrix transposed, int r, float[] acc, List<int> touched, int[] mark)
    {
        var cols = rows.RowColumns(r);
        var vals = rows.RowValues(r);
        for (var p = 0; p < cols.Length; p++)
        {
            var other = transposed.RowColumns(cols[p]);
            var otherVals = transposed.RowValues(cols[p]);
            var w = vals[p];
            for (var q = 0; q < other.Length; q++)
            {
                var s = other[q];
                if (mark[s] != r + 1)
                {
                    mark[s] = r + 1;
                    touched.Add(s);
                }

                acc[s] += w * otherVals[q];
            }
        }
    }
}
