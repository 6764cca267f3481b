using VirtCapture.Pcapng;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Pipeline;

/// <summary>Files cut anywhere (a crash, a power cut) come back whole up to their last whole block.</summary>
public sealed class RepairTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_cut_at_any_offset_repairs_to_every_whole_frame_before_it()
    {
        var reference = Reference(2000);
        var bytes = File.ReadAllBytes(reference);
        var blocks = PcapngBlockWalker.WholeBlocks(bytes);
        var headerEnd = blocks.First(b => b.Type == 6).Offset;
        var random = new Random(20261125);
        for (var trial = 0; trial < 25; trial++)
        {
            var cut = random.NextInt64(headerEnd, bytes.Length);
            var part = _dir.File($"cut{trial}.pcapng.part");
            File.WriteAllBytes(part, bytes[..(int)cut]);

            var result = PcapngRepair.Repair(part);

            Assert.False(File.Exists(part));
            Assert.Equal(_dir.File($"cut{trial}.pcapng"), result.FinalPath);
            Tshark.AssertReadsCleanly(result.FinalPath);
            var expected = blocks.Count(b => b.Type == 6 && b.Offset + b.Length <= cut);
            Assert.Equal(expected, Tshark.CapinfosPackets(result.FinalPath));
            Assert.Equal(expected, result.Frames);
        }
    }

    [Fact]
    public void A_tail_of_zeros_after_a_power_cut_is_cut_and_nothing_is_lost()
    {
        var reference = Reference(500);
        var part = _dir.File("zeros.pcapng.part");
        File.WriteAllBytes(part, [.. File.ReadAllBytes(reference), .. new byte[8192]]);

        var result = Firmware.Run("repair", part);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("cut 8192 damaged bytes", result.StdOut, StringComparison.Ordinal);
        Tshark.AssertReadsCleanly(_dir.File("zeros.pcapng"));
        Assert.Equal(500, Tshark.CapinfosPackets(_dir.File("zeros.pcapng")));
    }

    [Fact]
    public void A_file_that_is_not_pcapng_is_refused_in_one_line()
    {
        File.WriteAllText(_dir.File("junk.pcapng.part"), "not a capture");
        var result = Firmware.Run("repair", _dir.File("junk.pcapng.part"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not start with a little-endian pcapng section header", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.True(File.Exists(_dir.File("junk.pcapng.part")), "an unrepairable file is left as it was");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_file_whose_interface_names_no_link_type_is_set_aside_whole_with_the_reason(int damaged)
    {
        // Found by make fuzz: a flipped byte in an interface block left a file Wireshark reads only as "Unknown packet
        // encapsulation"; repair called it repaired. Cutting at the second interface would have cut every frame.
        var reference = File.ReadAllBytes(Reference(50));
        var idb = PcapngBlockWalker.WholeBlocks(reference).First(b => b.Type == 1);
        var end = (int)idb.Offset + idb.Length;
        byte[] bytes = [.. reference[..end], .. reference[(int)idb.Offset..end], .. reference[end..]];
        BitConverter.TryWriteBytes(bytes.AsSpan((int)idb.Offset + (damaged * idb.Length) + 8, 2), (ushort)65535);
        AssertSetAsideWhole(bytes, $"linktype{damaged}", $"interface {damaged} declares link type 65535, which libpcap does not know");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(128)]
    public void A_section_header_of_a_version_wireshark_does_not_read_is_set_aside_whole(ushort minor)
    {
        // Found by make fuzz: a section header of version 1.128 was called repaired; Wireshark refuses the file.
        var bytes = File.ReadAllBytes(Reference(20));
        BitConverter.TryWriteBytes(bytes.AsSpan(14, 2), minor);
        AssertSetAsideWhole(bytes, $"version{minor}", $"section header version 1.{minor}, which Wireshark does not read");
    }

    // virtcapture repair refuses the file in one line naming why, and leaves it byte for byte.
    private void AssertSetAsideWhole(byte[] bytes, string name, string reason)
    {
        var part = _dir.File($"{name}.pcapng.part");
        File.WriteAllBytes(part, bytes);

        var result = Firmware.Run("repair", part);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(reason, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(part));
    }

    private string Reference(int frames)
    {
        var input = TrafficFile.Generate(_dir.File($"in{frames}.pcap"), frames);
        var output = _dir.File($"ref{frames}.pcapng");
        Assert.Equal(0, Firmware.Run("capture", "-r", input, "-w", output, "-s", "200").ExitCode);
        return output;
    }
}
