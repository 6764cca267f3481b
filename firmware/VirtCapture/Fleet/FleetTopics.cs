namespace VirtCapture.Fleet;

/// <summary>
/// Every topic of the fleet, in one place: <c>virtcapture/SITE/BOX/{state,status,events,vms,cmd/VERB}</c> for a box,
/// <c>virtcapture/SITE/follow/MAC</c> and <c>virtcapture/SITE/vm/MAC</c> for the site.
/// </summary>
internal sealed class FleetTopics
{
    public FleetTopics(string site, string box)
    {
        Site = $"virtcapture/{site}";
        Box = box;
        Root = $"{Site}/{box}";
    }

    /// <summary>This box's name.</summary>
    public string Box { get; }

    /// <summary>virtcapture/SITE.</summary>
    public string Site { get; }

    /// <summary>virtcapture/SITE/BOX.</summary>
    public string Root { get; }

    /// <summary>Retained: online or offline (the Will), version, mode, ports, management URL, clock.</summary>
    public string State => Root + "/state";

    /// <summary>Every few seconds, QoS 0: counters, storage, capture state.</summary>
    public string Status => Root + "/status";

    /// <summary>QoS 1: the events the box writes into its files.</summary>
    public string Events => Root + "/events";

    /// <summary>Retained: the VM inventory, on change.</summary>
    public string Vms => Root + "/vms";

    /// <summary>
    /// This box's own barrier: published by the box right after it subscribes, it comes back after the retained
    /// messages those subscriptions brought (a broker keeps one client's order), so the box knows it has heard the site.
    /// </summary>
    public string Sync => Root + "/sync";

    /// <summary>Commands to this box (MQTT 5 response topic and correlation data).</summary>
    public string Commands => Root + "/cmd/+";

    /// <summary>Every box's state (for the fleet's tools).</summary>
    public string AllStates => Site + "/+/state";

    /// <summary>Retained, one per followed VM.</summary>
    public string AllFollowed => Site + "/follow/+";

    /// <summary>Retained, where each followed VM was last seen.</summary>
    public string AllLocations => Site + "/vm/+";

    /// <summary>A command to a box.</summary>
    public string Command(string box, string verb) => $"{Site}/{box}/cmd/{verb}";

    /// <summary>A followed VM's topic.</summary>
    public string Followed(string mac) => $"{Site}/follow/{mac}";

    /// <summary>A followed VM's location topic.</summary>
    public string Location(string mac) => $"{Site}/vm/{mac}";

    /// <summary>The last level of a topic (the verb of a command, the MAC of a follow or location).</summary>
    public static string Last(string topic) => topic[(topic.LastIndexOf('/') + 1)..];

    /// <summary>True for a name usable as one topic level: no wildcard, separator or control character.</summary>
    public static bool IsLevel(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
