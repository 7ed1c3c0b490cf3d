using PromoPilot.Models.Recommendation;

namespace PromoPilot.Models.Tests.Recommendation;

public class SegmentPopularTests
{
    // Users 0-5 (segment 0) all bought item 0; users 6-9 (segment 1) all bought item 1; item 2 was bought by
    // everyone of segment 1 and by user 0. Globally item 0 leads (6 users), in segment 1 item 1 and 2 lead.
    private static (CsrMatrix Matrix, int[] Segments) Data()
    {
        var rows = new List<int>();
        var columns = new List<int>();
        for (var u = 0; u < 6; u++)
        {
            rows.Add(u);
            columns.Add(0);
        }

        for (var u = 6; u < 10; u++)
        {
            rows.AddRange([u, u]);
            columns.AddRange([1, 2]);
        }

        rows.Add(0);
        columns.Add(2);
        var values = Enumerable.Repeat(1f, rows.Count).ToArray();
        return (CsrMatrix.FromTriples(11, 4, rows.ToArray(), columns.ToArray(), values), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    }

    [Fact]
    public void Recommend_PerSegment_GivesEachSegmentItsOwnLeaders()
    {
        var (matrix, segments) = Data();
        var segmented = new PopularRecommender(new PopularOptions { UserSegments = segments });
        segmented.Fit(matrix);
        var global = new PopularRecommender();
        global.Fit(matrix);

        // User 1 (segment 0) has seen item 0: its segment's next best is item 2 (user 0 bought it), then 1 or 3 (none).
        Assert.Equal(2, segmented.Recommend(1, matrix, 1).Items[0].Item);

        // A user of segment 1 who has bought only item 3 would get 1 and 2 from the segment, never item 0 first.
        var probe = CsrMatrix.FromTriples(11, 4, [6], [3], [1f]);
        var own = segmented.Recommend(6, probe, 2).Items.Select(i => i.Item).ToList();
        Assert.Equal([1, 2], own.Order());
        Assert.Equal(0, global.Recommend(6, probe, 1).Items[0].Item);

        // User 10 has no segment: the global list.
        var outside = CsrMatrix.FromTriples(11, 4, [10], [3], [1f]);
        Assert.Equal(0, segmented.Recommend(10, outside, 1).Items[0].Item);
    }

    [Fact]
    public void SaveLoad_PerSegment_RecommendsIdentically()
    {
        var (matrix, segments) = Data();
        var model = new PopularRecommender(new PopularOptions { UserSegments = segments });
        model.Fit(matrix);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = Recommender.Load(stream);
        for (var u = 0; u < 11; u++)
        {
            Assert.Equal(model.Recommend(u, matrix, 4).Items, loaded.Recommend(u, matrix, 4).Items);
        }
    }
}
