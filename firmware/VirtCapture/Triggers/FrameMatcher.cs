using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Frames;
using VirtCapture.Pipeline;

namespace VirtCapture.Triggers;

/// <summary>
/// A BPF filter run on the capture thread over frames as the source lent them: compiled once per link type (a
/// collector's sessions are found as it goes), with the VLAN tag the kernel stripped put back first, so a filter sees
/// the frame as it is recorded. No allocation per frame.
/// </summary>
internal sealed unsafe class FrameMatcher : IDisposable
{
    private readonly string _expression;
    private readonly Dictionary<int, BpfFilterProgram> _byLinkType = [];
    private BpfFilterProgram?[] _byPort = [];
    private readonly byte[] _scratch = new byte[BpfFilterProgram.CompileSnaplen + 4];

    /// <summary>Compiles <paramref name="expression"/> for Ethernet now, so a bad filter fails before the capture starts.</summary>
    /// <exception cref="FilterCompileException">The filter is invalid.</exception>
    public FrameMatcher(string expression)
    {
        _expression = expression;
        _byLinkType[CapturePort.Ethernet] = BpfFilterProgram.Compile(expression, CapturePort.Ethernet);
    }

    /// <summary>
    /// A matcher of <paramref name="expression"/> over the frames that also pass the capture filter: where the kernel did
    /// not apply the capture filter, it is part of the program.
    /// </summary>
    /// <exception cref="FilterCompileException">The filter is invalid.</exception>
    public static FrameMatcher AfterCaptureFilter(string expression, string captureFilter, bool filteredInKernel) =>
        new(filteredInKernel || captureFilter.Length == 0 ? expression : $"({captureFilter}) and ({expression})");

    /// <summary>True when the frame matches.</summary>
    public bool Matches(in FrameRecord frame, ReadOnlySpan<byte> bytes, IReadOnlyList<CapturePort> ports)
    {
        var port = frame.Port;
        if (port >= _byPort.Length || _byPort[port] is null)
        {
            Learn(ports);
        }

        var program = _byPort[port]!;
        if (frame.VlanTpid == 0)
        {
            return program.Matches(bytes, frame.WireLength);
        }

        var restored = _scratch.AsSpan(0, frame.RestoredLength);
        Slicer.Copy(frame, bytes, restored);
        return program.Matches(restored, Slicer.RecordedWireLength(frame));
    }

    /// <summary>True when the frame matches; <paramref name="data"/> is the batch's region, fixed by the caller.</summary>
    public bool Matches(byte* data, in FrameRecord frame, ReadOnlySpan<byte> region, IReadOnlyList<CapturePort> ports)
    {
        var port = frame.Port;
        if (port >= _byPort.Length || _byPort[port] is null)
        {
            Learn(ports);
        }

        return frame.VlanTpid == 0
            ? _byPort[port]!.Matches(data + frame.Offset, frame.CapturedLength, frame.WireLength)
            : Matches(frame, region.Slice(frame.Offset, frame.CapturedLength), ports);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var program in _byLinkType.Values)
        {
            program.Dispose();
        }
    }

    // Rare: the first frame of each port, and of each port a collector finds later.
    private void Learn(IReadOnlyList<CapturePort> ports)
    {
        var byPort = new BpfFilterProgram?[ports.Count];
        for (var p = 0; p < ports.Count; p++)
        {
            var linkType = ports[p].LinkType;
            if (!_byLinkType.TryGetValue(linkType, out var program))
            {
                program = _byLinkType[linkType] = BpfFilterProgram.Compile(_expression, linkType);
            }

            byPort[p] = program;
        }

        _byPort = byPort;
    }
}
