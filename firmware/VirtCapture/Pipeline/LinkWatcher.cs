using System.Globalization;
using Microsoft.Extensions.Logging;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>
/// Capture thread: notices a port's link going down or coming back, logs it, and gives the comment that records it
/// in the file at that instant ("link down on port A", "link up on port A after 3.2 s down, 1000 Mb/s").
/// </summary>
internal sealed class LinkWatcher
{
    private readonly IFrameSource _source;
    private readonly ILogger _log;
    private readonly PortLink[] _links;
    private readonly long[] _downSince;

    public LinkWatcher(IFrameSource source, ILogger log)
    {
        _source = source;
        _log = log;
        _links = Enumerable.Range(0, source.Ports.Count).Select(source.GetLink).ToArray();
        _downSince = new long[_links.Length];
    }

    /// <summary>Looks at every port; calls <paramref name="record"/> with a comment block for each change.</summary>
    public void Check(long nowNs, Action<byte[]> record)
    {
        for (var p = 0; p < _links.Length; p++)
        {
            var link = _source.GetLink(p);
            if (link.Up == _links[p].Up)
            {
                continue;
            }

            _links[p] = link;
            var port = _source.Ports[p];
            string detail;
            if (link.Up)
            {
                var speed = link.SpeedMbps > 0 ? $", {link.SpeedMbps} Mb/s" : string.Empty;
                detail = _downSince[p] > 0
                    ? string.Create(CultureInfo.InvariantCulture, $" after {(nowNs - _downSince[p]) / 1e9:F1} s down{speed}")
                    : speed;
            }
            else
            {
                _downSince[p] = nowNs;
                detail = ": frames on this port are not seen until it comes back";
            }

            var state = link.Up ? "up" : "down";
            Log.LinkChanged(_log, state, port.Description, detail);
            record(PcapngBlocks.CommentPacket(p, nowNs, $"link {state} on port {port.Name}{detail}"));
        }
    }
}
