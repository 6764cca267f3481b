using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using VirtCapture.Hal.Interop;

namespace VirtCapture.Storage;

/// <summary>
/// Appends to one file with O_DIRECT, the ring's way to the SSD. It knows nothing of pcapng: the ring gives it the
/// file's header and then runs of whole blocks. Like Stenographer it writes whole 4 KiB pages from an aligned staging
/// area straight to the SSD, skipping the page cache, whose copy would otherwise cost more CPU than the whole capture.
/// The partial last page is written through the page cache at every fsync and at close, and rewritten directly once it
/// fills; a failed write cuts the file back to its last whole append. File systems without O_DIRECT get ordinary
/// writes. A large run of blocks with free pages in front of it (a buffer segment) is written from where it lies:
/// the unfinished page and a padding block go in front, so its bytes need no copy into the staging area.
/// </summary>
internal sealed unsafe class DirectFileAppender : IDisposable
{
    private const int Alignment = 4096;
    private const int FlushThreshold = 1 << 20;
    // Room for the flush threshold plus one whole buffer segment.
    private const int StagingBytes = (2 << 20) + Alignment;
    // Below this a run goes through the staging area: a padding block (2 KiB on average) would weigh too much.
    private const int InPlaceMinimum = 256 << 10;

    private readonly SafeFileHandle _file;
    private readonly Queue<long> _appendEnds = new(64);
    private readonly PaddingWriter? _padding;
    private byte* _staging;
    private int _staged;
    private long _stagingOffset;
    private long _durableBoundary;
    private bool _direct;
    private bool _directProven;

    /// <summary>Creates <paramref name="path"/> (which must not exist) and writes <paramref name="header"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="header">Its first bytes.</param>
    /// <param name="direct">Write with O_DIRECT where the file system allows it; false: through the page cache.</param>
    /// <param name="padding">The format's padding; without it every run goes through the staging area.</param>
    public DirectFileAppender(string path, ReadOnlySpan<byte> header, bool direct = true, PaddingWriter? padding = null)
    {
        Path = path;
        _padding = padding;
        _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _staging = (byte*)NativeMemory.AlignedAlloc(StagingBytes, Alignment);
        // O_DIRECT skips the page cache's copy on the way to a device; on tmpfs the page cache is the storage, so the
        // flag saves nothing there and its page-at-a-time rules only cost (make bench-live on tmpfs).
        _direct = direct && !FileNative.IsInMemory(_file) && FileNative.SetDirect(_file, on: true);
        Append(header);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Bytes appended, all whole blocks.</summary>
    public long Length { get; private set; }

    /// <summary>True while writes go to the file with O_DIRECT (false where the file system refused it).</summary>
    public bool IsDirect => _direct;

    /// <summary>Bytes appended but not yet written to the file.</summary>
    public int PendingBytes => _staged;

    /// <summary>Appends whole blocks. On failure the file is cut back to the last whole block on disk before rethrowing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Append(ReadOnlySpan<byte> blocks)
    {
        if (_staged + blocks.Length > StagingBytes)
        {
            WriteFullPages();
        }

        if (_staged + blocks.Length > StagingBytes)
        {
            // Larger than the staging area (never from the buffer's segments): write it through in pieces.
            for (var i = 0; i < blocks.Length; i += StagingBytes / 2)
            {
                Append(blocks.Slice(i, Math.Min(StagingBytes / 2, blocks.Length - i)));
            }

            return;
        }

        blocks.CopyTo(new Span<byte>(_staging + _staged, StagingBytes - _staged));
        _staged += blocks.Length;
        Length += blocks.Length;
        _appendEnds.Enqueue(Length);
        if (_staged >= FlushThreshold)
        {
            WriteFullPages();
        }
    }

    /// <summary>
    /// Appends the whole blocks that follow <paramref name="headroom"/> free bytes in <paramref name="region"/>, which
    /// starts on a memory page. A large run is written from where it lies, after the file's unfinished page and a
    /// padding block placed in the headroom (at least two pages); only its own unfinished last page is copied.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Append(Span<byte> region, int headroom)
    {
        var blocks = region[headroom..];
        if (blocks.Length < InPlaceMinimum || _padding is null || headroom < 2 * Alignment || headroom % Alignment != 0
            || ((nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(region)) & (Alignment - 1)) != 0)
        {
            Append(blocks);
            return;
        }

        WriteFullPages();
        if (!_direct)
        {
            // The page cache takes any offset: the run goes as it is, after what was staged.
            Write(blocks, _stagingOffset + _staged);
            Length += blocks.Length;
            _appendEnds.Enqueue(Length);
            _stagingOffset += _staged + blocks.Length;
            _staged = 0;
            MarkDurable(_stagingOffset);
            return;
        }

        // Now _staged < one page. Unfinished page + padding fill whole pages, so the run's first byte lands on the
        // memory page boundary the headroom ends on.
        var tail = _staged;
        var pad = (Alignment - tail) & (Alignment - 1);
        if (pad is > 0 and < Format.Pcapng.PcapngBlocks.MinimumPadding)
        {
            pad += Alignment;
        }

        var start = headroom - tail - pad;
        new ReadOnlySpan<byte>(_staging, tail).CopyTo(region[start..]);
        if (pad > 0)
        {
            _padding(region.Slice(start + tail, pad));
        }

        var total = tail + pad + blocks.Length;
        var full = total & ~(Alignment - 1);
        Write(region.Slice(start, full), _stagingOffset);
        _stagingOffset += full;
        _staged = total - full;
        region.Slice(start + full, _staged).CopyTo(new Span<byte>(_staging, StagingBytes));
        Length += pad + blocks.Length;
        _appendEnds.Enqueue(Length);
        MarkDurable(_stagingOffset);
    }

    /// <summary>Puts everything appended so far on the disk (the partial page too) and fsyncs.</summary>
    public void Sync()
    {
        Flush();
        FileNative.Sync(_file, Path);
    }

    /// <summary>Hands everything appended so far to the file (the partial page too), without waiting for the disk.</summary>
    public void Flush()
    {
        WriteFullPages();
        if (_staged > 0)
        {
            WriteTail();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _file.Dispose();
        if (_staging != null)
        {
            NativeMemory.AlignedFree(_staging);
            _staging = null;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteFullPages()
    {
        var full = _direct ? _staged & ~(Alignment - 1) : _staged;
        if (full == 0)
        {
            return;
        }

        Write(new ReadOnlySpan<byte>(_staging, full), _stagingOffset);
        _stagingOffset += full;
        _staged -= full;
        Buffer.MemoryCopy(_staging + full, _staging, StagingBytes, _staged);
        MarkDurable(_stagingOffset);
    }

    private void WriteTail()
    {
        // O_DIRECT cannot write a partial page: this one goes through the page cache, and stays staged so the
        // direct write that completes the page rewrites it in place.
        if (_direct)
        {
            FileNative.SetDirect(_file, on: false);
        }

        try
        {
            Write(new ReadOnlySpan<byte>(_staging, _staged), _stagingOffset);
        }
        finally
        {
            if (_direct)
            {
                FileNative.SetDirect(_file, on: true);
            }
        }

        MarkDurable(_stagingOffset + _staged);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Write(ReadOnlySpan<byte> data, long offset)
    {
        try
        {
            RandomAccess.Write(_file, data, offset);
            _directProven |= _direct;
            return;
        }
        catch (IOException) when (_direct && !_directProven)
        {
            // Some file systems take the flag and then refuse direct writes (EINVAL): use the page cache there.
            _direct = false;
            FileNative.SetDirect(_file, on: false);
        }
        catch (IOException)
        {
            CutBack();
            throw;
        }

        try
        {
            RandomAccess.Write(_file, data, offset);
        }
        catch (IOException)
        {
            CutBack();
            throw;
        }
    }

    // Shrinking needs no free space: even a full disk keeps a file that ends on a whole block.
    private void CutBack() => FileNative.Truncate(_file, _durableBoundary);

    private void MarkDurable(long written)
    {
        while (_appendEnds.TryPeek(out var end) && end <= written)
        {
            _durableBoundary = _appendEnds.Dequeue();
        }
    }
}
