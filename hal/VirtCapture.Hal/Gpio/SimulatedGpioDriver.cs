using System.Collections.Concurrent;
using System.Device.Gpio;

namespace VirtCapture.Hal.Gpio;

/// <summary>
/// The simulated board's GPIO: a real <see cref="GpioDriver"/> over memory, so the real GpioController and
/// GpioButton code runs on top of it. Outputs (LEDs) are recorded and announced; inputs (buttons) are driven by
/// <see cref="SetInput"/>, which raises edges exactly as a chip would.
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly ConcurrentDictionary<int, Pin> _pins = new();

    /// <summary>Raised after every write to an output pinNumber (pinNumber, value).</summary>
    public event Action<int, PinValue>? OutputWritten;

    /// <inheritdoc/>
    protected override int PinCount => 256;

    /// <summary>The value last written to, or read from, a pinNumber.</summary>
    public PinValue Value(int pinNumber) => _pins.TryGetValue(pinNumber, out var p) ? p.Value : PinValue.Low;

    /// <summary>True when the pinNumber is open.</summary>
    public bool IsOpen(int pinNumber) => _pins.ContainsKey(pinNumber);

    /// <summary>Drives an input pinNumber, raising the rising or falling edge the change makes.</summary>
    /// <exception cref="InvalidOperationException">The pinNumber is not open as an input.</exception>
    public void SetInput(int pinNumber, PinValue value)
    {
        if (!_pins.TryGetValue(pinNumber, out var p) || p.Mode is PinMode.Output)
        {
            throw new InvalidOperationException($"GPIO line {pinNumber} is not open as an input");
        }

        List<(PinEventTypes Types, PinChangeEventHandler Handler)> callbacks;
        lock (p)
        {
            if (p.Value == value)
            {
                return;
            }

            p.Value = value;
            callbacks = [.. p.Callbacks];
            p.Edge.Release();
        }

        var edge = value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
        foreach (var (types, handler) in callbacks)
        {
            if ((types & edge) != 0)
            {
                handler(this, new PinValueChangedEventArgs(edge, pinNumber));
            }
        }
    }

    /// <inheritdoc/>
    protected override void OpenPin(int pinNumber) => _pins.TryAdd(pinNumber, new Pin());

    /// <inheritdoc/>
    protected override void ClosePin(int pinNumber)
    {
        if (_pins.TryRemove(pinNumber, out var p))
        {
            p.Edge.Dispose();
        }
    }

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        var p = Get(pinNumber);
        p.Mode = mode;
        // Pull resistors settle an unconnected input, as on the chip.
        if (mode == PinMode.InputPullUp)
        {
            p.Value = PinValue.High;
        }
        else if (mode == PinMode.InputPullDown)
        {
            p.Value = PinValue.Low;
        }
    }

    /// <inheritdoc/>
    protected override PinMode GetPinMode(int pinNumber) => Get(pinNumber).Mode;

    /// <inheritdoc/>
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    /// <inheritdoc/>
    protected override PinValue Read(int pinNumber) => Get(pinNumber).Value;

    /// <inheritdoc/>
    protected override void Write(int pinNumber, PinValue value)
    {
        Get(pinNumber).Value = value;
        OutputWritten?.Invoke(pinNumber, value);
    }

    /// <inheritdoc/>
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        var p = Get(pinNumber);
        while (true)
        {
            try
            {
                p.Edge.Wait(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return new WaitForEventResult { TimedOut = true, EventTypes = PinEventTypes.None };
            }

            var edge = p.Value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            if ((eventTypes & edge) != 0)
            {
                return new WaitForEventResult { TimedOut = false, EventTypes = edge };
            }
        }
    }

    /// <inheritdoc/>
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        var p = Get(pinNumber);
        lock (p)
        {
            p.Callbacks.Add((eventTypes, callback));
        }
    }

    /// <inheritdoc/>
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        var p = Get(pinNumber);
        lock (p)
        {
            p.Callbacks.RemoveAll(c => c.Handler == callback);
        }
    }

    private Pin Get(int pinNumber) => _pins.TryGetValue(pinNumber, out var p) ? p : throw new InvalidOperationException($"GPIO line {pinNumber} is not open");

    private sealed class Pin
    {
        public PinMode Mode { get; set; } = PinMode.Input;

        public PinValue Value { get; set; } = PinValue.Low;

        public List<(PinEventTypes Types, PinChangeEventHandler Handler)> Callbacks { get; } = [];

        public SemaphoreSlim Edge { get; } = new(0);
    }
}
