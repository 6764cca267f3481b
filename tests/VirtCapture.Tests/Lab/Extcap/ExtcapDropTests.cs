using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Lab.Extcap;

/// <summary>
/// The box's own drops during a Wireshark capture: the firmware on AF_PACKET in the lab is frozen (SIGSTOP) while a
/// flood fills its 4 MB kernel ring, so the kernel really drops. The test plays Wireshark: it makes the fifo and both
/// control pipes, sends Wireshark's "initialized", and reads what the extcap writes back.
/// </summary>
public sealed class ExtcapDropTests : IDisposable
{
    private const string Frame = """
        { eth(da=02:00:00:00:0b:01, sa=02:00:00:00:0a:01), ipv4(sa=192.0.2.1, da=192.0.2.2), udp(sp=5000, dp=5001), fill(0x41, 18) }
        """;

    private readonly LabNetwork _lab = new();
    private readonly ExtcapLaptop _home = new();

    public void Dispose()
    {
        _lab.Dispose();
        _home.Dispose();
    }

    [RootFact]
    public async Task Drops_on_the_box_reach_the_status_bar_through_the_control_pipe_and_the_capture_as_a_comment()
    {
        // The kernel ring is what overflows while the box is frozen (4 MB against 150000 frames, over 20 MB in the
        // ring): with the lab's 64 MB ring only the 4 MB buffer could drop, and only if the writer fell behind the
        // thawed box, a race the writer won in CI once the VM inventory moved to the capture thread.
        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:RingMB=4", "--Capture:BufferMB=4");
        firmware.WaitFor("Capture started");
        Extcap("--add-box", $"http://127.0.0.1:{_lab.ApiPort}", "--token-file", _lab.TokenFile, "--name", "lab");

        var fifo = _home.File("data");
        var toWireshark = _home.File("control-out");
        var fromWireshark = _home.File("control-in");
        foreach (var pipe in new[] { fifo, toWireshark, fromWireshark })
        {
            Assert.Equal(0, Run.Program("mkfifo", pipe).ExitCode);
        }

        using var extcap = new FirmwareProcess("ip", ["netns", "exec", $"{_lab.Name}-box", Support.Firmware.File, .. Support.Firmware.Exec, "extcap", "--capture", "--extcap-interface", "vc-lab~A", "--fifo", fifo, "--extcap-control-in", fromWireshark, "--extcap-control-out", toWireshark], Environment());
        var data = new MemoryStream();
        var captured = ReadAll(fifo, data);
        var control = new MemoryStream();
        var controlRead = ReadAll(toWireshark, control);
        await using (var toExtcap = new FileStream(fromWireshark, FileMode.Open, FileAccess.Write))
        {
            // What Wireshark sends first on the control pipe: "initialized" (control 0, command 0).
            await toExtcap.WriteAsync(new byte[] { (byte)'T', 0, 0, 2, 0, 0 });
        }

        // Freeze the box only once Wireshark is really getting frames (the drops must fall inside its capture): the
        // header is under 1 KB, each frame 92 bytes.
        var flowing = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < flowing && Length(data) < 4096)
        {
            _lab.Send("host", Frame, 50, "2ms");
        }

        Assert.True(Length(data) >= 4096, $"the extcap had passed on only {Length(data)} bytes of the capture before the freeze; its stderr: {extcap.Output}");
        firmware.Signal("STOP");
        _lab.Send("host", Frame, 150_000, "0");
        firmware.Signal("CONT");
        _lab.Send("host", Frame, 300, "2ms");

        var dropped = 0L;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && (dropped == 0 || !Text(control).Contains($"dropped {dropped} frames", StringComparison.Ordinal)))
        {
            using var status = JsonDocument.Parse(_lab.Api("GET", "/api/status"));
            var a = status.RootElement.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "A").GetProperty("counters");
            dropped = a.GetProperty("kernelDropped").GetInt64() + a.GetProperty("bufferDropped").GetInt64();
            await Task.Delay(500);
        }

        Assert.True(dropped > 0, "the frozen box's 4 MB kernel ring dropped nothing of 150000 frames");
        extcap.Signal("TERM");
        await Task.WhenAll(captured, controlRead).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(Messages(control.ToArray()).Count > 0, $"nothing came on the control pipe; the extcap's stderr: {extcap.Output}");

        // The control pipe as Wireshark reads it: 'T', 0, length (big-endian, control and command included), control, command.
        var messages = Messages(control.ToArray());
        var expected = $"VirtCapture lab: the box dropped {dropped} frames on port A since this capture began";
        Assert.Contains(messages, m => m.Control == 255 && m.Command == 6 && m.Text.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Control == 0 && m.Command == 2 && m.Text.Contains(expected, StringComparison.Ordinal));

        // The capture Wireshark got reads cleanly and says the same in a comment.
        var output = _home.File("out.pcapng");
        await File.WriteAllBytesAsync(output, data.ToArray());
        Tshark.AssertReadsCleanly(output);
        Assert.Contains(Tshark.Fields(output, "frame.comment", "frame.comment"), c => c.StartsWith(expected, StringComparison.Ordinal));
        Assert.True(Tshark.Count(output, "udp.port == 5001") >= 336, "the frames before the freeze (36 or more) and the 300 after are in the capture");
    }

    /// <summary>A pipe read to its end into <paramref name="into"/>, which the test may look at meanwhile.</summary>
    private static Task ReadAll(string pipe, MemoryStream into) => Task.Run(async () =>
    {
        await using var stream = new FileStream(pipe, FileMode.Open, FileAccess.Read);
        var buffer = new byte[65536];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Write(buffer, 0, read);
            }
        }
    });

    private static long Length(MemoryStream stream)
    {
        lock (stream)
        {
            return stream.Length;
        }
    }

    private static string Text(MemoryStream control)
    {
        lock (control)
        {
            return Encoding.UTF8.GetString(control.ToArray());
        }
    }

    private static List<(byte Control, byte Command, string Text)> Messages(byte[] bytes)
    {
        var messages = new List<(byte, byte, string)>();
        for (var at = 0; at < bytes.Length;)
        {
            Assert.Equal((byte)'T', bytes[at]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2));
            messages.Add((bytes[at + 4], bytes[at + 5], Encoding.UTF8.GetString(bytes, at + 6, length - 2)));
            at += 4 + length;
        }

        return messages;
    }

    private ProcessResult Extcap(params string[] args) => _home.Extcap(args);

    private Dictionary<string, string> Environment() => _home.Environment;
}
