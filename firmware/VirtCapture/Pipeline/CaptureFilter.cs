using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>
/// Stage 2 of the data path (frame source → <b>filter</b> → slicer → buffer → pcapng writer → ring files): the
/// capture filter, compiled by libpcap once per link type. Sources that filter in the kernel skip this stage.
/// </summary>
public sealed class CaptureFilter : IDisposable
{
    private readonly BpfFilterProgram?[] _byPort;
    private readonly List<BpfFilterProgram> _programs = [];

    /// <summary>Compiles <paramref name="expression"/> for every port's link type.</summary>
    /// <exception cref="FilterCompileException">The filter is invalid for one of the ports.</exception>
    public CaptureFilter(string? expression, IReadOnlyList<CapturePort> ports, bool appliedInKernel)
    {
        ArgumentNullException.ThrowIfNull(ports);
        Expression = (expression ?? string.Empty).Trim();
        _byPort = new BpfFilterProgram?[ports.Count];
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                var existing = _programs.Find(p => p.LinkType == ports[i].LinkType);
                if (existing is null)
                {
                    // Compile even when the kernel applies it: a bad filter must be refused before anything starts.
                    existing = BpfFilterProgram.Compile(Expression, ports[i].LinkType);
                    _programs.Add(existing);
                }

                _byPort[i] = appliedInKernel || existing.AcceptsAll ? null : existing;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The filter as written by the user ("" = everything).</summary>
    public string Expression { get; }

    /// <summary>True when the frame passes the filter (or no user-space filtering applies to its port).</summary>
    public bool Accepts(in FrameRecord frame, ReadOnlySpan<byte> bytes)
    {
        var program = _byPort[frame.Port];
        return program is null || program.Matches(bytes, frame.WireLength);
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
