using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using VirtCapture.Daemon;
using VirtCapture.Management;
using VirtCapture.Management.Contracts;
using VirtCapture.Panel;

namespace VirtCapture.Management.Endpoints;

/// <summary>GET /api/status: the box now, from its one snapshot, with the panel, the files and the capacity advice.</summary>
internal static class StatusEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/status", Status);
    }

    private static IResult Status(CaptureService capture, FrontPanel panel, CaptureCatalog catalog, Vm.VmObserver vms, IOptions<Vm.VmOptions> vmOptions)
    {
        var now = capture.Snapshot();
        var ports = PortStatuses.Of(now);
        var files = catalog.List();
        var inventory = vms.Inventory.Snapshot();
        var ringBytes = files.Sum(f => f.Size);
        var storage = new StorageStatus(capture.Storage.Directory, now.DiskFree, now.DiskTotal, Math.Round(now.DiskUsedPercent, 1), files.Count, ringBytes, capture.Protection.Names, now.RingStopped);
        return Results.Ok(new StatusResponse(
            now.Activity.ToString().ToLowerInvariant(),
            now.Fault,
            now.SafeToUnplug,
            capture.Capture.Mode,
            capture.Capture.Backend,
            capture.Capture.Filter,
            capture.Capture.Snaplen,
            now.CurrentFile,
            ports,
            storage,
            panel.Leds,
            panel.Board.Name,
            Vm.CapacityAdvisor.ForRing(inventory, capture.Storage, now.DiskFree, now.DiskTotal, ringBytes, capture.Capture.Snaplen, vmOptions.Value.TargetRetentionHours),
            (long)(DateTimeOffset.UtcNow - capture.StartedAt).TotalSeconds,
            typeof(ManagementApi).Assembly.GetName().Version?.ToString(3),
            new VmInventoryStatus(inventory.Count, Vm.VmInventory.MaxEntries, vms.Inventory.UntrackedFrames),
            now.Collector));
    }
}
