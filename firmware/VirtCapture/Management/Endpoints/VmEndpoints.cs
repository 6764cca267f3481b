using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VirtCapture.Management.Contracts;

namespace VirtCapture.Management.Endpoints;

/// <summary>The VM inventory and its events.</summary>
internal static class VmEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/vms", (Vm.VmObserver vms) => Results.Ok(vms.Inventory.Snapshot()));
        api.MapGet("/events", (Vm.VmObserver vms) => Results.Ok(vms.Inventory.Events()));
    }
}
