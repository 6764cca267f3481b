using System.Text.Json.Serialization;
using VirtCapture.Configuration;
using VirtCapture.Panel;
using VirtCapture.Vm;

namespace VirtCapture.Management.Contracts;

/// <summary>
/// Every type the firmware reads or writes as JSON, serialized by generated code: no reflection, so the trimmed
/// build keeps working.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, WriteIndented = false)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(StateResponse))]
[JsonSerializable(typeof(ConfigResponse))]
[JsonSerializable(typeof(ButtonResponse))]
[JsonSerializable(typeof(StartRequest))]
[JsonSerializable(typeof(FollowRequest))]
[JsonSerializable(typeof(FollowResponse))]
[JsonSerializable(typeof(Fleet.FleetView))]
[JsonSerializable(typeof(ButtonRequest))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(InventoryOutput))]
[JsonSerializable(typeof(IReadOnlyList<CaptureFileSummary>))]
[JsonSerializable(typeof(IReadOnlyList<VmView>))]
[JsonSerializable(typeof(IReadOnlyList<VmEvent>))]
[JsonSerializable(typeof(BoardDefinition))]
[JsonSerializable(typeof(CaptureOptions))]
[JsonSerializable(typeof(StorageOptions))]
[JsonSerializable(typeof(PanelOptions))]
[JsonSerializable(typeof(List<CatalogIndexEntry>))]
[JsonSerializable(typeof(Triggers.Incident))]
[JsonSerializable(typeof(List<Extcap.ExtcapBox>))]
[JsonSerializable(typeof(Extcap.ExtcapFleet))]
[JsonSerializable(typeof(IReadOnlyList<Triggers.Incident>))]
[JsonSerializable(typeof(Live.LiveSample))]
[JsonSerializable(typeof(Live.LiveMarker))]
// Results.Problem's body: without it, a 503 (live streams full, capture busy, broker away) became a 500 in the Native AOT build.
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
internal sealed partial class FirmwareJsonContext : JsonSerializerContext;
