using VirtCapture.Format.Pcap;
using VirtCapture.Hal.Replay;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Cli;

/// <summary>`virtcapture capture` run as a process, its files judged by tshark, capinfos and tcpdump.</summary>
public sealed class CaptureCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Filtered_capture_keeps_exactly_the_frames_tcpdump_keeps_with_ns_timestamps_and_lengths()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 20_000);
        const string filter = "udp or (vlan and udp)";
        var ours = Firmware.Run("capture", "-r", input, "-w", _dir.File("out.pcapng"), "-f", filter);
        Assert.Equal(0, ours.ExitCode);
        var theirs = Run.Program("tcpdump", "--time-stamp-precision=nano", "-r", input, "-w", _dir.File("td.pcap"), filter);
        Assert.Equal(0, theirs.ExitCode);

        Tshark.AssertReadsCleanly(_dir.File("out.pcapng"));
        string[] fields = ["frame.time_epoch", "frame.len", "frame.cap_len", "eth.src", "vlan.id"];
        var expected = Tshark.Fields(_dir.File("td.pcap"), null, fields);
        var actual = Tshark.Fields(_dir.File("out.pcapng"), null, fields);
        Assert.True(expected.Length > 10_000, $"the filter should keep most frames, kept {expected.Length}");
        Assert.True(expected.Length < 20_000, "the filter should drop the TCP frames");
        Assert.Equal(expected, actual);
        Assert.Contains(filter, Run.Program("capinfos", _dir.File("out.pcapng")).StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Snaplen_cuts_frames_and_keeps_their_wire_length()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 3000);
        Assert.Equal(0, Firmware.Run("capture", "-r", input, "-w", _dir.File("out.pcapng"), "-s", "96").ExitCode);

        var original = Tshark.Fields(input, null, "frame.len");
        var sliced = Tshark.Fields(_dir.File("out.pcapng"), null, "frame.len", "frame.cap_len");
        Assert.Equal(original.Length, sliced.Length);
        for (var i = 0; i < sliced.Length; i++)
        {
            var parts = sliced[i].Split('\t');
            Assert.Equal(original[i], parts[0]);
            Assert.Equal(Math.Min(int.Parse(original[i]), 96).ToString(), parts[1]);
        }

        Assert.Contains(sliced, s => int.Parse(s.Split('\t')[0]) > 1000 && s.EndsWith("\t96", StringComparison.Ordinal));
    }

    [Fact]
    public void Ring_by_size_keeps_the_newest_files_within_the_limit()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 6000);
        // -w names a directory that must exist (dumpcap does not create it either).
        Directory.CreateDirectory(_dir.File("ring"));
        var ring = _dir.File("ring/trace.pcapng");
        Assert.Equal(0, Firmware.Run("capture", "-r", input, "-w", ring, "-b", "filesize:200", "-b", "files:3").ExitCode);

        var files = Directory.GetFiles(_dir.File("ring")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, files.Length);
        Assert.All(files, f => Assert.Matches(@"trace_\d{6}_\d{14}\.pcapng$", f));
        var sequences = files.Select(f => int.Parse(Path.GetFileName(f).Split('_')[1])).ToArray();
        Assert.Equal([sequences[0], sequences[0] + 1, sequences[0] + 2], sequences);
        Assert.True(sequences[0] > 1, "older files must have been deleted by the ring");
        foreach (var file in files)
        {
            Tshark.AssertReadsCleanly(file);
            Assert.True(new FileInfo(file).Length <= 200_000, $"{file} is {new FileInfo(file).Length} bytes");
        }

        // The newest frames survive: the last frame of the input is the last frame of the newest file.
        var lastIn = Tshark.Fields(input, null, "frame.time_epoch")[^1];
        Assert.Equal(lastIn, Tshark.Fields(files[^1], null, "frame.time_epoch")[^1]);
        var total = files.Sum(f => Tshark.CapinfosPackets(f));
        Assert.Equal(Tshark.Fields(files[0], null, "frame.time_epoch")[0], Tshark.Fields(input, null, "frame.time_epoch")[6000 - (int)total]);
    }

    [Fact]
    public void Ring_by_duration_splits_on_frame_time()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 50, spacingNs: 100_000_000); // 5 s of traffic
        // -w names a directory that must exist (dumpcap does not create it either).
        Directory.CreateDirectory(_dir.File("ring"));
        var ring = _dir.File("ring/t.pcapng");
        Assert.Equal(0, Firmware.Run("capture", "-r", input, "-w", ring, "-b", "duration:1").ExitCode);

        var files = Directory.GetFiles(_dir.File("ring")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(5, files.Length);
        Assert.All(files, f => Assert.Equal(10, Tshark.CapinfosPackets(f)));
    }

    [Fact]
    public void Count_stops_after_that_many_accepted_frames()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 3000);
        Assert.Equal(0, Firmware.Run("capture", "-r", input, "-w", _dir.File("out.pcapng"), "-c", "123", "-f", "udp or (vlan and udp)").ExitCode);
        Assert.Equal(123, Tshark.Count(_dir.File("out.pcapng")));
        Assert.Equal(123, Tshark.Count(_dir.File("out.pcapng"), "udp"));
    }

    [Fact]
    public void Reads_pcapng_and_keeps_interfaces_and_directions()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 500);
        Assert.Equal(0, Firmware.Run("capture", "-r", input, "-w", _dir.File("first.pcapng"), "-c", "400").ExitCode);
        Assert.Equal(0, Firmware.Run("capture", "-r", _dir.File("first.pcapng"), "-w", _dir.File("second.pcapng"), "-f", "arp or rarp or (vlan and (arp or rarp))").ExitCode);

        Tshark.AssertReadsCleanly(_dir.File("second.pcapng"));
        var expected = Tshark.Fields(_dir.File("first.pcapng"), "arp", "frame.time_epoch", "frame.len", "eth.src");
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Tshark.Fields(_dir.File("second.pcapng"), null, "frame.time_epoch", "frame.len", "eth.src"));
    }

    [Fact]
    public void Frames_of_another_link_type_are_carried_with_their_own_interface()
    {
        var input = _dir.File("raw.pcap");
        using (var writer = new ClassicPcapWriter(input, linkType: 101))
        {
            // Raw IPv4/UDP packets, no Ethernet header.
            var packet = Convert.FromHexString("4500001c0001000040110000c0a80001c0a800020035003500080000");
            for (var i = 0; i < 10; i++)
            {
                writer.Write(TrafficFile.Epoch + i, packet);
            }
        }

        var result = Firmware.Run("capture", "-r", input, "-w", _dir.File("out.pcapng"), "-f", "udp port 53");
        Assert.Equal(0, result.ExitCode);
        Tshark.AssertReadsCleanly(_dir.File("out.pcapng"));
        Assert.Equal("rawip", Tshark.CapinfosValue(_dir.File("out.pcapng"), "File encapsulation"));
        Assert.Equal(10, Tshark.Count(_dir.File("out.pcapng"), "udp.port == 53"));
    }

    [Fact]
    public void A_filter_that_matches_nothing_still_writes_a_valid_empty_file()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 100);
        Assert.Equal(0, Firmware.Run("capture", "-r", input, "-w", _dir.File("out.pcapng"), "-f", "sctp").ExitCode);
        Tshark.AssertReadsCleanly(_dir.File("out.pcapng"));
        Assert.Equal(0, Tshark.CapinfosPackets(_dir.File("out.pcapng")));
    }

    [Fact]
    public void A_bad_filter_is_one_line_quoting_the_filter_and_libpcaps_reason()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 10);
        var result = Firmware.Run("capture", "-r", input, "-w", _dir.File("out.pcapng"), "-f", "udp and portt 53");
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("'udp and portt 53'", line, StringComparison.Ordinal);
        Assert.Contains("syntax error", line, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("out.pcapng")));
    }

    [Fact]
    public void A_missing_input_is_one_line_naming_it()
    {
        var result = Firmware.Run("capture", "-r", _dir.File("nope.pcap"), "-w", _dir.File("out.pcapng"));
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("nope.pcap", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_cut_short_keeps_every_whole_frame_and_says_where_the_damage_is()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 1000);
        var bytes = File.ReadAllBytes(input);
        File.WriteAllBytes(input, bytes[..(bytes.Length - 10)]);

        var result = Firmware.Run("capture", "-r", input, "-w", _dir.File("out.pcapng"));
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Matches("damaged at byte [0-9]+: the file is cut short", line);
        Assert.Contains("999 frames", line, StringComparison.Ordinal);
        Tshark.AssertReadsCleanly(_dir.File("out.pcapng"));
        Assert.Equal(999, Tshark.Count(_dir.File("out.pcapng")));
    }

    [Fact]
    public void Garbage_in_the_middle_keeps_the_frames_before_it()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 200);
        var bytes = File.ReadAllBytes(input);
        // Find the 101st record and claim an absurd captured length.
        var offset = 24;
        for (var i = 0; i < 100; i++)
        {
            offset += 16 + BitConverter.ToInt32(bytes, offset + 8);
        }

        BitConverter.GetBytes(0x7fff0000).CopyTo(bytes, offset + 8);
        File.WriteAllBytes(input, bytes);

        var result = Firmware.Run("capture", "-r", input, "-w", _dir.File("out.pcapng"));
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains($"damaged at byte {offset}", line, StringComparison.Ordinal);
        Assert.Equal(100, Tshark.Count(_dir.File("out.pcapng")));
    }

    [Fact]
    public void A_file_that_is_not_a_capture_is_refused_in_one_line()
    {
        File.WriteAllText(_dir.File("notes.txt"), "these are not the frames you are looking for");
        var result = Firmware.Run("capture", "-r", _dir.File("notes.txt"), "-w", _dir.File("out.pcapng"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a pcap or pcapng file", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_output_is_one_line()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 10);
        File.WriteAllText(_dir.File("blocker"), "a file where a directory should be");
        var result = Firmware.Run("capture", "-r", input, "-w", _dir.File("blocker/out.pcapng"));
        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("blocker", line, StringComparison.Ordinal);
    }
}
