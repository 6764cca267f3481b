using System.CommandLine;
using VirtCapture.Pcapng;

namespace VirtCapture.Cli;

/// <summary><c>virtcapture repair FILE</c>: the start-up repair of a <c>*.part</c> file, by hand.</summary>
internal static class RepairCommand
{
    public static Command Build()
    {
        var file = new Argument<string>("FILE") { Description = "pcapng file cut by a crash or power loss" };
        var command = new Command("repair", "Cut a damaged pcapng file back to its last whole block and close it properly") { file };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(null, path);
            }

            var repaired = PcapngRepair.Repair(path);
            Console.WriteLine($"{repaired.FinalPath}: kept {repaired.Blocks} blocks ({repaired.Frames} frames), cut {repaired.CutBytes} damaged bytes");
            return 0;
        });
        return command;
    }
}
