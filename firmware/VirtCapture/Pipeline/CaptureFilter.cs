using System.Runtime.CompilerServices;
using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>
/// Stage 2 of the data path (frame source → <b>filter</b> → slicer → buffer → pcapng writer → ring files): the
/// capture filter, compiled by libpcap once per link type. Sources that filter in the kernel skip this stage.
/// </summary>
internal sealed class CaptureFilter : IDisposable
{
    private readonly BpfFilterProgram?[] _byPort;
    private readonly List<BpfFilterProgram> _programs = [];
    private readonly IFrameCheck? _check;

    /// <summary>Compiles the user's <paramref name="expression"/> alone for every port's link type.</summary>
    /// <exception cref="FilterCompileException">The filter is invalid for one of the ports.</exception>
    public CaptureFilter(string? expression, IReadOnlyList<CapturePort> ports, bool appliedInKernel)
        : this(EffectiveFilter.Plain(expression), ports, appliedInKernel)
    {
    }

    /// <summary>Compiles the capture's <paramref name="filter"/> for every port's link type.</summary>
    /// <exception cref="FilterCompileException">The filter is invalid for one of the ports.</exception>
    public CaptureFilter(EffectiveFilter filter, IReadOnlyList<CapturePort> ports, bool appliedInKernel)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(ports);
        _check = filter.Check;
        Expression = filter.Recorded;
        var compiled = filter.Compiled;
        Compiled = compiled;
        _byPort = new BpfFilterProgram?[ports.Count];
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                var existing = _programs.Find(p => p.LinkType == ports[i].LinkType);
                if (existing is null)
                {
                    // Compile even when the kernel applies it: a bad filter must be refused before anything starts.
                    existing = BpfFilterProgram.Compile(compiled, ports[i].LinkType);
                    _programs.Add(existing);
                }

                _byPort[i] = appliedInKernel || existing.AcceptsAll ? null : existing;
            }

            AcceptsAll = _check is null && Array.TrueForAll(_byPort, p => p is null);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The effective filter: the user's, narrowed to the selected VMs ("" = everything).</summary>
    public string Expression { get; }

    /// <summary>The filter as compiled (the VM selection included), for checks that must agree with it.</summary>
    public string Compiled { get; }

    /// <summary>True when nothing is left to check in user space (no filter, or the kernel applies it).</summary>
    public bool AcceptsAll { get; }

    /// <summary>True when the frame passes the filter (or no user-space filtering applies to its port).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Accepts(in FrameRecord frame, ReadOnlySpan<byte> bytes)
    {
        var program = _byPort[frame.Port];
        return (program is null || program.Matches(bytes, frame.WireLength)) && (_check is null || _check.Accepts(frame, bytes));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var program in _programs)
        {
            program.Dispose();
        }

        _programs.Clear();
    }
}
