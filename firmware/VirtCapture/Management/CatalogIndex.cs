using System.Text.Json;
using VirtCapture.Management.Contracts;

namespace VirtCapture.Management;

/// <summary>
/// The catalog's summaries kept on the disk beside the captures (<c>.catalog-index.json</c>), so that after a boot the
/// file list costs one stat per file, not a walk through every frame of a ring that may hold a terabyte. An entry is
/// used only while its file's size and time are unchanged; a damaged index is ignored and rebuilt.
/// </summary>
internal sealed class CatalogIndex
{
    /// <summary>The index's file name in the capture directory.</summary>
    public const string FileName = ".catalog-index.json";

    private readonly string _path;
    private readonly Lock _lock = new();

    public CatalogIndex(string directory)
    {
        _path = Path.Combine(directory, FileName);
    }

    /// <summary>The entries on the disk, by file name; empty when there is no index or it cannot be read.</summary>
    public Dictionary<string, CatalogIndexEntry> Load()
    {
        try
        {
            using var file = Storage.RegularFile.OpenRead(_path);
            if (file is null)
            {
                return [];
            }

            var entries = JsonSerializer.Deserialize(file, FirmwareJsonContext.Default.ListCatalogIndexEntry) ?? [];
            return entries.Where(e => e?.Name is not null).GroupBy(e => e.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return [];
        }
    }

    /// <summary>Replaces the index with <paramref name="entries"/> (a new file renamed over the old); best effort.</summary>
    public void Save(IEnumerable<CatalogIndexEntry> entries)
    {
        lock (_lock)
        {
            var temporary = _path + ".new";
            try
            {
                using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
                {
                    JsonSerializer.Serialize(file, entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList(), FirmwareJsonContext.Default.ListCatalogIndexEntry);
                }

                File.Move(temporary, _path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Only a cache: the next listing walks the files again.
            }
        }
    }
}
