namespace VirtCapture.Hal.Frames;

/// <summary>What a live source gives the shared read loop (<see cref="LiveBatchLoop"/>): its ports' buffers.</summary>
internal interface ILiveRing
{
    /// <summary>True while some port holds frames back for the merge window.</summary>
    bool Holding { get; }

    /// <summary>Takes what the ports have now (open ready kernel blocks, drain libpcap's buffers).</summary>
    void Refill();

    /// <summary>Merges what is held into the batch in time order; the number of frames.</summary>
    int Merge();

    /// <summary>Waits (poll) at most <paramref name="milliseconds"/> for any port.</summary>
    void Wait(int milliseconds);
}
