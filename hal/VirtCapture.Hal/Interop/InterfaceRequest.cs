using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>
/// <c>struct ifreq</c> (include/uapi/linux/if.h) in the form the ethtool and hardware-timestamp ioctls use: the
/// interface name and a pointer to the request's data, padded to the union's 24 bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct InterfaceRequest
{
    /// <summary>IFNAMSIZ.</summary>
    public const int NameSize = 16;

    /// <summary>The interface name, NUL-terminated.</summary>
    public fixed byte Name[NameSize];

    /// <summary>ifr_data: the request's own struct.</summary>
    public void* Data;

    /// <summary>The rest of the union.</summary>
    public fixed byte Padding[16];

    /// <summary>A request for <paramref name="iface"/> carrying <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The name does not fit IFNAMSIZ.</exception>
    public static InterfaceRequest For(string iface, void* data)
    {
        var request = new InterfaceRequest { Data = data };
        var bytes = System.Text.Encoding.ASCII.GetBytes(iface);
        if (bytes.Length >= NameSize)
        {
            throw new ArgumentException($"interface name '{iface}' is longer than {NameSize - 1} characters", nameof(iface));
        }

        bytes.CopyTo(new Span<byte>(request.Name, NameSize));
        return request;
    }
}
