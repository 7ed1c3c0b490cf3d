using FsCheck;
using Microsoft.FSharp.Core;

namespace PromoPilot.Measurement.Tests.Sequential;

/// <summary>Runs an FsCheck property from a fixed seed, so a failure reproduces on every run and machine.</summary>
internal static class SeededProperty
{
    public static void Check(Property property, ulong seed = 20261122, int cases = 300) =>
        FsCheck.Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(cases).WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None))),
            property);
}
