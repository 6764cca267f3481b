namespace VirtCapture.Pipeline;

/// <summary>
/// Stage 5 of the data path (frame source → filter → slicer → buffer → <b>pcapng writer</b> → ring files): one
/// pcapng file on disk. It starts with the section header and one interface description per port, then takes
/// runs of whole blocks from the buffer. Unbuffered: the buffer's segments are already large writes.
/// </summary>
internal sealed class PcapngWriter : IDisposable
{
    private readonly FileStream _stream;

    /// <summary>Creates <paramref name="path"/> (which must not exist) and writes <paramref name="header"/>.</summary>
    public PcapngWriter(string path, ReadOnlySpan<byte> header)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        Append(header);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Bytes written and known to be whole blocks.</summary>
    public long Length { get; private set; }

    /// <summary>Appends whole blocks. On failure the file is cut back to the last whole block before rethrowing.</summary>
    public void Append(ReadOnlySpan<byte> blocks)
    {
        try
        {
            _stream.Write(blocks);
            Length += blocks.Length;
        }
        catch (IOException)
        {
            CutBack();
            throw;
        }
    }

    /// <summary>Pushes everything written so far to the disk (fsync).</summary>
    public void Sync() => _stream.Flush(flushToDisk: true);

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private void CutBack()
    {
        try
        {
            // Shrinking needs no free space, so even a full disk leaves a file that ends on a whole block.
            _stream.SetLength(Length);
        }
        catch (IOException)
        {
            // The repair at the next start cuts the same place.
        }
    }
}
