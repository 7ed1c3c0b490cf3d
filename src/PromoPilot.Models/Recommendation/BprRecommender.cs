using System.Numerics.Tensors;
using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Recommendation;

/// <summary>Options of <see cref="BprRecommender"/>.</summary>
public sealed record BprOptions
{
    /// <summary>Latent factors (default 64).</summary>
    public int Factors { get; init; } = 64;

    /// <summary>SGD step size (default 0.01).</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>L2 regularization on the factors and item biases touched by a step (default 0.001).</summary>
    public double Regularization { get; init; } = 0.001;

    /// <summary>Epochs; one epoch draws as many (user, positive, negative) triples as there are interactions (default 100).</summary>
    public int Iterations { get; init; } = 100;

    /// <summary>Seed of the initial factors and of every sampling stream (default 42).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Threads running lock-free SGD in parallel, each with its own Random(seed, epoch, thread) (default 1: fully
    /// deterministic; more threads are faster but the order of concurrent updates, hence the result, varies).
    /// </summary>
    public int Threads { get; init; } = 1;

    internal void Validate()
    {
        ModelArgs.Positive(Factors, nameof(Factors));
        ModelArgs.Positive(LearningRate, nameof(LearningRate));
        ModelArgs.NonNegative(Regularization, nameof(Regularization));
        ModelArgs.Positive(Iterations, nameof(Iterations));
        ModelArgs.Positive(Threads, nameof(Threads));
    }
}

/// <summary>
/// Bayesian personalized ranking with matrix factorization (Rendle, Freudenthaler, Gantner and Schmidt-Thieme 2009,
/// "BPR: Bayesian personalized ranking from implicit feedback"): stochastic gradient ascent on
/// Σ ln σ(x_u·(y_i − y_j) + b_i − b_j) − λ|θ|² over sampled triples of a user, an item they interacted with and an
/// item they did not (uniform interaction, then uniform item, LearnBPR with bootstrap sampling). Only users present
/// at fit time with history can be scored.
/// </summary>
public sealed class BprRecommender : Recommender
{
    public const string Name = "bpr";
    private float[] userFactors = [];
    private float[] itemFactors = [];
    private float[] itemBias = [];
    private bool[] trainedUsers = [];

    public BprRecommender(BprOptions? options = null)
    {
        Options = options ?? new BprOptions();
        Options.Validate();
    }

    public BprOptions Options { get; }

    public override string Algorithm => Name;

    protected override void FitCore(CsrMatrix userItems)
    {
        var f = Options.Factors;
        var init = new Random(Options.Seed);
        var scale = (float)(1.0 / Math.Sqrt(f));
        userFactors = Factors.Random(userItems.Rows, f, scale * 0.1f, init);
        itemFactors = Factors.Random(userItems.Columns, f, scale * 0.1f, init);
        itemBias = new float[userItems.Columns];
        var rowOf = new int[userItems.NonZeros];
        for (var u = 0; u < userItems.Rows; u++)
        {
            for (var p = userItems.RowPointers[u]; p < userItems.RowPointers[u + 1]; p++)
            {
                rowOf[p] = u;
            }
        }

        var threads = Options.Threads;
        var perThread = (userItems.NonZeros + threads - 1) / threads;
        for (var epoch = 0; epoch < Options.Iterations; epoch++)
        {
            var e = epoch;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                var random = new Random(HashCode.Combine(Options.Seed, e, t));
                Epoch(userItems, rowOf, random, perThread);
            });
        }

        trainedUsers = new bool[userItems.Rows];
        for (var u = 0; u < userItems.Rows; u++)
        {
            trainedUsers[u] = userItems.RowLength(u) > 0;
        }
    }

    protected internal override bool TryScore(int user, ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyValues, Span<float> scores)
    {
        if (user >= trainedUsers.Length || !trainedUsers[user])
        {
            return false;
        }

        var f = Options.Factors;
        Factors.ScoreAll(userFactors.AsSpan(user * f, f), itemFactors, itemBias, f, scores);
        return true;
    }

    protected override void ItemSimilarities(int item, Span<float> scores) => Factors.PreferenceCosineToAll(item, itemFactors, userFactors, Options.Factors, scores);

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(Options.Factors);
        writer.Write(Options.LearningRate);
        writer.Write(Options.Regularization);
        writer.Write(Options.Iterations);
        writer.Write(Options.Seed);
        writer.Write(Options.Threads);
        RecommenderIo.WriteFloats(writer, userFactors);
        RecommenderIo.WriteFloats(writer, itemFactors);
        RecommenderIo.WriteFloats(writer, itemBias);
        writer.Write(trainedUsers.Length);
        foreach (var t in trainedUsers)
        {
            writer.Write(t);
        }
    }

    internal static BprRecommender LoadCore(BinaryReader reader)
    {
        var options = new BprOptions
        {
            Factors = reader.ReadInt32(),
            LearningRate = reader.ReadDouble(),
            Regularization = reader.ReadDouble(),
            Iterations = reader.ReadInt32(),
            Seed = reader.ReadInt32(),
            Threads = reader.ReadInt32(),
        };
        var model = new BprRecommender(options)
        {
            userFactors = RecommenderIo.ReadFloats(reader),
            itemFactors = RecommenderIo.ReadFloats(reader),
            itemBias = RecommenderIo.ReadFloats(reader),
        };
        model.trainedUsers = new bool[reader.ReadInt32()];
        for (var u = 0; u < model.trainedUsers.Length; u++)
        {
            model.trainedUsers[u] = reader.ReadBoolean();
        }

        return model;
    }

    private void Epoch(CsrMatrix userItems, int[] rowOf, Random random, int samples)
    {
        var f = Options.Factors;
        var lr = (float)Options.LearningRate;
        var reg = (float)Options.Regularization;
        var items = userItems.Columns;
        Span<float> userCopy = stackalloc float[f];
        Span<float> difference = stackalloc float[f];
        for (var s = 0; s < samples; s++)
        {
            var p = random.Next(userItems.NonZeros);
            var u = rowOf[p];
            var i = userItems.ColumnIndices[p];
            var j = random.Next(items);
            if (userItems.RowColumns(u).BinarySearch(j) >= 0)
            {
                continue;
            }

            var xu = userFactors.AsSpan(u * f, f);
            var yi = itemFactors.AsSpan(i * f, f);
            var yj = itemFactors.AsSpan(j * f, f);
            TensorPrimitives.Subtract(yi, yj, difference);
            var x = TensorPrimitives.Dot(xu, difference) + itemBias[i] - itemBias[j];
            var z = 1f / (1f + MathF.Exp(x));
            xu.CopyTo(userCopy);

            // x_u += lr (z (y_i − y_j) − reg x_u); y_i += lr (z x_u − reg y_i); y_j += lr (−z x_u − reg y_j).
            TensorPrimitives.Multiply(xu, 1 - (lr * reg), xu);
            TensorPrimitives.MultiplyAdd(difference, lr * z, xu, xu);
            TensorPrimitives.Multiply(yi, 1 - (lr * reg), yi);
            TensorPrimitives.MultiplyAdd(userCopy, lr * z, yi, yi);
            TensorPrimitives.Multiply(yj, 1 - (lr * reg), yj);
            TensorPrimitives.MultiplyAdd(userCopy, -lr * z, yj, yj);
            itemBias[i] += lr * (z - (reg * itemBias[i]));
            itemBias[j] += lr * (-z - (reg * itemBias[j]));
        }
    }
}
