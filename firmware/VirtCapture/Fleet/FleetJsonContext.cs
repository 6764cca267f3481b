using System.Text.Json.Serialization;
using VirtCapture.Vm;

namespace VirtCapture.Fleet;

/// <summary>The fleet's messages, serialized by generated code (camelCase, like the API).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FleetState))]
[JsonSerializable(typeof(FleetStatus))]
[JsonSerializable(typeof(FleetEvent))]
[JsonSerializable(typeof(VmLocation))]
[JsonSerializable(typeof(FleetReply))]
[JsonSerializable(typeof(IReadOnlyList<VmView>))]
internal sealed partial class FleetJsonContext : JsonSerializerContext;
