using System.CommandLine;
using PromoPilot.Cli.Commands;

namespace PromoPilot.Cli;

/// <summary>The promopilot command: verbs in data-flow order.</summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider clock)
    {
        var console = new CliConsole(output, error, clock, Interactive: ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected);
        var root = new RootCommand("PromoPilot: personalized promotions that prove what they add.")
        {
            ImportCommand.Create(console),
            ExportCommand.Create(console),
            StatsCommand.Create(console),
            QuickstartCommand.Create(console),
            ProfileCommand.Create(console),
            ClvCommand.Create(console),
            SegmentCommand.Create(console),
            RulesCommand.Create(console),
            BehaviourCommand.Create(console),
            ForgetCommand.Create(console),
            ExperimentCommand.Create(console),
            CampaignCommand.Create(console),
            OptimizeCommand.Create(console),
            ResponseCommand.Create(console),
            UpliftCommand.Create(console),
            ForecastCampaignCommand.Create(console),
            RecsCommand.Create(console),
            ForecastCommand.Create(console),
            PricingCommand.Create(console),
            DecideCommand.Create(console),
            ServeCommand.Create(console),
            MonitorCommand.Create(console),
            ReportCommand.Create(console),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
