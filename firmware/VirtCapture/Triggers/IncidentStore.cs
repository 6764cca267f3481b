using System.Globalization;
using System.Text.Json;
using VirtCapture.Management.Contracts;

namespace VirtCapture.Triggers;

/// <summary>
/// The incidents directory (<c>incidents/</c> under the capture directory unless configured): each incident's record and file. Names are made
/// here and checked here; a name from a request reaches only a regular file directly in this directory.
/// </summary>
internal sealed class IncidentStore
{
    /// <summary>The directory's name under the capture directory.</summary>
    public const string DirectoryName = "incidents";

    private const string Extension = ".pcapng";
    private const string RecordExtension = ".json";

    public IncidentStore(string directory)
    {
        Directory = directory;
    }

    /// <summary>The directory.</summary>
    public string Directory { get; }

    /// <summary>The name of an incident of <paramref name="rule"/> at <paramref name="triggerNs"/>.</summary>
    public static string NameFor(string rule, long triggerNs)
    {
        var time = DateTimeOffset.UnixEpoch.AddTicks(triggerNs / 100).UtcDateTime;
        return $"incident-{time.ToString("yyyyMMdd-HHmmss.fff", CultureInfo.InvariantCulture)}-{rule}";
    }

    /// <summary>True for a name this store makes (letters, digits, '-', '_', '.'; no path).</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 9 and <= 80 } && name.StartsWith("incident-", StringComparison.Ordinal) && !name.Contains("..", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The incident file's path.</summary>
    public string FilePath(string name) => Path.Combine(Directory, name + Extension);

    /// <summary>Writes (or rewrites) an incident's record, durably: written, fsync'd, renamed.</summary>
    public void Save(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        System.IO.Directory.CreateDirectory(Directory);
        if (!IsRealDirectory())
        {
            throw new IOException($"{Directory} is a link, not a directory: incidents are not written through it");
        }

        var path = Path.Combine(Directory, incident.Name + RecordExtension);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(file, incident, FirmwareJsonContext.Default.Incident);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Every incident with a readable record, oldest first. A record that cannot be read is left out.</summary>
    public IReadOnlyList<Incident> List()
    {
        if (!IsRealDirectory())
        {
            return [];
        }

        var incidents = new List<Incident>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "incident-*" + RecordExtension))
        {
            try
            {
                using var stream = Storage.RegularFile.OpenRead(path);
                if (stream is not null && JsonSerializer.Deserialize(stream, FirmwareJsonContext.Default.Incident) is { } incident && IsValidName(incident.Name))
                {
                    incidents.Add(incident);
                }
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                // A record cut by a power cut before its rename never existed; any other damage leaves it out.
            }
        }

        return [.. incidents.OrderBy(i => i.TriggerNs)];
    }

    /// <summary>Opens a complete incident's file for download, or null.</summary>
    public FileStream? OpenRead(string name) => IsValidName(name) && IsRealDirectory() ? Storage.RegularFile.OpenRead(FilePath(name), 1 << 16) : null;

    // A link put where the directory should be would lead requests out of the capture directory: it is not followed.
    private bool IsRealDirectory() => new DirectoryInfo(Directory) is { Exists: true, LinkTarget: null };

    /// <summary>Deletes an incident (file and record); false when there is none by that name.</summary>
    public bool Delete(string name)
    {
        if (!IsValidName(name) || !IsRealDirectory())
        {
            return false;
        }

        var record = Path.Combine(Directory, name + RecordExtension);
        var file = FilePath(name);
        var found = Storage.RegularFile.Is(record) || Storage.RegularFile.Is(file);
        foreach (var path in new[] { file, file + Pipeline.RingFileSet.PartSuffix, record })
        {
            if (Storage.RegularFile.Is(path))
            {
                File.Delete(path);
            }
        }

        return found;
    }
}
