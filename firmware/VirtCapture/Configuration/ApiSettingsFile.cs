using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace VirtCapture.Configuration;

/// <summary>
/// Settings changed over the API, kept in a JSON file beside the configuration so that they survive a restart. It
/// is read after appsettings.json and the environment, before the command line; it is replaced atomically (a new
/// file, fsync'd, renamed over the old one), so a power cut leaves the old settings or the new ones, never half.
/// </summary>
internal sealed class ApiSettingsFile
{
    /// <summary>The key that moves the file elsewhere.</summary>
    public const string Key = "Management:ApiSettingsFile";

    /// <summary>The file's default name in the configuration directory.</summary>
    public const string DefaultName = "api-settings.json";

    private readonly Lock _lock = new();

    public ApiSettingsFile(string path)
    {
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Adds the file to a configuration between the environment and the command line; returns its path.</summary>
    public static string AddTo(IConfigurationBuilder configuration, string configDir)
    {
        var probe = new ConfigurationBuilder();
        foreach (var source in configuration.Sources)
        {
            probe.Sources.Add(source);
        }

        var path = probe.Build()[Key] is { Length: > 0 } configured ? configured : System.IO.Path.Combine(configDir, DefaultName);
        var index = configuration.Sources.TakeWhile(s => s is not CommandLineConfigurationSource).Count();
        var json = new JsonConfigurationSource { Path = System.IO.Path.GetFullPath(path), Optional = true, ReloadOnChange = false };
        json.ResolveFileProvider();
        configuration.Sources.Insert(index, json);
        return System.IO.Path.GetFullPath(path);
    }

    /// <summary>Where each key's value comes from: "api" (this file), "command line", "environment", a file, or "default".</summary>
    public string SourceOf(IConfiguration configuration, string key)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return "default";
        }

        foreach (var provider in root.Providers.Reverse())
        {
            // This file changes while the box runs: ask it, not what was loaded at start.
            if (provider is JsonConfigurationProvider own && System.IO.Path.GetFileName(own.Source.Path) == System.IO.Path.GetFileName(Path))
            {
                if (Holds(key))
                {
                    return "api";
                }

                continue;
            }

            if (!provider.TryGet(key, out _) && !provider.GetChildKeys([], key).Any())
            {
                continue;
            }

            return provider switch
            {
                CommandLineConfigurationProvider => "command line",
                EnvironmentVariablesConfigurationProvider => "environment",
                JsonConfigurationProvider json => json.Source.Path ?? "a file",
                _ => provider.GetType().Name,
            };
        }

        return "default";
    }

    /// <summary>Adds <paramref name="values"/> ("Capture:Filter" → value) to what the file holds, atomically.</summary>
    /// <exception cref="IOException">The file cannot be written (with its path).</exception>
    public void Save(IReadOnlyDictionary<string, object> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            var root = Read();
            foreach (var (key, value) in values)
            {
                var colon = key.IndexOf(':', StringComparison.Ordinal);
                var sectionName = key[..colon];
                if (root[sectionName] is not JsonObject section)
                {
                    section = [];
                    root[sectionName] = section;
                }

                // Lists replace the whole list: configuration merges arrays by index, so a shorter list must not keep
                // the tail of a longer one from appsettings.json. The file is authoritative for the keys it holds.
                section[key[(colon + 1)..]] = value switch
                {
                    string s => JsonValue.Create(s),
                    int i => JsonValue.Create(i),
                    double d => JsonValue.Create(d),
                    List<string> list => new JsonArray([.. list.Select(v => (JsonNode?)JsonValue.Create(v))]),
                    _ => throw new ArgumentException($"{key}: cannot store a {value.GetType().Name}", nameof(values)),
                };
            }

            Write(root);
        }
    }

    private bool Holds(string key)
    {
        lock (_lock)
        {
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            var section = Read().FirstOrDefault(p => p.Key.Equals(key[..colon], StringComparison.OrdinalIgnoreCase)).Value as JsonObject;
            return section?.Any(p => p.Key.Equals(key[(colon + 1)..], StringComparison.OrdinalIgnoreCase)) == true;
        }
    }

    private JsonObject Read()
    {
        try
        {
            return File.Exists(Path) ? JsonNode.Parse(File.ReadAllText(Path)) as JsonObject ?? [] : [];
        }
        catch (JsonException)
        {
            // A damaged file was already refused at start; start it over rather than keep a broken one.
            return [];
        }
    }

    private void Write(JsonObject root)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        var temporary = Path + ".new";
        try
        {
            using (var file = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
                file.Write(Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{Path}: cannot save the settings changed over the API: {e.Message}", e);
        }
    }
}
