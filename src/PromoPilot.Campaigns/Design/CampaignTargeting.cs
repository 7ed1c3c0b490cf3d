using PromoPilot.Campaigns.Optimization;
using PromoPilot.Campaigns.Pricing;
using PromoPilot.Core.Campaigns;

namespace PromoPilot.Campaigns.Design;

/// <summary>An offer the targeting could not value, and why.</summary>
public sealed record SkippedOffer(string OfferId, string Reason);

/// <summary>The (user, offer) candidates of a campaign, valued by the response model, ready for <see cref="BudgetOptimizer"/>.</summary>
/// <param name="Problem">Users × the campaign's offers; pairs of skipped offers are not eligible (NaN).</param>
/// <param name="Responses">Each pair's expected response, users × offers (default for skipped offers).</param>
/// <param name="Skipped">Offers that could not be valued.</param>
public sealed record CampaignCandidates(TargetingProblem Problem, OfferResponse[] Responses, IReadOnlyList<SkippedOffer> Skipped);

/// <summary>
/// Values every (shopper, offer) pair of a campaign with a <see cref="DiscountResponseModel"/>: value = expected
/// incremental profit, cost = expected discount given (what the budget pays). An offer's discount on a basket of value v
/// is what the pricing engine gives a one-line whole-cart basket of v (plus free shipping or a gift's value), or its
/// expected cost when the campaign states one. Offers scoped to items, categories or brands need an expected cost: the
/// shopper's basket composition is not known here.
/// </summary>
public static class CampaignTargeting
{
    /// <summary>The discount an offer gives a whole-cart basket of value v; null (with the reason) when it cannot be known.</summary>
    public static (Func<double, double>? DiscountAt, string? Reason) BasketDiscount(OfferDefinition offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (offer.ExpectedCost is { } cost)
        {
            return (v => Math.Min((double)cost, v), null);
        }

        if (offer.Scope is { WholeCart: false })
        {
            return (null, "scoped to items, categories or brands: state its expected_cost to target it");
        }

        if (offer.Type is OfferType.BuyXGetY or OfferType.BundlePrice or OfferType.MemberPrice or OfferType.FlashSale or OfferType.LaunchOffer)
        {
            return (null, $"a {TypeName(offer)} depends on the items bought: state its expected_cost to target it");
        }

        var engine = new PricingEngine([OfferRules.FromOffer(offer)]);
        return (v =>
        {
            var result = engine.Price([new BasketLine("basket", "basket", decimal.Round((decimal)v, 2), 1)]);
            return (double)(result.TotalDiscount + result.Benefits.Sum(b => b.Value));
        }, null);
    }

    /// <summary>Builds the targeting problem of <paramref name="campaign"/> over <paramref name="shoppers"/> under <paramref name="budget"/>.</summary>
    /// <exception cref="ArgumentException">The budget is negative or not finite, or a shopper is invalid.</exception>
    public static CampaignCandidates Candidates(CampaignDefinition campaign, IReadOnlyList<Shopper> shoppers, DiscountResponseModel model, double budget)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(shoppers);
        ArgumentNullException.ThrowIfNull(model);
        if (!(budget >= 0) || !double.IsFinite(budget))
        {
            throw new ArgumentException($"the budget must be a finite amount >= 0, not {budget}", nameof(budget));
        }

        var offers = campaign.Offers;
        var k = offers.Count;
        var value = new float[shoppers.Count * k];
        var cost = new float[shoppers.Count * k];
        var responses = new OfferResponse[shoppers.Count * k];
        var skipped = new List<SkippedOffer>();
        for (var o = 0; o < k; o++)
        {
            var (discountAt, reason) = BasketDiscount(offers[o]);
            if (discountAt is null)
            {
                skipped.Add(new SkippedOffer(offers[o].Id, reason!));
                for (var u = 0; u < shoppers.Count; u++)
                {
                    value[(u * k) + o] = float.NaN;
                }

                continue;
            }

            double[] thresholds = [.. (offers[o].Tiers ?? []).Select(t => (double)t.Threshold), .. offers[o].MinimumBasket > 0 ? [(double)offers[o].MinimumBasket] : Array.Empty<double>()];
            for (var u = 0; u < shoppers.Count; u++)
            {
                var response = model.Evaluate(shoppers[u], discountAt, thresholds);
                responses[(u * k) + o] = response;
                value[(u * k) + o] = (float)response.IncrementalProfit;
                cost[(u * k) + o] = (float)Math.Max(0, response.ExpectedDiscount);
            }
        }

        double[]? offerBudgets = offers.Any(o => o.Budget is not null) ? [.. offers.Select(o => o.Budget is { } b ? Math.Min((double)b, budget) : budget)] : null;
        long[]? stock = offers.Any(o => o.Stock is not null) ? [.. offers.Select(o => (long)(o.Stock ?? shoppers.Count))] : null;
        return new CampaignCandidates(new TargetingProblem(shoppers.Count, k, value, cost, budget, offerBudgets, stock), responses, skipped);
    }

    private static string TypeName(OfferDefinition offer) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(offer.Type.ToString());
}
