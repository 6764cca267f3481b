using VirtCapture.Configuration;

namespace VirtCapture.Management.Contracts;

/// <summary>GET and PUT /api/config.</summary>
public sealed record ConfigResponse(CaptureOptions Capture, StorageOptions Storage, PanelOptions? Panel, ManagementView? Management, string? State);
