using VirtCapture.Hal.Frames;

namespace VirtCapture.Fleet;

/// <summary>
/// One box's <c>/api/packets</c> answer, read frame by frame as it arrives: the box's own pcapng stream (sections,
/// interfaces declared late, enhanced packet blocks in nanoseconds), through the format library's block reader.
/// </summary>
internal sealed class BoxPacketStream : IDisposable
{
    private readonly Stream _input;
    private readonly List<string> _ports = [];
    private readonly List<string> _descriptions = [];
    private byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    public BoxPacketStream(string box, Stream input)
    {
        Box = box;
        _input = input;
    }

    /// <summary>The box this stream comes from.</summary>
    public string Box { get; }

    /// <summary>The current frame (valid after <see cref="MoveNextAsync"/> returned true, until the next call).</summary>
    public FrameRecord Frame;

    /// <summary>The current frame's port name and description, as the box declared them.</summary>
    public (string Name, string Description) Port => (_ports[Frame.Port], _descriptions[Frame.Port]);

    /// <summary>The current frame's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(_frameAt, Frame.CapturedLength);

    private int _frameAt;

    /// <summary>Reads up to the next frame; false at the end of the box's answer.</summary>
    /// <exception cref="IOException">The answer is not a pcapng stream, or breaks off inside a block.</exception>
    public async ValueTask<bool> MoveNextAsync(CancellationToken cancel)
    {
        while (true)
        {
            if (TryParse(out var found))
            {
                if (found)
                {
                    return true;
                }

                continue;
            }

            if (_eof)
            {
                return _start == _end ? false : throw new IOException($"box {Box}: its answer breaks off inside a block ({_end - _start} bytes)");
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await _input.ReadAsync(_buffer.AsMemory(_end), cancel).ConfigureAwait(false);
            _eof = read == 0;
            _end += read;
        }
    }

    public void Dispose() => _input.Dispose();

    // One block: true with found=true for a frame, true with found=false for any other block, false for more bytes.
    private bool TryParse(out bool found)
    {
        found = false;
        var reader = new PcapngBlockReader(_buffer.AsSpan(_start, _end - _start));
        if (!reader.TryRead(out var block))
        {
            return reader.Problem is { } problem ? throw new IOException($"box {Box}: its answer is not pcapng: {problem}") : false;
        }

        switch (block.Type)
        {
            case PcapngBlocks.SectionHeaderType:
                _ports.Clear();
                _descriptions.Clear();
                break;
            case PcapngBlocks.InterfaceDescriptionType:
                var declared = PcapngInterface.Read(block);
                _ports.Add(declared?.Name ?? $"if{_ports.Count}");
                _descriptions.Add(declared?.Description ?? string.Empty);
                break;
            case PcapngBlocks.EnhancedPacketType when block.IsPacket && block.Interface < (uint)_ports.Count:
                Frame = Pcapng.EnhancedPacketReader.ToFrame(block);
                _frameAt = _start + 28;
                found = true;
                break;
        }

        _start += block.Length;
        return true;
    }
}
