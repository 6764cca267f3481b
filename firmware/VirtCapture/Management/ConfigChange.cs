using System.Globalization;
using System.Text.Json;
using VirtCapture.Configuration;
using VirtCapture.Management.Contracts;

namespace VirtCapture.Management;

/// <summary>
/// A change of settings asked over the API (PUT /api/config, POST /api/capture/start), read key by key. The API may
/// change what a field engineer tunes on site (filter, snaplen, VMs, rotation, retention); where the box stores its
/// files and what it captures from are set where it is installed, and are refused with the key named.
/// </summary>
internal sealed class ConfigChange
{
    /// <summary>The keys the API may change, as they are spelled in the configuration.</summary>
    public static readonly string[] Changeable =
    [
        "Capture:Filter", "Capture:Snaplen", "Capture:Vms", "Capture:Triggers", "Capture:StopAfter",
        "Storage:FileSizeMB", "Storage:FileDurationSeconds", "Storage:MaxFiles", "Storage:MinFreePercent", "Storage:OnFull",
    ];

    private ConfigChange(CaptureOptions? capture, StorageOptions? storage, Dictionary<string, object> values)
    {
        Capture = capture;
        Storage = storage;
        Values = values;
    }

    /// <summary>The capture settings after the change, or null when the request did not touch them.</summary>
    public CaptureOptions? Capture { get; }

    /// <summary>The storage settings after the change, or null when the request did not touch them.</summary>
    public StorageOptions? Storage { get; }

    /// <summary>Each changed key ("Capture:Filter") and its new value (string, int, double or string list).</summary>
    public IReadOnlyDictionary<string, object> Values { get; }

    /// <summary>Reads a PUT /api/config body; the error names the key that is wrong.</summary>
    public static ConfigChange Parse(JsonElement root, CaptureOptions currentCapture, StorageOptions currentStorage)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new UserErrorException($"the body must be a JSON object like {{\"capture\":{{\"filter\":\"udp\"}}}}, not {Describe(root)}");
        }

        CaptureOptions? capture = null;
        StorageOptions? storage = null;
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var section in root.EnumerateObject())
        {
            if (section.Name.Equals("capture", StringComparison.OrdinalIgnoreCase))
            {
                capture = currentCapture;
                ReadSection(section, "Capture", values);
            }
            else if (section.Name.Equals("storage", StringComparison.OrdinalIgnoreCase))
            {
                storage = currentStorage;
                ReadSection(section, "Storage", values);
            }
            else
            {
                throw new UserErrorException($"{section.Name}: not a setting the API changes (capture, storage)");
            }
        }

        return new ConfigChange(Apply(values, capture), Apply(values, storage), values);
    }

    /// <summary>A change of the capture's filter, snaplen and VMs (POST /api/capture/start).</summary>
    public static ConfigChange ForStart(string? filter, int? snaplen, IReadOnlyList<string?>? vms, CaptureOptions current, IReadOnlyList<string?>? sessions = null, IReadOnlyList<string?>? triggers = null, string? stopAfter = null)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        if (filter is not null)
        {
            values["Capture:Filter"] = filter;
        }

        if (snaplen is not null)
        {
            values["Capture:Snaplen"] = snaplen.Value;
        }

        if (vms is not null)
        {
            if (vms.Any(v => v is null))
            {
                throw new UserErrorException("vms: every entry must be a MAC address (MAC or MAC@VLAN), not null");
            }

            values["Capture:Vms"] = vms.Select(v => v!).ToList();
        }

        if (triggers is not null)
        {
            if (triggers.Any(t => t is null))
            {
                throw new UserErrorException("triggers: every entry must be a rule (NAME: filter=BPF; ...), not null");
            }

            values["Capture:Triggers"] = triggers.Select(t => t!).ToList();
        }

        if (stopAfter is not null)
        {
            values["Capture:StopAfter"] = stopAfter;
        }

        if (sessions is not null)
        {
            if (!current.IsCollector)
            {
                throw new UserErrorException("sessions: this box is not a collector of mirror sessions (Capture:Collector is set where it is installed)");
            }

            foreach (var session in sessions)
            {
                if (session is null || !Collector.MirrorSession.TryParse(session, out _))
                {
                    throw new UserErrorException($"sessions: '{session ?? "null"}' is not KIND-ID@SOURCE with KIND one of erspan1, erspan2, erspan3, gre, vxlan, geneve and SOURCE an address or any");
                }
            }

            values["Capture:Collector:Sessions"] = sessions.Select(s => s!).ToList();
        }

        return new ConfigChange(Apply(values, current), null, values);
    }

    private static void ReadSection(JsonProperty section, string name, Dictionary<string, object> values)
    {
        if (section.Value.ValueKind != JsonValueKind.Object)
        {
            throw new UserErrorException($"{section.Name}: must be a JSON object of settings, not {Describe(section.Value)}");
        }

        foreach (var property in section.Value.EnumerateObject())
        {
            var key = $"{name}:{property.Name}";
            var canonical = Changeable.FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
            var where = $"{section.Name}.{property.Name}";
            if (canonical is null)
            {
                throw new UserErrorException(Known(key)
                    ? $"{where}: set where the box is installed (its configuration file), not over the API; the API changes {string.Join(", ", Changeable)}"
                    : $"{where}: unknown setting '{property.Name}'; the API changes {string.Join(", ", Changeable)}");
            }

            values[canonical] = ReadValue(canonical, where, property.Value);
        }
    }

    private static object ReadValue(string key, string where, JsonElement value) => key switch
    {
        "Capture:Filter" or "Storage:OnFull" or "Capture:StopAfter" => value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Wrong(where, "a string", value),
        "Capture:Vms" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
            : throw Wrong(where, "an array of MAC addresses (MAC or MAC@VLAN)", value),
        "Capture:Triggers" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
            : throw Wrong(where, "an array of trigger rules (NAME: filter=BPF; ...)", value),
        "Storage:MinFreePercent" => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) ? d : throw Wrong(where, "a number", value),
        _ => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : throw Wrong(where, "a whole number", value),
    };

    // The settings are immutable records: a change is a new record made with `with`, the old one stays as it was.
    private static CaptureOptions? Apply(Dictionary<string, object> values, CaptureOptions? capture)
    {
        foreach (var (key, value) in values)
        {
            capture = key switch
            {
                "Capture:Filter" => capture! with { Filter = (string)value },
                "Capture:Snaplen" => capture! with { Snaplen = (int)value },
                "Capture:Vms" => capture! with { Vms = [.. (List<string>)value] },
                "Capture:Triggers" => capture! with { Triggers = [.. (List<string>)value] },
                "Capture:StopAfter" => capture! with { StopAfter = (string)value },
                "Capture:Collector:Sessions" => capture! with { Collector = capture.Collector! with { Sessions = [.. (List<string>)value] } },
                _ => capture,
            };
        }

        return capture;
    }

    private static StorageOptions? Apply(Dictionary<string, object> values, StorageOptions? storage)
    {
        foreach (var (key, value) in values)
        {
            storage = key switch
            {
                "Storage:FileSizeMB" => storage! with { FileSizeMB = (int)value },
                "Storage:FileDurationSeconds" => storage! with { FileDurationSeconds = (int)value },
                "Storage:MaxFiles" => storage! with { MaxFiles = (int)value },
                "Storage:MinFreePercent" => storage! with { MinFreePercent = (double)value },
                "Storage:OnFull" => storage! with { OnFull = (string)value },
                _ => storage,
            };
        }

        return storage;
    }

    private static bool Known(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var property = key[(colon + 1)..];
        var type = key.StartsWith("Capture", StringComparison.Ordinal) ? typeof(CaptureOptions) : typeof(StorageOptions);
        return type.GetProperty(property, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase) is not null;
    }

    private static UserErrorException Wrong(string where, string expected, JsonElement value) => new($"{where}: must be {expected}, not {Describe(value)}");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => string.Create(CultureInfo.InvariantCulture, $"the number {value.GetRawText()}"),
        _ => value.GetRawText(),
    };
}
