namespace PromoPilot.Decisioning;

/// <summary>A line of the shopper's cart as the storefront sends it.</summary>
public sealed record CartLine(string ItemId, int Quantity, decimal UnitPrice, string? Category = null, string? Brand = null);

/// <summary>
/// "What should this shopper see now?": the shopper, the placement to fill, and the context the storefront knows.
/// </summary>
/// <param name="UserId">The shopper's id as the storefront knows it (pseudonymized by the host when configured).</param>
/// <param name="Placement">The slot to fill (home_banner, cart, checkout...).</param>
/// <param name="Channel">web, app, email...; null = any.</param>
/// <param name="Cart">The cart now; null = empty.</param>
/// <param name="Page">The page or screen, for rules and logs.</param>
/// <param name="Limit">How many offers to return, 1-10 (at most one per campaign).</param>
/// <param name="IsMember">Whether the shopper is a member (member prices).</param>
/// <param name="Explain">Return the full trace (every offer considered) rather than the compact one.</param>
public sealed record DecisionRequest(
    string UserId,
    string Placement,
    string? Channel = null,
    IReadOnlyList<CartLine>? Cart = null,
    string? Page = null,
    int Limit = 1,
    bool IsMember = false,
    bool Explain = false)
{
    /// <summary>Most offers one decision may return.</summary>
    public const int MaxLimit = 10;

    /// <summary>Most cart lines a request may carry.</summary>
    public const int MaxCartLines = 500;

    /// <summary>The cart's value before discounts.</summary>
    public decimal CartValue => Cart?.Sum(l => l.UnitPrice * l.Quantity) ?? 0m;

    /// <summary>Every problem with the request (empty when valid), each naming the field.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(UserId) || UserId.Length > 256)
        {
            problems.Add("user_id: required, at most 256 characters");
        }

        if (string.IsNullOrWhiteSpace(Placement) || Placement.Length > 128)
        {
            problems.Add("placement: required, at most 128 characters");
        }

        if (Channel is { Length: > 64 })
        {
            problems.Add("channel: at most 64 characters");
        }

        if (Limit is < 1 or > MaxLimit)
        {
            problems.Add($"limit: must lie in [1, {MaxLimit}], not {Limit}");
        }

        if (Cart is { Count: > MaxCartLines })
        {
            problems.Add($"cart: at most {MaxCartLines} lines, not {Cart.Count}");
        }

        for (var i = 0; Cart is not null && i < Math.Min(Cart.Count, MaxCartLines); i++)
        {
            var line = Cart[i];
            if (line is null)
            {
                problems.Add($"cart[{i}]: missing");
            }
            else if (string.IsNullOrWhiteSpace(line.ItemId) || line.Quantity is < 1 or > 100_000 || line.UnitPrice is < 0 or > 10_000_000)
            {
                problems.Add($"cart[{i}]: item_id required, quantity in [1, 100000], unit_price in [0, 10000000]");
            }
        }

        return problems;
    }
}
