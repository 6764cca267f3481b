using VirtCapture.Format.Pcapng;

namespace VirtCapture.Extcap;

/// <summary>
/// Wireshark's fifo, written by two: the stream's blocks and the drop watch's comments. Blocks go out whole, one writer
/// at a time; a comment waits until an interface has been described (a packet block needs one).
/// </summary>
internal sealed class ExtcapOutput(Stream fifo) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private bool _described;

    /// <summary>Writes one pcapng block.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> block, CancellationToken cancel)
    {
        await _turn.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            await fifo.WriteAsync(block, cancel).ConfigureAwait(false);
            _described |= PcapngStreamBlocks.TypeOf(block.Span) == PcapngBlocks.InterfaceDescriptionType;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Writes a comment (an empty packet with the text as its comment, as the box writes its own); false before the first interface.</summary>
    public async Task<bool> CommentAsync(string text, CancellationToken cancel)
    {
        await _turn.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (!_described)
            {
                return false;
            }

            var now = (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
            await fifo.WriteAsync(PcapngBlocks.CommentPacket(0, now, text), cancel).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
