using System.Globalization;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Hal.Links;

/// <summary>Reads a Linux interface's link state from /sys/class/net, and counts its changes.</summary>
public sealed class SysfsLinkReader
{
    private readonly string _root;
    private PortLink _state;

    /// <summary>Creates a reader for <paramref name="iface"/>.</summary>
    public SysfsLinkReader(string iface, string sysClassNet = "/sys/class/net")
    {
        Interface = iface;
        _root = Path.Combine(sysClassNet, iface);
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

    private bool ReadUp()
    {
        // operstate is "up" only with carrier; carrier alone can read as an error while the interface is down.
        return Read("operstate") is "up" or "unknown" && Read("carrier") == "1";
    }

    private int ReadSpeed() =>
        int.TryParse(Read("speed"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var speed) && speed > 0 ? speed : 0;

    private string? Read(string name)
    {
        try
        {
            return File.ReadAllText(Path.Combine(_root, name)).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
