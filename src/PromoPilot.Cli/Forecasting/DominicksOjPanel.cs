using PromoPilot.Models.Forecasting;

namespace PromoPilot.Cli.Forecasting;

/// <summary>The eligible store × brand series of <see cref="DominicksOj.ReadEligible"/> (same series, same order, same
/// gap-free tails) with each week's own price, deal and feat, for the global model.</summary>
internal static class DominicksOjPanel
{
    public static IReadOnlyList<DemandSeries> ReadEligible(string input)
    {
        var byKey = DominicksOj.ReadRows(input)
            .GroupBy(r => (r.Store, r.Brand))
            .ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Week));
        var panel = new List<DemandSeries>();
        foreach (var s in DominicksOj.ReadEligible(input))
        {
            var weeks = byKey[(s.Store, s.Brand)];
            var rows = Enumerable.Range(s.FirstWeek, s.Units.Length).Select(w => weeks[w]).ToArray();
            panel.Add(new DemandSeries(
                s.Store, s.Brand, s.Units, [.. rows.Select(r => r.Price)], [.. rows.Select(r => r.Deal)], [.. rows.Select(r => r.Feat)],
                [.. rows.Select(r => r.Week)]));
        }

        return panel;
    }
}
