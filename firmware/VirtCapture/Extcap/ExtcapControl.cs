using System.Buffers.Binary;
using System.Text;

namespace VirtCapture.Extcap;

/// <summary>
/// Wireshark's extcap control pipes (doc/extcap.adoc, "Interface toolbar"): messages <c>'T' 0 LEN(u16, big-endian)
/// CONTROL COMMAND payload</c>, LEN counting the control and command bytes. The extcap writes the status bar and its
/// log through <c>--extcap-control-out</c>; what Wireshark writes to <c>--extcap-control-in</c> is read and left, so
/// Wireshark never blocks on it. Without the pipes (tshark) every call does nothing.
/// </summary>
internal sealed class ExtcapControl : IAsyncDisposable
{
    /// <summary>The log control this extcap declares.</summary>
    public const byte LogControl = 0;

    private const byte NoControl = 255;
    private const byte CommandAdd = 2;
    private const byte CommandStatusBar = 6;

    private readonly FileStream? _out;
    private readonly Task _drain = Task.CompletedTask;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _turn = new(1, 1);

    private ExtcapControl(FileStream? output, string? input)
    {
        _out = output;
        if (input is not null)
        {
            _drain = Task.Run(() => DrainAsync(input, _stop.Token));
        }
    }

    /// <summary>Opens the pipes Wireshark passed (either may be null).</summary>
    /// <exception cref="UserErrorException">A pipe cannot be opened.</exception>
    public static ExtcapControl Open(string? controlOut, string? controlIn)
    {
        try
        {
            return new ExtcapControl(controlOut is { Length: > 0 } path ? new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0) : null, controlIn is { Length: > 0 } ? controlIn : null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"extcap: cannot open the control pipe {controlOut}: {e.Message}");
        }
    }

    /// <summary>Shows <paramref name="text"/> in Wireshark's status bar and adds it to the box log.</summary>
    public async Task TellAsync(string text, CancellationToken cancel)
    {
        await SendAsync(NoControl, CommandStatusBar, text, cancel).ConfigureAwait(false);
        await SendAsync(LogControl, CommandAdd, $"{DateTime.Now:HH:mm:ss} {text}\n", cancel).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_out is not null)
        {
            await _out.DisposeAsync().ConfigureAwait(false);
        }

        // The drain is not awaited: a pipe Wireshark never opened keeps its open() waiting, and the process is ending.
        _ = _drain;
        _turn.Dispose();
    }

    /// <summary>One message as Wireshark reads it.</summary>
    public static byte[] Message(byte control, byte command, string payload)
    {
        var text = Encoding.UTF8.GetBytes(payload);
        var message = new byte[6 + text.Length];
        message[0] = (byte)'T';
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), checked((ushort)(text.Length + 2)));
        message[4] = control;
        message[5] = command;
        text.CopyTo(message, 6);
        return message;
    }

    private async Task SendAsync(byte control, byte command, string payload, CancellationToken cancel)
    {
        if (_out is null)
        {
            return;
        }

        await _turn.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            await _out.WriteAsync(Message(control, command, payload), cancel).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Wireshark closed its end: the capture is ending.
        }
        finally
        {
            _turn.Release();
        }
    }

    private static async Task DrainAsync(string path, CancellationToken cancel)
    {
        try
        {
            await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, useAsync: false);
            var buffer = new byte[4096];
            while (await input.ReadAsync(buffer, cancel).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or UnauthorizedAccessException)
        {
            // Nothing Wireshark sends changes the capture.
        }
    }
}
