using System.Text;
using VirtCapture.Hal.Frames;
using VirtCapture.Pipeline;

namespace VirtCapture.Triggers;

/// <summary>
/// The frame triggers on the capture thread. Every frame runs one program, the union of all rules (and of the
/// capture filter where the kernel did not apply it), so five rules cost about one filter; only a frame that matches
/// it is tried against each rule. A rule that fires comments its frame and is handed to <see cref="Fired"/>.
/// </summary>
internal sealed unsafe class TriggerAnnotator : IFrameAnnotator, IDisposable
{
    private readonly TriggerRule[] _rules;
    private readonly FrameMatcher _any;
    private readonly FrameMatcher[] _each;
    private readonly TriggerCount[] _counts;
    private readonly byte[][] _comments;

    /// <summary>Compiles the rules that match frames.</summary>
    /// <param name="rules">Every rule; those that fire on events are left out here.</param>
    /// <param name="captureFilter">The capture filter as compiled, applied here too when the kernel did not apply it.</param>
    /// <param name="filteredInKernel">True when every frame the source lends has passed the capture filter.</param>
    /// <param name="fired">Called on the capture thread when a rule fires; must not block.</param>
    public TriggerAnnotator(IEnumerable<TriggerRule> rules, string captureFilter, bool filteredInKernel, Action<TriggerFire> fired)
    {
        _rules = rules.Where(r => r.Event == TriggerEvent.None).ToArray();
        Fired = fired;
        var union = string.Join(" or ", _rules.Select(r => $"({r.Filter})"));
        _any = FrameMatcher.AfterCaptureFilter(union, captureFilter, filteredInKernel);
        _each = new FrameMatcher[_rules.Length];
        try
        {
            for (var i = 0; i < _rules.Length; i++)
            {
                _each[i] = new FrameMatcher(_rules[i].Filter);
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        _counts = _rules.Select(r => new TriggerCount(r)).ToArray();
        _comments = _rules.Select(r => Encoding.UTF8.GetBytes($"TRIGGER {r.Name}: {r.Describe()}")).ToArray();
    }

    /// <summary>True when there is a rule to run.</summary>
    public bool HasRules => _rules.Length > 0;

    /// <summary>Where fired rules go.</summary>
    public Action<TriggerFire> Fired { get; }

    /// <summary>Matches of each rule so far, and how many of them a hold-off merged into an incident already started.</summary>
    public IEnumerable<(string Rule, long Matches, long Merged)> Counts() => _rules.Select((r, i) => (r.Name, _counts[i].Matches, _counts[i].Merged));

    /// <inheritdoc/>
    public void Annotate(in FrameBatch batch, IReadOnlyList<CapturePort> ports, FrameComments comments)
    {
        var frames = batch.Frames;
        var region = batch.Data;
        fixed (byte* data = region)
        {
            for (var i = 0; i < frames.Length; i++)
            {
                ref readonly var frame = ref frames[i];
                if (!_any.Matches(data, frame, region, ports))
                {
                    continue;
                }

                var bytes = batch.Bytes(frame);
                for (var r = 0; r < _each.Length; r++)
                {
                    if (_each[r].Matches(frame, bytes, ports) && _counts[r].Hit(frame.TimestampNs))
                    {
                        comments.Add(i, _comments[r]);
                        Fired(new TriggerFire(_rules[r], frame.TimestampNs, frame.Port));
                    }
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _any.Dispose();
        foreach (var each in _each)
        {
            each?.Dispose();
        }
    }
}
