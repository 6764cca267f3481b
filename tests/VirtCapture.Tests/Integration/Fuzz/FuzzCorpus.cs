using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Fuzz;

/// <summary>The real files mutated: pcap from the synthetic traffic, pcapng written by our own data path (with
/// comments, drop counts, statistics), the VM traffic file, and a big-endian pcapng made by editcap.</summary>
public static class FuzzCorpus
{
    public static IReadOnlyList<byte[]> Build(TempDirectory dir)
    {
        var pcap = TrafficFile.Generate(dir.File("seed.pcap"), 40, seed: 11);
        var ours = dir.File("seed.pcapng");
        var captured = Firmware.Run("capture", "-r", pcap, "-w", ours, "-s", "96");
        Assert.True(captured.ExitCode == 0, captured.StdErr);
        var vm = VmTrafficFile.Write(dir.File("vm.pcap"));
        var vmNg = dir.File("vm.pcapng");
        Assert.Equal(0, Firmware.Run("capture", "-r", vm, "-w", vmNg).ExitCode);
        var files = new List<byte[]> { File.ReadAllBytes(pcap), File.ReadAllBytes(ours), File.ReadAllBytes(vm), File.ReadAllBytes(vmNg) };
        var editcap = Run.Program("editcap", "-F", "pcapng", pcap, dir.File("editcap.pcapng"));
        if (editcap.ExitCode == 0)
        {
            files.Add(File.ReadAllBytes(dir.File("editcap.pcapng")));
        }

        return files;
    }
}
