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
        var storage = new StorageStatus(capture.Storage.Directory, now.DiskFree, now.DiskTotal, Math.Round(now.DiskUsedPercent, 1), files.Count, files.Sum(f => f.Size), capture.Protection.Names, now.RingStopped);
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
            Capacity(capture, inventory, vmOptions.Value, now, files),
            (long)(DateTimeOffset.UtcNow - capture.StartedAt).TotalSeconds,
            typeof(ManagementApi).Assembly.GetName().Version?.ToString(3),
            new VmInventoryStatus(inventory.Count, Vm.VmInventory.MaxEntries, vms.Inventory.UntrackedFrames),
            now.Collector));
    }

    private static Vm.CapacityAdvice Capacity(CaptureService capture, IReadOnlyList<Vm.VmView> inventory, Vm.VmOptions options, BoxSnapshot now, IReadOnlyList<CaptureFileSummary> files)
    {
        var (free, total) = (now.DiskFree, now.DiskTotal);
        var fps = inventory.Where(v => !v.Gone).Sum(v => v.FramesPerSecond);
        var bytesPerSecond = inventory.Where(v => !v.Gone).Sum(v => v.BytesPerSecond);
        var floor = (long)(total * capture.Storage.MinFreePercent / 100);
        var usable = Math.Max(0, free - floor) + files.Sum(f => f.Size);
        var storage = capture.Storage;
        if (storage.MaxFiles > 0 && storage.FileSizeMB > 0)
        {
            usable = Math.Min(usable, storage.MaxFiles * storage.FileSizeMB * 1_000_000L);
        }

        var maxHours = storage.MaxFiles > 0 && storage.FileDurationSeconds > 0 ? storage.MaxFiles * (double)storage.FileDurationSeconds / 3600 : double.PositiveInfinity;
        return Vm.CapacityAdvisor.Advise(fps, fps > 0 ? bytesPerSecond / fps : 0, usable, capture.Capture.Snaplen, options.TargetRetentionHours, inventory, maxHours);
    }
}
