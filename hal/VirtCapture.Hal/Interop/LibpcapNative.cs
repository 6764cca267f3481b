using System.Reflection;
using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>The few libpcap entry points the box calls directly (filter compilation and evaluation).</summary>
internal static unsafe partial class LibpcapNative
{
    internal const string Library = "pcap";

    // Debian ships libpcap as libpcap.so.0.8 (package libpcap0.8) and only the -dev package adds libpcap.so.
    private static readonly string[] Candidates = ["libpcap.so.0.8", "libpcap.so.1", "libpcap.so"];

    [StructLayout(LayoutKind.Sequential)]
    internal struct BpfProgramNative
    {
        public uint Length;
        public BpfInstruction* Instructions;
    }

#pragma warning disable CA1810 // The resolver must be in place before the first call binds; a static constructor guarantees that.
    static LibpcapNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibpcapNative).Assembly, Resolve);
    }
#pragma warning restore CA1810

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        // VIRTCAPTURE_LIBPCAP names one library to use instead (a custom build; tests use it to simulate none).
        var overridden = Environment.GetEnvironmentVariable("VIRTCAPTURE_LIBPCAP");
        foreach (var candidate in string.IsNullOrEmpty(overridden) ? Candidates : [overridden])
        {
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle))
            {
                return handle;
            }
        }

        return string.IsNullOrEmpty(overridden) ? IntPtr.Zero : throw new DllNotFoundException($"cannot load {overridden} (VIRTCAPTURE_LIBPCAP)");
    }

    [LibraryImport(Library)]
    internal static partial IntPtr pcap_open_dead(int linkType, int snaplen);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int pcap_compile(IntPtr pcap, BpfProgramNative* program, string expression, int optimize, uint netmask);

    [LibraryImport(Library)]
    internal static partial IntPtr pcap_geterr(IntPtr pcap);

    [LibraryImport(Library)]
    internal static partial void pcap_freecode(BpfProgramNative* program);

    [LibraryImport(Library)]
    internal static partial void pcap_close(IntPtr pcap);

    [LibraryImport(Library)]
    internal static partial IntPtr pcap_lib_version();

    [LibraryImport(Library)]
    internal static partial IntPtr pcap_datalink_val_to_name(int linkType);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr pcap_create(string source, byte* errorBuffer);

    [LibraryImport(Library)]
    internal static partial int pcap_set_snaplen(IntPtr pcap, int snaplen);

    [LibraryImport(Library)]
    internal static partial int pcap_set_buffer_size(IntPtr pcap, int bytes);

    [LibraryImport(Library)]
    internal static partial int pcap_activate(IntPtr pcap);

    [LibraryImport(Library)]
    internal static partial IntPtr pcap_statustostr(int status);

    [StructLayout(LayoutKind.Sequential)]
    internal struct PcapStat
    {
        public uint Received;
        public uint Dropped;
        public uint InterfaceDropped;
    }

    [LibraryImport(Library)]
    internal static partial int pcap_setdirection(IntPtr pcap, int direction);

    [LibraryImport(Library)]
    internal static partial int pcap_stats(IntPtr pcap, PcapStat* stats);

    [LibraryImport(Library)]
    internal static partial int pcap_get_selectable_fd(IntPtr pcap);

    // bpf_filter only walks the program over the bytes it is given: it neither blocks nor calls back, so the GC
    // transition (the larger part of a P/Invoke's cost) can be skipped on this per-frame call.
    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial uint bpf_filter(BpfInstruction* program, byte* packet, uint wireLength, uint capturedLength);
}
