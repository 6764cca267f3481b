using System.Text.Json;
using VirtCapture.Management.Contracts;

namespace VirtCapture.Extcap;

/// <summary>
/// The laptop's side: the boxes Wireshark knows (<c>~/.config/virtcapture/extcap.json</c>, written by
/// <c>virtcapture extcap --add-box</c>) and the cached interface list (<c>~/.cache/virtcapture/extcap-interfaces.txt</c>).
/// </summary>
internal static class ExtcapSettings
{
    /// <summary>How long the interface list is answered from the cache: Wireshark asks often.</summary>
    public static readonly TimeSpan CacheLife = TimeSpan.FromSeconds(60);

    /// <summary>The boxes file.</summary>
    public static string BoxesFile => Path.Combine(ConfigHome(), "virtcapture", "extcap.json");

    /// <summary>The fleet file (<c>--add-fleet</c>).</summary>
    public static string FleetFile => Path.Combine(ConfigHome(), "virtcapture", "extcap-fleet.json");

    /// <summary>The interface list's cache.</summary>
    public static string CacheFile => Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache : Path.Combine(Home(), ".cache"), "virtcapture", "extcap-interfaces.txt");

    /// <summary>The configured boxes (none when the file does not exist).</summary>
    /// <exception cref="UserErrorException">The file is not valid.</exception>
    public static List<ExtcapBox> Boxes()
    {
        if (!File.Exists(BoxesFile))
        {
            return [];
        }

        try
        {
            using var stream = File.OpenRead(BoxesFile);
            return JsonSerializer.Deserialize(stream, FirmwareJsonContext.Default.ListExtcapBox) ?? [];
        }
        catch (JsonException e)
        {
            throw new UserErrorException($"{BoxesFile} is not a list of boxes: {e.Message}");
        }
    }

    /// <summary>The configured fleet, or null.</summary>
    /// <exception cref="UserErrorException">The file is not valid.</exception>
    public static ExtcapFleet? Fleet()
    {
        if (!File.Exists(FleetFile))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(FleetFile);
            return JsonSerializer.Deserialize(stream, FirmwareJsonContext.Default.ExtcapFleet);
        }
        catch (JsonException e)
        {
            throw new UserErrorException($"{FleetFile} is not a fleet (broker, site, credentials file, token file): {e.Message}");
        }
    }

    /// <summary>Sets the fleet whose boxes are listed.</summary>
    public static void SaveFleet(ExtcapFleet fleet)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FleetFile)!);
        File.WriteAllText(FleetFile, JsonSerializer.Serialize(fleet, FirmwareJsonContext.Default.ExtcapFleet));
        Forget();
    }

    /// <summary>Adds or replaces a box.</summary>
    public static void Save(ExtcapBox box)
    {
        var boxes = Boxes();
        boxes.RemoveAll(b => b.Name == box.Name);
        boxes.Add(box);
        Directory.CreateDirectory(Path.GetDirectoryName(BoxesFile)!);
        File.WriteAllText(BoxesFile, JsonSerializer.Serialize(boxes, FirmwareJsonContext.Default.ListExtcapBox));
        Forget();
    }

    /// <summary>The cached answer to --extcap-interfaces, if fresh (the launcher serves it too, without starting .NET).</summary>
    public static string? Cached()
    {
        try
        {
            var info = new FileInfo(CacheFile);
            if (!info.Exists || DateTime.UtcNow - info.LastWriteTimeUtc > CacheLife || NewerThan(BoxesFile, info) || NewerThan(FleetFile, info))
            {
                return null;
            }

            return File.ReadAllText(CacheFile);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Keeps the answer for the next calls.</summary>
    public static void Cache(string answer)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CacheFile)!);
            var temporary = CacheFile + ".tmp";
            File.WriteAllText(temporary, answer);
            File.Move(temporary, CacheFile, overwrite: true);
        }
        catch (IOException)
        {
            // No cache is only slower.
        }
    }

    private static bool NewerThan(string path, FileInfo cache) => File.Exists(path) && File.GetLastWriteTimeUtc(path) > cache.LastWriteTimeUtc;

    // A changed list of boxes makes the cached interface list stale at once.
    private static void Forget()
    {
        if (File.Exists(CacheFile))
        {
            File.Delete(CacheFile);
        }
    }

    /// <summary>The user's home ($HOME first, as Wireshark's own lookup does).</summary>
    public static string Home() => Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string ConfigHome() => Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } config ? config : Path.Combine(Home(), ".config");
}
