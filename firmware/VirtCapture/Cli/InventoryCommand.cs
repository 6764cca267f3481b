using System.CommandLine;
using System.Text.Json;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Replay;
using VirtCapture.Vm;

namespace VirtCapture.Cli;

/// <summary><c>virtcapture inventory -r FILE [--json]</c>: the VMs in a capture file, and their announcements.</summary>
internal static class InventoryCommand
{
    private static readonly Management.Contracts.FirmwareJsonContext Indented = new(new JsonSerializerOptions(Management.Contracts.FirmwareJsonContext.Default.Options) { WriteIndented = true });

    public static Command Build()
    {
        var read = new Option<string>("-r") { Description = "pcap or pcapng file", Required = true };
        var json = new Option<bool>("--json") { Description = "print JSON instead of a table" };
        var idle = new Option<int>("--idle-seconds") { Description = "report a VM gone after this long without a frame", DefaultValueFactory = _ => 300 };
        var decap = new Option<bool>("--decap") { Description = "the VMs inside mirror traffic (ERSPAN, GRE, VXLAN, Geneve), per session" };
        var command = new Command("inventory", "List the virtual MACs in a capture file, their hypervisor, addresses and traffic, and the announcements") { read, json, idle, decap };
        command.SetAction(result => Run(result.GetValue(read)!, result.GetValue(json), result.GetValue(idle), result.GetValue(decap)));
        return command;
    }

    internal static int Run(string path, bool json, int idleSeconds, bool decap = false)
    {
        var inventory = new VmInventory(HypervisorFamilies.Default, TimeSpan.FromSeconds(idleSeconds));
        IFrameSource replay = new ReplayFrameSource(path);
        using (var source = decap ? Collector.MirrorFile.Decapsulate(path, replay) : replay)
        {
            var first = long.MinValue;
            while (source.ReadBatch(out var batch, TimeSpan.Zero) == BatchResult.Frames)
            {
                foreach (ref readonly var frame in batch.Frames)
                {
                    first = first == long.MinValue ? frame.TimestampNs : first;
                    inventory.Observe(frame, batch.Bytes(frame), frame.Port, source.Ports[frame.Port].Name);
                }
            }

            // Rates over the whole file; departures judged at the file's last frame.
            var seconds = first == long.MinValue ? 0 : Math.Max(1e-9, (inventory.LatestNs - first) / 1e9);
            inventory.Sweep(inventory.LatestNs, seconds);
        }

        var vms = inventory.Snapshot();
        var events = inventory.Events();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Management.Contracts.InventoryOutput(vms, events), Indented.InventoryOutput));
            return 0;
        }

        Console.WriteLine($"{"MAC",-17}  {"family",-19}  {"port",-4}  {"VLAN",4}  {"sent",8}  {"received",8}  {"bytes sent",11}  addresses");
        foreach (var vm in vms)
        {
            Console.WriteLine($"{vm.Mac,-17}  {vm.Family,-19}  {vm.Port,-4}  {vm.Vlan,4}  {vm.FramesSent,8}  {vm.FramesReceived,8}  {vm.BytesSent,11}  {string.Join(' ', vm.Addresses)}");
        }

        Console.WriteLine();
        foreach (var e in events)
        {
            Console.WriteLine($"{e.Time:yyyy-MM-dd HH:mm:ss.fff}  {e.Text}");
        }

        return 0;
    }
}
