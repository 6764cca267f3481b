using VirtCapture.Hal.Interop;

namespace VirtCapture.Hal.Libpcap;

/// <summary>
/// The link types libpcap has a name for (the box's captures declare Ethernet, its replays what the file declared).
/// A value without a name is a damaged byte, a reserved value (65535), or one of the few registered types libpcap
/// files under another number (LINKTYPE_RAW, 101): repair sets a file declaring one aside whole, with the value in
/// the reason, rather than call it sound when Wireshark may not decode one frame of it.
/// </summary>
public static class LibpcapLinkTypes
{
    /// <summary>True when libpcap has a name for <paramref name="linkType"/>, or when libpcap cannot be loaded to say.</summary>
    /// <param name="linkType">A LINKTYPE value, as a pcap or pcapng file declares it.</param>
    public static bool IsKnown(int linkType)
    {
        try
        {
            return LibpcapNative.pcap_datalink_val_to_name(linkType) != IntPtr.Zero;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Without libpcap the box cannot compile a filter either, and says so there; nothing is judged by a guess.
            return true;
        }
    }
}
