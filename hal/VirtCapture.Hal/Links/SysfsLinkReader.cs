using System.Buffers.Text;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Hal.Links;

/// <summary>
/// Reads a Linux interface's link state from /sys/class/net, and counts its changes. The capture thread refreshes it
/// ten times a second for as long as the box captures, so the two attributes stay open (<see cref="SysfsAttribute"/>):
/// opening them by path each time was most of an idle box's capture thread (make bench-live's profile).
/// </summary>
public sealed class SysfsLinkReader : IDisposable
{
    private readonly SysfsAttribute _operstate;
    private readonly SysfsAttribute _carrier;
    private readonly SysfsAttribute _speed;
    private PortLink _state;

    /// <summary>Creates a reader for <paramref name="iface"/>.</summary>
    public SysfsLinkReader(string iface, string sysClassNet = "/sys/class/net")
    {
        Interface = iface;
        var root = Path.Combine(sysClassNet, iface);
        _operstate = new SysfsAttribute(Path.Combine(root, "operstate"));
        _carrier = new SysfsAttribute(Path.Combine(root, "carrier"));
        _speed = new SysfsAttribute(Path.Combine(root, "speed"));
        _state = new PortLink(ReadUp(), ReadSpeed(), 0);
    }

    /// <summary>The interface.</summary>
    public string Interface { get; }

    /// <summary>The last state read.</summary>
    public PortLink State => _state;

    /// <summary>Reads the state again; returns true when up/down changed.</summary>
    public bool Refresh()
    {
        var up = ReadUp();
        if (up == _state.Up)
        {
            return false;
        }

        _state = new PortLink(up, up ? ReadSpeed() : 0, _state.Changes + 1);
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _operstate.Dispose();
        _carrier.Dispose();
        _speed.Dispose();
    }

    private bool ReadUp()
    {
        // operstate is "up" only with carrier; carrier alone can read as an error while the interface is down.
        Span<byte> value = stackalloc byte[32];
        var length = _operstate.Read(value);
        if (length < 0 || !(value[..length].SequenceEqual("up"u8) || value[..length].SequenceEqual("unknown"u8)))
        {
            return false;
        }

        length = _carrier.Read(value);
        return length > 0 && value[..length].SequenceEqual("1"u8);
    }

    private int ReadSpeed()
    {
        Span<byte> value = stackalloc byte[32];
        var length = _speed.Read(value);
        return length > 0 && Utf8Parser.TryParse(value[..length], out int speed, out var consumed) && consumed == length && speed > 0 ? speed : 0;
    }
}
