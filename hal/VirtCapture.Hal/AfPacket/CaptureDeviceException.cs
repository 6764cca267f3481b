namespace VirtCapture.Hal.AfPacket;

/// <summary>A capture port could not be opened or read; names the port, the interface, the call and the errno.</summary>
public sealed class CaptureDeviceException : VirtCaptureException
{
    /// <summary>Creates the exception.</summary>
    public CaptureDeviceException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CaptureDeviceException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CaptureDeviceException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Builds the message from the failing call and errno.</summary>
    public static CaptureDeviceException FromErrno(string port, string iface, string call)
    {
        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        var text = System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);
        var hint = errno == 1 ? " (capturing needs root or CAP_NET_RAW)" : string.Empty;
        return new CaptureDeviceException($"port {port} ({iface}): {call} failed: {text} (errno {errno}){hint}");
    }

    /// <inheritdoc/>
    public override bool IsUserError => false;
}
