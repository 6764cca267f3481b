using System.Buffers;
using System.Runtime.InteropServices;
using VirtCapture.Hal.Frames;
using VirtCapture.Pipeline;

namespace VirtCapture.Pcapng;

/// <summary>
/// A pcapng stream to a client (a time-window extract, a live stream): blocks are encoded into a chunk that is
/// flushed asynchronously, so a slow network never blocks a thread.
/// </summary>
internal sealed class PcapngStreamWriter
{
    private const int ChunkBytes = 256 * 1024;
    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _chunk = new(ChunkBytes + 300_000);
    private readonly string _application = $"VirtCapture {typeof(PcapngStreamWriter).Assembly.GetName().Version?.ToString(3)}";
    private int _snaplen;
    private string _filter = string.Empty;

    public PcapngStreamWriter(Stream output)
    {
        _output = output;
    }

    /// <summary>Frames written.</summary>
    public long Frames { get; private set; }

    /// <summary>True when the chunk should be flushed.</summary>
    public bool Full => _chunk.WrittenCount >= ChunkBytes;

    /// <summary>Interfaces declared in the current section.</summary>
    public int Interfaces { get; private set; }

    /// <summary>Starts a section: SHB and one IDB per port.</summary>
    public void Section(IReadOnlyList<CapturePort> ports, int snaplen, string filter)
    {
        PcapngBlocks.WriteSectionHeader(_chunk, "VirtCapture management stream", RuntimeInformation.OSDescription, _application);
        Interfaces = 0;
        _snaplen = snaplen;
        _filter = filter;
        Declare(ports);
    }

    /// <summary>
    /// Declares the ports the section does not have yet (a collector finds its sessions while capturing), in order,
    /// so that every frame's interface is declared before it.
    /// </summary>
    public void Declare(IReadOnlyList<CapturePort> ports)
    {
        for (; Interfaces < ports.Count; Interfaces++)
        {
            var port = ports[Interfaces];
            PcapngBlocks.WriteInterfaceDescription(_chunk, port.Name, port.Description, port.LinkType, _snaplen, _filter);
        }
    }

    /// <summary>One frame, cut to <paramref name="snaplen"/>.</summary>
    public void Frame(in FrameRecord frame, ReadOnlySpan<byte> bytes, int snaplen) => Frame(frame, bytes, snaplen, default);

    /// <summary>One frame, cut to <paramref name="snaplen"/>, with a comment (UTF-8; empty for none).</summary>
    public void Frame(in FrameRecord frame, ReadOnlySpan<byte> bytes, int snaplen, ReadOnlySpan<byte> comment)
    {
        var sliced = Math.Min(frame.RestoredLength, snaplen);
        var size = PcapngBlocks.EnhancedPacketLength(sliced, (uint)frame.Direction, 0, comment.Length);
        var block = _chunk.GetSpan(size)[..size];
        Slicer.Copy(frame, bytes, block.Slice(28, sliced));
        PcapngBlocks.CompleteEnhancedPacket(block, frame.Port, frame.TimestampNs, sliced, Slicer.RecordedWireLength(frame), (uint)frame.Direction, 0, comment);
        _chunk.Advance(size);
        Frames++;
    }

    /// <summary>An event comment at an instant.</summary>
    public void Comment(int port, long timestampNs, string text) => _chunk.Write(PcapngBlocks.CommentPacket(port, timestampNs, text));

    /// <summary>Sends what is buffered.</summary>
    public async Task FlushAsync(CancellationToken cancel)
    {
        if (_chunk.WrittenCount > 0)
        {
            await _output.WriteAsync(_chunk.WrittenMemory, cancel).ConfigureAwait(false);
            _chunk.ResetWrittenCount();
        }

        await _output.FlushAsync(cancel).ConfigureAwait(false);
    }
}
