namespace VirtCapture.Collector;

/// <summary>What decapsulation met that is not a frame of a session: counted, never stored, never fatal.</summary>
internal sealed class MirrorCounters
{
    /// <summary>Outer frames that were not mirror traffic.</summary>
    public long NotMirror { get; set; }

    /// <summary>Mirror traffic too damaged to read.</summary>
    public long Malformed { get; set; }

    /// <summary>Mirrored frames of sessions not listed.</summary>
    public long Unlisted { get; set; }

    /// <summary>Outer IP fragments (not reassembled on this path).</summary>
    public long Fragments { get; set; }

    /// <summary>The first damage met, for the summary line.</summary>
    public string? FirstProblem { get; set; }

    /// <summary>Counts one outer frame that yielded no mirrored frame.</summary>
    public void Count(in MirrorPacket packet)
    {
        switch (packet.Status)
        {
            case MirrorDecodeStatus.NotMirror:
                NotMirror++;
                break;
            case MirrorDecodeStatus.Fragment:
                Fragments++;
                break;
            case MirrorDecodeStatus.Malformed:
                Malformed++;
                FirstProblem ??= packet.Problem;
                break;
        }
    }
}
