namespace PromoPilot.Measurement.Experiments.Bayesian;

/// <summary>Seeded Monte-Carlo estimate of each arm's chance to draw the highest value.</summary>
internal static class MonteCarlo
{
    /// <summary>
    /// Draws one value per arm <paramref name="draws"/> times and counts how often each arm is the largest;
    /// a tie (possible when a posterior is a point mass) splits the win evenly, so the chances sum to 1.
    /// </summary>
    public static double[] ChanceToBeBest(int arms, int draws, Random random, Func<int, Random, double> sample)
    {
        var wins = new double[arms];
        var values = new double[arms];
        for (var draw = 0; draw < draws; draw++)
        {
            var best = double.NegativeInfinity;
            var ties = 0;
            for (var arm = 0; arm < arms; arm++)
            {
                values[arm] = sample(arm, random);
                if (values[arm] > best)
                {
                    best = values[arm];
                    ties = 1;
                }
                else if (values[arm] == best)
                {
                    ties++;
                }
            }

            for (var arm = 0; arm < arms; arm++)
            {
                if (values[arm] == best)
                {
                    wins[arm] += 1.0 / ties;
                }
            }
        }

        for (var arm = 0; arm < arms; arm++)
        {
            wins[arm] /= draws;
        }

        return wins;
    }

    /// <summary>Every arm equally likely to be best: the answer when the data say nothing.</summary>
    public static double[] Uniform(int arms) => Enumerable.Repeat(1.0 / arms, arms).ToArray();
}
