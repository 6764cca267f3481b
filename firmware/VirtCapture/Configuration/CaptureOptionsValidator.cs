using Microsoft.Extensions.Options;
using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Frames;
using VirtCapture.Pipeline;

using VirtCapture.Collector;

namespace VirtCapture.Configuration;

/// <summary>Checks the <c>Capture</c> section at start; each failure names the key and what is allowed.</summary>
internal sealed class CaptureOptionsValidator : IValidateOptions<CaptureOptions>
{
    public ValidateOptionsResult Validate(string? name, CaptureOptions options)
    {
        var failures = new List<string>();
        OneOf(failures, "Capture:Mode", options.Mode, CaptureOptions.Modes);
        OneOf(failures, "Capture:Backend", options.Backend, CaptureOptions.Backends);
        if (Slicer.Problem(options.Snaplen, "Capture:Snaplen") is { } snaplen)
        {
            failures.Add(snaplen);
        }

        if (options.BufferMB is < 4 or > 4096)
        {
            failures.Add($"Capture:BufferMB must be between 4 and 4096, got {options.BufferMB}");
        }

        if (options.RingMB is < 1 or > 1000)
        {
            failures.Add($"Capture:RingMB must be between 1 and 1000, got {options.RingMB}");
        }

        if (options.Backend.Equals("Replay", StringComparison.OrdinalIgnoreCase) && options.ReplayFile.Length == 0)
        {
            failures.Add("Capture:ReplayFile must name a pcap or pcapng file when Capture:Backend is Replay");
        }

        // Written so that NaN fails too (every comparison with NaN is false).
        if (!(options.SyntheticRate is > 0 and <= 10_000_000))
        {
            failures.Add($"Capture:SyntheticRate must be between 0 and 10000000 frames per second, got {options.SyntheticRate}");
        }

        for (var i = 0; i < options.Ports.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Ports[i].Name))
            {
                failures.Add($"Capture:Ports:{i}:Name must not be empty");
            }
        }

        if (options.IsCollector)
        {
            Collector(failures, options);
        }

        try
        {
            Vm.VmSelection.Parse(options.Vms);
        }
        catch (UserErrorException e)
        {
            failures.Add(e.Message);
        }

        try
        {
            Triggers.TriggerRule.ParseAll(options.Triggers, "Capture:Triggers");
            Triggers.StopCondition.Parse(options.StopAfter, "Capture:StopAfter");
        }
        catch (UserErrorException e)
        {
            failures.Add(e.Message);
        }
        catch (LibpcapMissingException)
        {
            // As for the capture filter below.
        }

        try
        {
            if (failures.Count == 0 && BpfFilterProgram.Check(options.Filter, CapturePort.Ethernet) is { } reason)
            {
                failures.Add($"Capture:Filter '{options.Filter}' is not a valid capture filter: {reason}");
            }
        }
        catch (LibpcapMissingException)
        {
            // Not a configuration mistake: the capture start reports it, and the FAULT LED shows it.
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static void OneOf(List<string> failures, string key, string value, string[] allowed)
    {
        if (!allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"{key} must be one of {string.Join(", ", allowed)}, got '{value}'");
        }
    }

    private static void Collector(List<string> failures, CaptureOptions options)
    {
        var collector = options.Collector!;
        if (CollectorAddress.TryParse(collector.Address) is null)
        {
            failures.Add($"Capture:Collector:Address must be an address with its prefix length, like 192.0.2.10/24 or 2001:db8::10/64, got '{collector.Address}'");
        }

        if (collector.OnManagementPort)
        {
            if (!PortOptions.IsInterfaceName(collector.Interface))
            {
                failures.Add($"Capture:Collector:Interface must name the management port's interface (like eth0) when Capture:Collector:Port is {CollectorOptions.ManagementPort}, got '{collector.Interface}'");
            }
        }
        else if (!options.Ports.Any(p => p.Name == collector.Port))
        {
            failures.Add($"Capture:Collector:Port must name one of Capture:Ports ({string.Join(", ", options.Ports.Select(p => p.Name))}) or {CollectorOptions.ManagementPort}, got '{collector.Port}'");
        }

        if (!options.Mode.Equals(nameof(CaptureMode.Monitor), StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("Capture:Collector needs Capture:Mode Monitor: a collector receives mirror sessions, it does not sit inline");
        }

        if (CollectorOptions.DedupProblem(collector.DedupWindowMs, "Capture:Collector:DedupWindowMs") is { } dedup)
        {
            failures.Add(dedup);
        }

        if (collector.MaxSessions is < 1 or > Hal.Replay.PcapngFormat.MaxInterfaces)
        {
            failures.Add($"Capture:Collector:MaxSessions must be between 1 and {Hal.Replay.PcapngFormat.MaxInterfaces}, got {collector.MaxSessions}");
        }

        foreach (var session in collector.Sessions)
        {
            if (!VirtCapture.Collector.MirrorSession.TryParse(session, out _))
            {
                failures.Add($"Capture:Collector:Sessions: '{session}' is not KIND-ID@SOURCE with KIND one of erspan1, erspan2, erspan3, gre, vxlan, geneve");
            }
        }
    }
}
