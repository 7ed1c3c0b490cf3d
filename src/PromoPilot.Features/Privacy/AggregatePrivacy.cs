namespace PromoPilot.Features.Privacy;

/// <summary>How aggregates are protected before they leave the store.</summary>
/// <param name="MinGroupSize">Groups of fewer customers than this are suppressed (default 10).</param>
/// <param name="Epsilon">When set, Laplace noise of scale sensitivity / epsilon is added to every released count (differential privacy per count).</param>
/// <param name="Seed">Seed of the noise, so a release is reproducible.</param>
public sealed record AggregatePrivacyOptions(int MinGroupSize = 10, double? Epsilon = null, int Seed = 0);

/// <summary>
/// Minimum-group-size suppression and the Laplace mechanism (Dwork, McSherry, Nissim &amp; Smith 2006) for
/// counts: a count c of customers (sensitivity 1) is released as c + Laplace(0, 1/epsilon), rounded and
/// floored at 0. Suppression is decided on the true count, before noise.
/// </summary>
public sealed class AggregatePrivacy
{
    private readonly AggregatePrivacyOptions _options;
    private readonly Random _random;

    public AggregatePrivacy(AggregatePrivacyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MinGroupSize < 1)
        {
            throw new ArgumentException($"MinGroupSize must be at least 1; it is {options.MinGroupSize}.", nameof(options));
        }

        if (options.Epsilon is { } e && (!double.IsFinite(e) || e <= 0))
        {
            throw new ArgumentException($"Epsilon must be a positive number; it is {e}.", nameof(options));
        }

        _options = options;
        _random = new Random(options.Seed);
    }

    public AggregatePrivacyOptions Options => _options;

    /// <summary>The count to publish for a group of <paramref name="customers"/>, or null when suppressed.</summary>
    public long? Release(long customers)
    {
        if (customers < _options.MinGroupSize)
        {
            return null;
        }

        return _options.Epsilon is { } epsilon ? Math.Max(0, (long)Math.Round(customers + Laplace(1.0 / epsilon))) : customers;
    }

    /// <summary>A draw from Laplace(0, scale) by inverse transform.</summary>
    public double Laplace(double scale)
    {
        var u = _random.NextDouble() - 0.5;
        return -scale * Math.Sign(u) * Math.Log(1 - (2 * Math.Abs(u)));
    }
}
