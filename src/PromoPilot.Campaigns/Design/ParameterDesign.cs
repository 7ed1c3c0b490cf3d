using PromoPilot.Core.Campaigns;

namespace PromoPilot.Campaigns.Design;

/// <summary>
/// A discrete space of offer designs: one index per dimension (e.g. first threshold, second threshold, saving levels),
/// and how indices become an offer (null when the combination is not a valid design, e.g. tiers not increasing).
/// </summary>
/// <param name="Name">What is designed, for reports.</param>
/// <param name="Sizes">Number of values of each dimension (each at least 1).</param>
/// <param name="Build">The offer of an index vector, or null when it is infeasible.</param>
public sealed record DesignSpace(string Name, IReadOnlyList<int> Sizes, Func<IReadOnlyList<int>, OfferDefinition?> Build)
{
    /// <summary>Index vectors in the space (feasible or not).</summary>
    public long Size => Sizes.Aggregate(1L, (a, b) => a * b);
}

/// <summary>Settings of <see cref="ParameterDesign"/>.</summary>
public sealed record DesignOptions
{
    /// <summary>Spaces of at most this many index vectors are enumerated exactly; larger ones are searched by annealing. Default 20,000.</summary>
    public long MaxExactDesigns { get; init; } = 20_000;

    /// <summary>Annealing steps (each proposes one neighbouring design). Default 600.</summary>
    public int Iterations { get; init; } = 600;

    /// <summary>Independent annealing restarts from random designs; the best is kept. Default 4.</summary>
    public int Restarts { get; init; } = 4;

    /// <summary>Starting temperature as a share of the first feasible design's |profit| (plus 1). Default 0.1.</summary>
    public double InitialTemperature { get; init; } = 0.1;

    /// <summary>Temperature multiplier per step (geometric cooling). Default 0.99.</summary>
    public double Cooling { get; init; } = 0.99;

    /// <summary>Seed of the annealing. Default 0.</summary>
    public int Seed { get; init; }

    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (named).</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxExactDesigns, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(Iterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Restarts, 1);
        if (!(InitialTemperature > 0) || !double.IsFinite(InitialTemperature))
        {
            throw new ArgumentOutOfRangeException(nameof(InitialTemperature), InitialTemperature, "InitialTemperature must be positive");
        }

        if (!(Cooling is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Cooling), Cooling, "Cooling must lie in (0, 1)");
        }
    }
}

/// <summary>What a design is expected to do when it goes, within the budget, to the shoppers it pays most on.</summary>
/// <param name="Offer">The design.</param>
/// <param name="Profit">Expected incremental profit of the targeted shoppers.</param>
/// <param name="Spend">Expected discounts given (within the budget).</param>
/// <param name="Users">Shoppers targeted.</param>
/// <param name="IncrementalConversions">Expected conversions added.</param>
public sealed record DesignCandidate(OfferDefinition Offer, double Profit, double Spend, int Users, double IncrementalConversions);

/// <summary>The best design found and how it was found.</summary>
/// <param name="Best">The best design; null when no design in the space is feasible.</param>
/// <param name="Method">"exact" (every design evaluated) or "annealing".</param>
/// <param name="Evaluated">Distinct designs evaluated.</param>
/// <param name="SpaceSize">Index vectors in the space.</param>
public sealed record DesignResult(DesignCandidate? Best, string Method, int Evaluated, long SpaceSize);

/// <summary>
/// Parameter design for a campaign template: searches discount depth and spend-X-save-Y thresholds for the design with
/// the largest expected incremental profit under the budget, using <see cref="DiscountResponseModel"/> in simulation.
/// </summary>
/// <remarks>
/// <para>A design is valued by sending it, within the budget, to the shoppers it pays most on: shoppers with a positive
/// expected profit in order of profit per expected discount, each taken while the spend still fits (the greedy
/// solution of the single-offer knapsack). Small spaces are enumerated exactly. Larger ones are searched by simulated
/// annealing (Kirkpatrick, Gelatt &amp; Vecchi (1983), "Optimization by simulated annealing", Science 220(4598)): from a
/// random feasible design, a step moves one index by ±1 or ±2; a better design is always accepted, a worse one with
/// probability exp(Δ/T), T falling geometrically; several seeded restarts, the best design seen is kept. Designs are
/// cached, so <see cref="DesignResult.Evaluated"/> counts distinct evaluations.</para>
/// </remarks>
public static class ParameterDesign
{
    /// <summary>
    /// Threshold candidates from the basket-value distribution: the quantiles at <paramref name="quantiles"/> of the
    /// shoppers' basket values, rounded to whole currency units, distinct and increasing.
    /// </summary>
    public static IReadOnlyList<decimal> ThresholdCandidates(IReadOnlyList<Shopper> shoppers, IReadOnlyList<double>? quantiles = null)
    {
        ArgumentNullException.ThrowIfNull(shoppers);
        if (shoppers.Count == 0)
        {
            throw new ArgumentException("no shoppers: threshold candidates come from their basket values", nameof(shoppers));
        }

        quantiles ??= [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
        var values = shoppers.Select(s => s.BasketValue).Order().ToArray();
        return [.. quantiles.Select(q => values[Math.Clamp((int)Math.Ceiling(q * values.Length) - 1, 0, values.Length - 1)])
            .Select(v => Math.Round((decimal)v, 0, MidpointRounding.AwayFromZero)).Where(v => v > 0).Distinct().Order()];
    }

    /// <summary>
    /// Spend-X-save-Y with <paramref name="tiers"/> tiers: each tier picks a threshold from <paramref name="thresholds"/>
    /// and a saving as a share of it from <paramref name="saveShares"/>; thresholds and savings must both increase.
    /// </summary>
    public static DesignSpace SpendThreshold(IReadOnlyList<decimal> thresholds, IReadOnlyList<decimal> saveShares, int tiers = 2)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(saveShares);
        ArgumentOutOfRangeException.ThrowIfLessThan(tiers, 1);
        if (thresholds.Count == 0 || saveShares.Count == 0 || saveShares.Any(s => s is <= 0 or > 1))
        {
            throw new ArgumentException("thresholds and saving shares in (0, 1] are needed", nameof(saveShares));
        }

        int[] sizes = [.. Enumerable.Range(0, tiers).SelectMany(_ => new[] { thresholds.Count, saveShares.Count })];
        return new DesignSpace($"spend_threshold, {tiers} tier(s)", sizes, index =>
        {
            var list = new List<OfferTier>();
            for (var t = 0; t < tiers; t++)
            {
                var threshold = thresholds[index[2 * t]];
                var save = decimal.Round(threshold * saveShares[index[(2 * t) + 1]], 2);
                if (list.Count > 0 && (threshold <= list[^1].Threshold || save <= list[^1].Save))
                {
                    return null;
                }

                list.Add(new OfferTier(threshold, save));
            }

            return new OfferDefinition("design", OfferType.SpendThreshold, Tiers: list);
        });
    }

    /// <summary>Percent off: a depth from <paramref name="percents"/> and a cap from <paramref name="caps"/> (null = none).</summary>
    public static DesignSpace PercentOff(IReadOnlyList<decimal> percents, IReadOnlyList<decimal?> caps)
    {
        ArgumentNullException.ThrowIfNull(percents);
        ArgumentNullException.ThrowIfNull(caps);
        if (percents.Count == 0 || caps.Count == 0 || percents.Any(p => p is <= 0 or > 1))
        {
            throw new ArgumentException("percents in (0, 1] and at least one cap are needed", nameof(percents));
        }

        return new DesignSpace("percent_off", [percents.Count, caps.Count], index =>
            new OfferDefinition("design", OfferType.PercentOff, Percent: percents[index[0]], Cap: caps[index[1]]));
    }

    /// <summary>Values one design: sent within the budget to the shoppers it pays most on.</summary>
    public static DesignCandidate Evaluate(OfferDefinition offer, IReadOnlyList<Shopper> shoppers, DiscountResponseModel model, double budget)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(shoppers);
        ArgumentNullException.ThrowIfNull(model);
        var discountAt = DiscountFunction(offer);
        double[] thresholds = [.. (offer.Tiers ?? []).Select(t => (double)t.Threshold), .. offer.MinimumBasket > 0 ? [(double)offer.MinimumBasket] : Array.Empty<double>()];
        var responses = shoppers.Select(s => model.Evaluate(s, discountAt, thresholds)).Where(r => r.IncrementalProfit > 0)
            .OrderByDescending(r => r.ExpectedDiscount <= 0 ? double.PositiveInfinity : r.IncrementalProfit / r.ExpectedDiscount).ToList();
        double profit = 0, spend = 0, conversions = 0;
        var users = 0;
        foreach (var r in responses)
        {
            if (spend + r.ExpectedDiscount <= budget)
            {
                spend += r.ExpectedDiscount;
                profit += r.IncrementalProfit;
                conversions += r.IncrementalConversions;
                users++;
            }
        }

        return new DesignCandidate(offer, profit, spend, users, conversions);
    }

    /// <summary>Exact search where the space is small enough (<see cref="DesignOptions.MaxExactDesigns"/>), annealing where not.</summary>
    public static DesignResult Search(DesignSpace space, IReadOnlyList<Shopper> shoppers, DiscountResponseModel model, double budget, DesignOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        options ??= new DesignOptions();
        options.Validate();
        return space.Size <= options.MaxExactDesigns ? Exhaustive(space, shoppers, model, budget) : Anneal(space, shoppers, model, budget, options);
    }

    /// <summary>Evaluates every feasible design; ties keep the first in index order.</summary>
    public static DesignResult Exhaustive(DesignSpace space, IReadOnlyList<Shopper> shoppers, DiscountResponseModel model, double budget)
    {
        Check(space, budget);
        DesignCandidate? best = null;
        var evaluated = 0;
        var index = new int[space.Sizes.Count];
        for (var n = 0L; n < space.Size; n++)
        {
            var rest = n;
            for (var d = index.Length - 1; d >= 0; d--)
            {
                index[d] = (int)(rest % space.Sizes[d]);
                rest /= space.Sizes[d];
            }

            if (space.Build(index) is { } offer)
            {
                var candidate = Evaluate(offer, shoppers, model, budget);
                evaluated++;
                if (best is null || candidate.Profit > best.Profit)
                {
                    best = candidate;
                }
            }
        }

        return new DesignResult(best, "exact", evaluated, space.Size);
    }

    /// <summary>Simulated annealing over the space's indices (see the class remarks).</summary>
    public static DesignResult Anneal(DesignSpace space, IReadOnlyList<Shopper> shoppers, DiscountResponseModel model, double budget, DesignOptions? options = null)
    {
        Check(space, budget);
        options ??= new DesignOptions();
        options.Validate();
        var random = new Random(options.Seed);
        var cache = new Dictionary<string, DesignCandidate?>(StringComparer.Ordinal);
        DesignCandidate? Value(int[] index)
        {
            var key = string.Join(',', index);
            if (!cache.TryGetValue(key, out var value))
            {
                value = space.Build(index) is { } offer ? Evaluate(offer, shoppers, model, budget) : null;
                cache[key] = value;
            }

            return value;
        }

        DesignCandidate? best = null;
        for (var restart = 0; restart < options.Restarts; restart++)
        {
            // A random feasible start (a bounded number of draws; a space with no feasible design gives no result).
            int[] current = [];
            DesignCandidate? currentValue = null;
            for (var attempt = 0; attempt < 1000 && currentValue is null; attempt++)
            {
                current = [.. space.Sizes.Select(size => random.Next(size))];
                currentValue = Value(current);
            }

            if (currentValue is null)
            {
                continue;
            }

            var temperature = options.InitialTemperature * (Math.Abs(currentValue.Profit) + 1);
            for (var step = 0; step < options.Iterations; step++, temperature *= options.Cooling)
            {
                var next = (int[])current.Clone();
                var d = random.Next(next.Length);
                var move = random.Next(2) == 0 ? 1 : 2;
                next[d] = Math.Clamp(next[d] + (random.Next(2) == 0 ? -move : move), 0, space.Sizes[d] - 1);
                if (next[d] == current[d] || Value(next) is not { } nextValue)
                {
                    continue;
                }

                var delta = nextValue.Profit - currentValue.Profit;
                if (delta >= 0 || random.NextDouble() < Math.Exp(delta / temperature))
                {
                    (current, currentValue) = (next, nextValue);
                }

                if (best is null || currentValue.Profit > best.Profit)
                {
                    best = currentValue;
                }
            }

            if (best is null || currentValue.Profit > best.Profit)
            {
                best = currentValue;
            }
        }

        return new DesignResult(best, "annealing", cache.Count(c => c.Value is not null), space.Size);
    }

    /// <summary>
    /// The discount an offer gives a whole-cart basket of value v: closed forms for percent off (with cap), amount off and
    /// spend thresholds (the same as the pricing engine's, to the cent), the engine itself for other types.
    /// </summary>
    /// <exception cref="ArgumentException">The offer's discount depends on items the basket value does not say (see <see cref="CampaignTargeting.BasketDiscount"/>).</exception>
    public static Func<double, double> DiscountFunction(OfferDefinition offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var minimum = (double)offer.MinimumBasket;
        if (offer.ExpectedCost is null && offer.Scope is null or { WholeCart: true })
        {
            switch (offer.Type)
            {
                case OfferType.PercentOff when offer.Percent is { } p:
                    var cap = offer.Cap is { } c ? (double)c : double.PositiveInfinity;
                    // In decimal, as the engine counts cents: half a cent rounds up.
                    return v => v < minimum ? 0 : Math.Min(Math.Min((double)Math.Round(p * (decimal)v, 2, MidpointRounding.AwayFromZero), cap), v);
                case OfferType.AmountOff when offer.Amount is { } a:
                    return v => v < minimum ? 0 : Math.Min((double)a, v);
                case OfferType.SpendThreshold when offer.Tiers is { Count: > 0 } tiers:
                    (double Threshold, double Save)[] t = [.. tiers.Select(x => ((double)x.Threshold, (double)x.Save))];
                    return v =>
                    {
                        var save = 0.0;
                        foreach (var (threshold, s) in t)
                        {
                            if (v >= threshold)
                            {
                                save = s;
                            }
                        }

                        return v < minimum ? 0 : Math.Min(save, v);
                    };
            }
        }

        var (discountAt, reason) = CampaignTargeting.BasketDiscount(offer);
        return discountAt ?? throw new ArgumentException($"offer '{offer.Id}': {reason}", nameof(offer));
    }

    private static void Check(DesignSpace space, double budget)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (space.Sizes.Count == 0 || space.Sizes.Any(s => s < 1))
        {
            throw new ArgumentException("every dimension of the design space needs at least one value", nameof(space));
        }

        if (!(budget >= 0) || !double.IsFinite(budget))
        {
            throw new ArgumentException($"the budget must be a finite amount >= 0, not {budget}", nameof(budget));
        }
    }
}
