using VirtCapture.Hal.Interop;
using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Bpf;

/// <summary>
/// A capture filter in Wireshark/tcpdump capture-filter syntax, compiled by libpcap to classic BPF. Used in user
/// space for replayed files and attached to AF_PACKET sockets so the kernel drops what the user does not want.
/// </summary>
public sealed unsafe class BpfFilterProgram : IDisposable
{
    /// <summary>Snaplen handed to libpcap's compiler; the largest frame libpcap itself accepts.</summary>
    public const int CompileSnaplen = 262144;

    private const int CapturePortEthernet = 1;
    private static readonly Lock CompileLock = new();
    private LibpcapNative.BpfProgramNative* _program;

    private readonly BpfJit.Filter? _compiled;

    private BpfFilterProgram(string expression, int linkType, LibpcapNative.BpfProgramNative* program)
    {
        Expression = expression;
        LinkType = linkType;
        _program = program;
        _compiled = BpfJit.TryCompile(Instructions);
    }

    /// <summary>True when frames are filtered by the program compiled to .NET code (<see cref="BpfJit"/>), not by libpcap's interpreter.</summary>
    public bool IsCompiled => _compiled is not null;

    /// <summary>Runs libpcap's interpreter on one frame, whatever <see cref="IsCompiled"/> says: the reference the compiled code is checked against.</summary>
    public bool MatchesInterpreted(ReadOnlySpan<byte> frame, int wireLength)
    {
        fixed (byte* p = frame)
        {
            return LibpcapNative.bpf_filter(_program->Instructions, p, (uint)wireLength, (uint)frame.Length) != 0;
        }
    }

    /// <summary>The filter as the user wrote it.</summary>
    public string Expression { get; }

    /// <summary>The link type it was compiled for.</summary>
    public int LinkType { get; }

    /// <summary>True when the filter is empty and accepts every frame.</summary>
    public bool AcceptsAll => Expression.Length == 0;

    /// <summary>The compiled program, for SO_ATTACH_FILTER.</summary>
    public ReadOnlySpan<BpfInstruction> Instructions =>
        _program == null ? default : new ReadOnlySpan<BpfInstruction>(_program->Instructions, (int)_program->Length);

    /// <summary>Compiles <paramref name="expression"/> for frames of <paramref name="linkType"/>.</summary>
    /// <exception cref="FilterCompileException">libpcap refused the filter; the message names it and says why.</exception>
    /// <exception cref="LibpcapMissingException">libpcap is not installed.</exception>
    public static BpfFilterProgram Compile(string? expression, int linkType) =>
        CompileWith(expression, linkType, _ => OpenDead(linkType));

    /// <summary>
    /// Compiles <paramref name="expression"/> for the kernel socket filter of a live Linux interface. libpcap then
    /// emits the special VLAN code (SKF_AD_VLAN_TAG_PRESENT) needed where the kernel strips the outer tag before
    /// the filter runs; a program compiled for a file would miss every tagged frame there.
    /// </summary>
    /// <exception cref="FilterCompileException">The filter is invalid, or the interface cannot be opened.</exception>
    public static BpfFilterProgram CompileForInterface(string? expression, string iface) =>
        CompileWith(expression, CapturePortEthernet, trimmed => OpenLive(iface, trimmed));

    // The one compile path: libpcap's handle (a dead one for files, an activated one for an interface) compiles
    // into native memory the program then owns.
    private static BpfFilterProgram CompileWith(string? expression, int linkType, Func<string, IntPtr> open)
    {
        expression = (expression ?? string.Empty).Trim();
        var program = (LibpcapNative.BpfProgramNative*)NativeMemory.AllocZeroed((nuint)sizeof(LibpcapNative.BpfProgramNative));
        try
        {
            lock (CompileLock)
            {
                var pcap = open(expression);
                try
                {
                    // 0xffffffff = PCAP_NETMASK_UNKNOWN: only "ip broadcast" needs a netmask, and it then says so.
                    if (LibpcapNative.pcap_compile(pcap, program, expression, 1, 0xffffffff) != 0)
                    {
                        throw new FilterCompileException(expression, Marshal.PtrToStringUTF8(LibpcapNative.pcap_geterr(pcap)) ?? "unknown error");
                    }
                }
                finally
                {
                    LibpcapNative.pcap_close(pcap);
                }
            }

            return new BpfFilterProgram(expression, linkType, program);
        }
        catch
        {
            NativeMemory.Free(program);
            throw;
        }
    }

    private static IntPtr OpenLive(string iface, string expression)
    {
        var errors = stackalloc byte[512];
        IntPtr pcap;
        try
        {
            pcap = LibpcapNative.pcap_create(iface, errors);
        }
        catch (DllNotFoundException e)
        {
            throw new LibpcapMissingException(e);
        }

        if (pcap == IntPtr.Zero)
        {
            throw new FilterCompileException(expression, $"libpcap cannot open {iface}: {Marshal.PtrToStringUTF8((IntPtr)errors)}");
        }

        // Both only fail on an already activated handle, which this one is not.
        _ = LibpcapNative.pcap_set_snaplen(pcap, CompileSnaplen);
        _ = LibpcapNative.pcap_set_buffer_size(pcap, 1 << 16);
        var status = LibpcapNative.pcap_activate(pcap);
        if (status < 0)
        {
            var reason = Marshal.PtrToStringUTF8(LibpcapNative.pcap_geterr(pcap));
            LibpcapNative.pcap_close(pcap);
            throw new FilterCompileException(expression, $"libpcap cannot open {iface}: {(string.IsNullOrEmpty(reason) ? Marshal.PtrToStringUTF8(LibpcapNative.pcap_statustostr(status)) : reason)}");
        }

        return pcap;
    }

    /// <summary>Checks a filter; returns null when it compiles, else libpcap's reason.</summary>
    public static string? Check(string? expression, int linkType)
    {
        try
        {
            using var program = Compile(expression, linkType);
            return null;
        }
        catch (FilterCompileException e)
        {
            return e.Reason;
        }
    }

    /// <summary>Runs the filter over one frame.</summary>
    /// <param name="frame">The captured bytes.</param>
    /// <param name="wireLength">The frame's length on the wire.</param>
    public bool Matches(ReadOnlySpan<byte> frame, int wireLength)
    {
        if (AcceptsAll)
        {
            return true;
        }

        fixed (byte* p = frame)
        {
            return _compiled is { } compiled
                ? compiled(p, (uint)frame.Length, (uint)wireLength) != 0
                : LibpcapNative.bpf_filter(_program->Instructions, p, (uint)wireLength, (uint)frame.Length) != 0;
        }
    }

    /// <summary>Runs the filter over one frame in memory the caller keeps fixed (a batch's region): no span per frame.</summary>
    /// <param name="frame">The frame's first byte.</param>
    /// <param name="captured">Bytes captured.</param>
    /// <param name="wireLength">The frame's length on the wire.</param>
    public bool Matches(byte* frame, int captured, int wireLength) =>
        AcceptsAll || (_compiled is { } compiled
            ? compiled(frame, (uint)captured, (uint)wireLength) != 0
            : LibpcapNative.bpf_filter(_program->Instructions, frame, (uint)wireLength, (uint)captured) != 0);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_program != null)
        {
            LibpcapNative.pcap_freecode(_program);
            NativeMemory.Free(_program);
            _program = null;
        }
    }

    /// <summary>The libpcap version string, or throws <see cref="LibpcapMissingException"/>.</summary>
    public static string LibraryVersion()
    {
        try
        {
            return Marshal.PtrToStringUTF8(LibpcapNative.pcap_lib_version()) ?? "libpcap";
        }
        catch (DllNotFoundException e)
        {
            throw new LibpcapMissingException(e);
        }
    }

    /// <summary>
    /// Files carry LINKTYPE_ values while pcap_open_dead wants the platform's DLT_ values; they differ for a few
    /// old types, raw IP (101 in files, DLT_RAW 12 on Linux) being the one field engineers meet.
    /// </summary>
    private static int DltFromLinkType(int linkType) => linkType switch
    {
        100 => 11, // ATM_RFC1483
        101 => 12, // RAW
        102 => 15, // SLIP_BSDOS
        103 => 16, // PPP_BSDOS
        _ => linkType,
    };

    private static IntPtr OpenDead(int linkType)
    {
        IntPtr pcap;
        try
        {
            pcap = LibpcapNative.pcap_open_dead(DltFromLinkType(linkType), CompileSnaplen);
        }
        catch (DllNotFoundException e)
        {
            throw new LibpcapMissingException(e);
        }

        if (pcap == IntPtr.Zero)
        {
            throw new FilterCompileException(string.Empty, $"libpcap cannot compile filters for link type {linkType}");
        }

        return pcap;
    }
}
