namespace VirtCapture.Panel;

/// <summary>
/// Decides each press of a holdable button exactly once, as a press or a hold. Iot.Device.Button reports a hold from a
/// thread-pool timer; on a box busy capturing that timer can run after the release, when the library has already
/// called the press a plain one. So the release decides by the time the button was really down, and the hold timer
/// only decides first when it runs while the button is still down.
/// </summary>
internal sealed class HoldDecision
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _hold;
    private long _downAt;

    // 1 while no press is under way or this one is decided; Down opens a press, the first decision closes it.
    private int _decided = 1;

    /// <summary>A decision for a button held <paramref name="hold"/> or longer.</summary>
    public HoldDecision(TimeProvider time, TimeSpan hold)
    {
        _time = time;
        _hold = hold;
    }

    /// <summary>The button went down.</summary>
    public void Down()
    {
        Volatile.Write(ref _downAt, _time.GetTimestamp());
        Volatile.Write(ref _decided, 0);
    }

    /// <summary>The library's hold timer ran.</summary>
    public ButtonGesture HoldTimer() => Decide() ? ButtonGesture.Hold : ButtonGesture.None;

    /// <summary>The button came up.</summary>
    public ButtonGesture Up()
    {
        if (!Decide())
        {
            return ButtonGesture.None;
        }

        return _time.GetElapsedTime(Volatile.Read(ref _downAt)) >= _hold ? ButtonGesture.Hold : ButtonGesture.Press;
    }

    private bool Decide() => Interlocked.Exchange(ref _decided, 1) == 0;
}
