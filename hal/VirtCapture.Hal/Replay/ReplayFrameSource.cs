using Microsoft.Win32.SafeHandles;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Hal.Replay;

/// <summary>
/// Replays a pcap or pcapng file as a frame source. The file is read in large chunks and frames are described in
/// place, so a batch costs one read system call for thousands of frames. Damage is reported after every whole
/// frame before it has been handed out.
/// </summary>
public sealed class ReplayFrameSource : IFrameSource
{
    private const int ChunkSize = 4 * 1024 * 1024;
    private const int MaxFramesPerBatch = 8192;

    private readonly string _path;
    private readonly SafeFileHandle _file;
    private readonly ICaptureFileFormat _format;
    private readonly FrameRecord[] _frames = new FrameRecord[MaxFramesPerBatch];
    private readonly long[] _received;
    private byte[] _buffer = new byte[ChunkSize];
    private int _start;
    private int _end;
    private long _bufferFileOffset;
    private long _readOffset;
    private bool _eof;
    private CaptureFileFormatException? _pendingError;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CaptureFileFormatException">The file is neither pcap nor pcapng, or its header is damaged.</exception>
    public ReplayFrameSource(string path)
        : this(path, File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan))
    {
    }

    /// <summary>Reads <paramref name="file"/>, already opened (and checked) by the caller, who hands it over.</summary>
    /// <param name="path">The file's name, for messages.</param>
    /// <param name="file">The open file; disposed with the source, or at once when the constructor throws.</param>
    /// <exception cref="CaptureFileFormatException">Not a pcap or pcapng file, or no interface declared.</exception>
    public ReplayFrameSource(string path, SafeFileHandle file)
    {
        ArgumentNullException.ThrowIfNull(file);
        _path = path;
        _file = file;
        try
        {
            Fill();
            var head = _buffer.AsSpan(0, _end);
            if (PcapFormat.TryOpen(path, head) is { } pcap)
            {
                _format = pcap;
                _start = PcapFormat.HeaderLength;
            }
            else if (PcapngFormat.TryOpen(path, head) is { } pcapng)
            {
                _format = pcapng;
                ReadPcapngHeader(pcapng);
            }
            else
            {
                throw new CaptureFileFormatException(path, 0, _end < 24 ? "too short to be a capture file" : "not a pcap or pcapng file");
            }

            if (_format.Ports.Count == 0)
            {
                throw new CaptureFileFormatException(path, _bufferFileOffset + _start, "no interface is declared before the first packet");
            }

            _received = new long[MaxPorts];
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<CapturePort> Ports => _format.Ports;

    /// <inheritdoc/>
    public int MaxPorts => _format is PcapngFormat ? PcapngFormat.MaxInterfaces : _format.Ports.Count;

    /// <inheritdoc/>
    public bool IsLive => false;

    /// <inheritdoc/>
    public bool FiltersInKernel => false;

    /// <inheritdoc/>
    public BatchResult ReadBatch(out FrameBatch batch, TimeSpan timeout)
    {
        if (_pendingError is { } error)
        {
            _pendingError = null;
            batch = default;
            throw error;
        }

        var count = 0;
        while (count == 0)
        {
            Compact();
            Fill();
            count = ParseAvailable();
            if (count == 0 && _pendingError is null && _eof)
            {
                if (_start < _end)
                {
                    // A record that never completes: the file was cut short (a copy interrupted, a power cut).
                    _pendingError = new CaptureFileFormatException(_path, _bufferFileOffset + _start, $"the file is cut short inside its last record ({_end - _start} bytes of it present)");
                }

                break;
            }

            if (count == 0 && _pendingError is not null)
            {
                break;
            }
        }

        if (count == 0)
        {
            batch = default;
            if (_pendingError is { } late)
            {
                _pendingError = null;
                throw late;
            }

            return BatchResult.EndOfInput;
        }

        batch = new FrameBatch(_buffer.AsSpan(0, _end), _frames.AsSpan(0, count));
        return BatchResult.Frames;
    }

    /// <inheritdoc/>
    public SourceCounters GetCounters(int port) => new(Volatile.Read(ref _received[port]), 0);

    /// <inheritdoc/>
    public PortLink GetLink(int port) => PortLink.AlwaysUp;

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();

    private int ParseAvailable()
    {
        var count = 0;
        while (count < MaxFramesPerBatch && _start < _end)
        {
            RecordParse result;
            int consumed;
            try
            {
                result = _format.Parse(_buffer.AsSpan(_start, _end - _start), _bufferFileOffset + _start, ref _frames[count], out consumed);
            }
            catch (CaptureFileFormatException e)
            {
                _pendingError = e;
                _start = _end;
                _eof = true;
                break;
            }

            if (result == RecordParse.NeedMore)
            {
                if (_start == 0 && _end == _buffer.Length)
                {
                    // One record larger than the whole buffer: grow once rather than fail.
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                break;
            }

            if (result == RecordParse.Frame)
            {
                ref var frame = ref _frames[count];
                frame.Offset += _start;
                _received[frame.Port]++;
                count++;
            }

            _start += consumed;
        }

        return count;
    }

    private void ReadPcapngHeader(PcapngFormat format)
    {
        var scratch = default(FrameRecord);
        while (true)
        {
            var data = _buffer.AsSpan(_start, _end - _start);
            if (format.StartsWithPacket(data))
            {
                return;
            }

            var result = format.Parse(data, _bufferFileOffset + _start, ref scratch, out var consumed);
            if (result == RecordParse.NeedMore)
            {
                if (_eof)
                {
                    // Header blocks only, or a file cut inside them: the caller sees an empty replay or the damage.
                    return;
                }

                Compact();
                if (_start == 0 && _end == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                Fill();
                continue;
            }

            _start += consumed;
        }
    }

    private void Compact()
    {
        if (_start == 0)
        {
            return;
        }

        var remaining = _end - _start;
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, remaining);
        _bufferFileOffset += _start;
        _start = 0;
        _end = remaining;
    }

    private void Fill()
    {
        while (!_eof && _end < _buffer.Length)
        {
            var read = RandomAccess.Read(_file, _buffer.AsSpan(_end), _readOffset);
            if (read == 0)
            {
                _eof = true;
                break;
            }

            _end += read;
            _readOffset += read;
        }
    }
}
