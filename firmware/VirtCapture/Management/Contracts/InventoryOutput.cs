using VirtCapture.Vm;

namespace VirtCapture.Management.Contracts;

/// <summary><c>virtcapture inventory --json</c>.</summary>
public sealed record InventoryOutput(IReadOnlyList<VmView> Vms, IReadOnlyList<VmEvent> Events);
