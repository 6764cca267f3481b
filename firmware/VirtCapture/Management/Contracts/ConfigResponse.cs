using VirtCapture.Configuration;

namespace VirtCapture.Management.Contracts;

/// <summary>GET and PUT /api/config; <c>Sources</c> says where each setting the API may change comes from.</summary>
public sealed record ConfigResponse(CaptureOptions Capture, StorageOptions Storage, PanelOptions? Panel, ManagementView? Management, string? State, IReadOnlyDictionary<string, string>? Sources = null, string? SavedTo = null);
