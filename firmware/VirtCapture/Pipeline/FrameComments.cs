namespace VirtCapture.Pipeline;

/// <summary>
/// The comments annotators gave to frames of one batch, by frame index. Reused from batch to batch; taken by the
/// capture loop in index order. A frame keeps the first comment it was given.
/// </summary>
internal sealed class FrameComments
{
    private int[] _indexes = new int[16];
    private byte[][] _texts = new byte[16][];
    private bool _sorted = true;
    private int _taken;

    /// <summary>Comments held.</summary>
    public int Count { get; private set; }

    /// <summary>Gives frame <paramref name="index"/> a comment.</summary>
    public void Add(int index, byte[] text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Count == _indexes.Length)
        {
            Array.Resize(ref _indexes, Count * 2);
            Array.Resize(ref _texts, Count * 2);
        }

        _sorted &= Count == 0 || _indexes[Count - 1] <= index;
        _indexes[Count] = index;
        _texts[Count++] = text;
    }

    /// <summary>The comment of frame <paramref name="index"/>, or empty; indexes must be asked in increasing order.</summary>
    public ReadOnlySpan<byte> Take(int index) => NextAtOrAfter(index) == index ? _texts[_taken] : default;

    /// <summary>
    /// The index of the first commented frame at or after <paramref name="index"/> (int.MaxValue if none): the buffer
    /// encodes the frames before it without looking for comments. Indexes are asked in increasing order.
    /// </summary>
    public int NextAtOrAfter(int index)
    {
        if (!_sorted)
        {
            // Two annotators may have commented in their own order: put the comments in frame order, stably (a frame
            // keeps its first comment), in place: a batch holds a handful, and the capture thread allocates nothing.
            for (var i = 1; i < Count; i++)
            {
                var frame = _indexes[i];
                var text = _texts[i];
                var j = i - 1;
                for (; j >= 0 && _indexes[j] > frame; j--)
                {
                    _indexes[j + 1] = _indexes[j];
                    _texts[j + 1] = _texts[j];
                }

                _indexes[j + 1] = frame;
                _texts[j + 1] = text;
            }

            _sorted = true;
        }

        while (_taken < Count && _indexes[_taken] < index)
        {
            _taken++;
        }

        return _taken < Count ? _indexes[_taken] : int.MaxValue;
    }

    /// <summary>Forgets every comment, for the next batch.</summary>
    public void Clear()
    {
        Array.Clear(_texts, 0, Count);
        Count = 0;
        _taken = 0;
        _sorted = true;
    }
}
