namespace VirtCapture.Collector;

/// <summary>What the decapsulator made of an outer frame.</summary>
internal enum MirrorDecodeStatus
{
    /// <summary>A mirrored frame: its session and inner frame are set.</summary>
    Mirrored,

    /// <summary>Not mirror traffic (another protocol, another port): none of the collector's business.</summary>
    NotMirror,

    /// <summary>A fragment of an outer IP packet: the reassembler takes it.</summary>
    Fragment,

    /// <summary>Mirror traffic that is damaged (cut headers, wrong versions, impossible lengths): counted, never stored.</summary>
    Malformed,
}
