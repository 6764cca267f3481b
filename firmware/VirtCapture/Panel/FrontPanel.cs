using System.Device.Gpio;
using Iot.Device.Button;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtCapture.Configuration;
using VirtCapture.Daemon;

namespace VirtCapture.Panel;

/// <summary>
/// The front panel: LEDs driven from <see cref="LedRules"/> every 50 ms, and the START/STOP and MARK buttons
/// (Iot.Device.Button's debounced GpioButton) on the board's GPIO lines. The GpioController always gets its driver
/// injected: libgpiod on a real board, <see cref="Hal.Gpio.SimulatedGpioDriver"/> on the simulated one.
/// </summary>
internal sealed class FrontPanel : IHostedService, IDisposable
{
    // The fast blink's half period: every pattern renders exactly at this rate (slow blink every fourth tick, the
    // activity flicker at 8 Hz), and the box wakes no more often than the LEDs need.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(125);
    private static readonly TimeSpan DropHold = TimeSpan.FromSeconds(10);
    // Looked up once: the render runs eight times a second for as long as the box is on.
    private static readonly Led[] AllLeds = Enum.GetValues<Led>();

    private readonly CaptureService _capture;
    private readonly PanelOptions _options;
    private readonly GpioDriver _driver;
    private readonly TimeProvider _time;
    private readonly ILogger<FrontPanel> _log;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly long _startTimestamp;
    private readonly bool[] _lit = new bool[AllLeds.Length];
    private GpioController? _gpio;
    private BoardDefinition? _board;
    private GpioButton? _startStop;
    private GpioButton? _mark;
    // Each LED's GPIO line, indexed by Led.
    private BoardLine[] _lines = [];
    private ITimer? _timer;
    private readonly PanelLogThrottle _logThrottle = new(TimeSpan.FromSeconds(2));
    private LedPattern[] _patterns = [];
    private IReadOnlyDictionary<string, string> _leds = Describe([]);
    private long[] _lastReceived = [];
    private long _lastDropped;
    private long _lastDropAt = long.MinValue;
    private HoldDecision? _startStopHold;
    private bool _ready;
    private int _flicker;
    private int _rendering;

    public FrontPanel(CaptureService capture, IOptions<PanelOptions> options, GpioDriver driver, TimeProvider time, ILogger<FrontPanel> log, IHostApplicationLifetime? lifetime = null)
    {
        _capture = capture;
        _options = options.Value;
        _driver = driver;
        _time = time;
        _log = log;
        _lifetime = lifetime;
        _startTimestamp = time.GetTimestamp();
    }

    /// <summary>The patterns the LEDs show now, indexed by <see cref="Led"/>.</summary>
    public IReadOnlyList<LedPattern> Patterns => _patterns;

    /// <summary>Each LED by its board name with its pattern ("Off" before the first render); a new dictionary only when a pattern changes.</summary>
    public IReadOnlyDictionary<string, string> Leds => Volatile.Read(ref _leds);

    /// <summary>The board in use.</summary>
    public BoardDefinition Board => _board ?? throw new InvalidOperationException("the panel has not started");

    /// <summary>Raised after a button's action completed (for the simulated board and tests).</summary>
    public event Action<string>? ButtonHandled;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _board = BoardDefinition.Load(_options.Board);
        _gpio = new GpioController(_driver);
        _lines = [.. AllLeds.Select(led => _board.Leds[BoardDefinition.NameOf(led)])];
        foreach (var line in _lines)
        {
            _gpio.OpenPin(line.Line, PinMode.Output, line.ActiveLow ? PinValue.High : PinValue.Low);
        }

        _startStop = Button("START-STOP", holding: true);
        _startStopHold = new HoldDecision(_time, TimeSpan.FromSeconds(_options.HoldSeconds));
        _startStop.ButtonDown += (_, _) => _startStopHold.Down();
        _startStop.Press += (_, _) => OnStartStop(_startStopHold.Up());
        _startStop.Holding += (_, e) =>
        {
            if (e.HoldingState == ButtonHoldingState.Started)
            {
                OnStartStop(_startStopHold.HoldTimer());
            }
        };
        _mark = Button("MARK", holding: false);
        _mark.Press += (_, _) => Run("MARK", "pressed", () =>
        {
            _capture.Mark();
            return Task.CompletedTask;
        });
        if (_lifetime is null)
        {
            _ready = true;
        }
        else
        {
            _lifetime.ApplicationStarted.Register(() => _ready = true);
        }

        _timer = _time.CreateTimer(_ => Render(), null, TimeSpan.Zero, Tick);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        if (_gpio is not null && _board is not null)
        {
            foreach (var line in _board.Leds.Values)
            {
                _gpio.Write(line.Line, line.ActiveLow ? PinValue.High : PinValue.Low);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Gathers the firmware's state for the LED rules.</summary>
    public PanelState Snapshot()
    {
        var now = _capture.Snapshot();
        PortView? a = null, b = null;
        var dropped = 0L;
        if (now.Session is not null && now.Activity != CaptureActivity.Idle)
        {
            if (_lastReceived.Length != now.Ports.Count)
            {
                _lastReceived = new long[now.Ports.Count];
            }

            var views = new PortView[now.Ports.Count];
            for (var p = 0; p < now.Ports.Count; p++)
            {
                var counters = now.Ports[p].Counters;
                views[p] = new PortView(now.Ports[p].Link.Up, counters.Received != _lastReceived[p]);
                _lastReceived[p] = counters.Received;
                dropped += counters.Dropped;
            }

            a = views.Length > 0 ? views[0] : null;
            b = views.Length > 1 ? views[1] : null;
        }

        var time = _time.GetTimestamp();
        if (dropped > _lastDropped)
        {
            _lastDropAt = time;
        }

        _lastDropped = dropped;
        var recentDrop = _lastDropAt != long.MinValue && _time.GetElapsedTime(_lastDropAt, time) < DropHold;
        var used = now.DiskUsedPercent;
        var minFree = _capture.Storage.MinFreePercent;
        var full = now.RingStopped || (minFree > 0 && now.DiskTotal > 0 && 100 - used < minFree);
        return new PanelState(_ready, now.SafeToUnplug, now.Activity, a, b, recentDrop, used, full, now.Fault is not null);
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _startStop?.Dispose();
        _mark?.Dispose();
        _gpio?.Dispose();
    }

    private GpioButton Button(string name, bool holding)
    {
        var line = _board!.Buttons[name];
        var button = new GpioButton(
            line.Line,
            TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(_options.HoldSeconds),
            isPullUp: line.ActiveLow,
            hasExternalResistor: false,
            gpio: _gpio,
            shouldDispose: false,
            debounceTime: TimeSpan.FromMilliseconds(_options.DebounceMs))
        {
            IsHoldingEnabled = holding,
        };
        return button;
    }

    private void OnStartStop(ButtonGesture gesture)
    {
        if (gesture == ButtonGesture.Hold)
        {
            Run("START-STOP", "held: safe stop", _capture.SafeStopAsync);
        }
        else if (gesture == ButtonGesture.Press && _capture.Activity == CaptureActivity.Capturing)
        {
            Run("START-STOP", "stop", _capture.StopCaptureAsync);
        }
        else if (gesture == ButtonGesture.Press)
        {
            Run("START-STOP", "start", () =>
            {
                _capture.TryStartCapture();
                return Task.CompletedTask;
            });
        }
    }

    private void Run(string button, string action, Func<Task> work)
    {
        Log.Button(_log, button, action);
        // Button events arrive on the GPIO callback thread; the work (a stop drains buffers) must not hold it.
        _ = Task.Run(async () =>
        {
            await work().ConfigureAwait(false);
            ButtonHandled?.Invoke($"{button}: {action}");
        });
    }

    private void Render()
    {
        // Timer ticks may overlap when the machine is busy; one render at a time.
        if (_gpio is null || _board is null || Interlocked.Exchange(ref _rendering, 1) == 1)
        {
            return;
        }

        try
        {
            RenderOnce();
        }
        finally
        {
            Volatile.Write(ref _rendering, 0);
        }
    }

    private void RenderOnce()
    {

        var patterns = LedRules.Derive(Snapshot());
        var gpio = _gpio!;
        var elapsed = (long)_time.GetElapsedTime(_startTimestamp).TotalMilliseconds;
        _flicker++;
        for (var led = 0; led < _lines.Length; led++)
        {
            var lit = LedRules.IsLit(patterns[led], elapsed, (_flicker + led) % 3 != 0);
            if (lit != _lit[led] || _patterns.Length == 0)
            {
                var line = _lines[led];
                gpio.Write(line.Line, lit ^ line.ActiveLow ? PinValue.High : PinValue.Low);
                _lit[led] = lit;
            }
        }

        var changed = !patterns.AsSpan().SequenceEqual(_patterns);
        if (changed)
        {
            _patterns = patterns;
            Volatile.Write(ref _leds, Describe(patterns));
        }

        if (_logThrottle.ShouldLog(elapsed, changed))
        {
            Log.Panel(_log, string.Join(' ', AllLeds.Select(l => $"{BoardDefinition.NameOf(l)}={Name(_patterns[(int)l])}")));
        }
    }

    private static Dictionary<string, string> Describe(LedPattern[] patterns) =>
        AllLeds.ToDictionary(BoardDefinition.NameOf, led => patterns.Length > (int)led ? patterns[(int)led].ToString() : "Off", StringComparer.Ordinal);

    private static string Name(LedPattern pattern) => pattern switch
    {
        LedPattern.Steady => "on",
        LedPattern.SlowBlink => "slow-blink",
        LedPattern.FastBlink => "fast-blink",
        LedPattern.Flicker => "flicker",
        _ => "off",
    };
}
