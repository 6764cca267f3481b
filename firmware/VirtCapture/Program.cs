using System.CommandLine;
using VirtCapture.Cli;

var root = new RootCommand("VirtCapture: the firmware of a filtering TAP box for virtualization hosts")
{
    TreatUnmatchedTokensAsErrors = false,
};
root.Subcommands.Add(RunCommand.Build());
root.Subcommands.Add(CaptureCommand.Build());
root.Subcommands.Add(RepairCommand.Build());
root.Subcommands.Add(TokenCommand.Build());
root.Subcommands.Add(InventoryCommand.Build());
root.Subcommands.Add(FleetCommand.Build());
root.Subcommands.Add(ExtcapCommand.Build());
root.SetAction((result, _) => RunCommand.RunAsync(result.UnmatchedTokens.ToArray()));

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    Console.Error.WriteLine($"virtcapture: {parse.Errors[0].Message} (see virtcapture --help)");
    return ErrorReporter.UsageError;
}

// The daemon and `token` read configuration overrides (--Section:Key=value); anything else unknown is a typo.
var command = parse.CommandResult.Command;
var takesOverrides = command == root || command.Name is "run" or "token";
// Wireshark passes its own options to the extcap, which reads them itself.
if (command.Name != "extcap" && CommandLineChecks.Unexpected(parse, takesOverrides) is { } unexpected)
{
    var what = command == root ? "unknown command or option" : $"{command.Name}: unknown option or argument";
    Console.Error.WriteLine($"virtcapture: {what} '{unexpected}'{(takesOverrides ? " (settings are given as --Section:Key=value)" : string.Empty)}; usage: virtcapture [run|capture|repair|inventory|token] [options], see virtcapture --help");
    return ErrorReporter.UsageError;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        // The host owns SIGTERM (closing every file takes what it takes); System.CommandLine would exit after 2 s.
        ProcessTerminationTimeout = null,
    }).ConfigureAwait(false);
}
catch (Exception error) when (ErrorReporter.Report(error, Console.Error) is var status and >= 0)
{
    return status;
}
