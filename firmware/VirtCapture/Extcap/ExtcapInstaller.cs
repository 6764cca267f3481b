namespace VirtCapture.Extcap;

/// <summary>
/// Puts a launcher for <c>virtcapture extcap</c> in the user's extcap folders: <c>~/.config/wireshark/extcap</c>
/// (Wireshark 4.0, Debian 12's) and <c>~/.local/lib/wireshark/extcap</c> (4.2 and later, and macOS); on Windows a batch
/// file in <c>%APPDATA%\Wireshark\extcap</c>.
/// </summary>
internal static class ExtcapInstaller
{
    /// <summary>Writes the launchers; returns where.</summary>
    public static IReadOnlyList<string> Install()
    {
        if (OperatingSystem.IsWindows())
        {
            return [InstallForWindows()];
        }

        var home = ExtcapSettings.Home();
        var folders = new[] { Path.Combine(home, ".config", "wireshark", "extcap"), Path.Combine(home, ".local", "lib", "wireshark", "extcap") };
        // Wireshark asks for the interface list often (at start, on refresh): a fresh cached answer is served by the
        // shell in milliseconds, without starting .NET (which takes a few hundred).
        var script = "#!/bin/sh\n# VirtCapture's extcap: the boxes in Wireshark's interface list.\n"
            + "cache=\"${XDG_CACHE_HOME:-$HOME/.cache}/virtcapture/extcap-interfaces.txt\"\n"
            + "boxes=\"${XDG_CONFIG_HOME:-$HOME/.config}/virtcapture/extcap.json\"\n"
            + "fleet=\"${XDG_CONFIG_HOME:-$HOME/.config}/virtcapture/extcap-fleet.json\"\n"
            + "case \" $* \" in *\" --extcap-interfaces \"*)\n"
            + "  if [ -n \"$(find \"$cache\" -mmin -1 2>/dev/null)\" ] && [ \"$cache\" -nt \"$boxes\" ] && { [ ! -e \"$fleet\" ] || [ \"$cache\" -nt \"$fleet\" ]; }; then cat \"$cache\"; exit 0; fi ;;\n"
            + "esac\n"
            + $"exec {Command()} extcap \"$@\"\n";
        var written = new List<string>();
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "virtcapture");
            File.WriteAllText(path, script);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            written.Add(path);
        }

        return written;
    }

    // Wireshark for Windows runs an .exe or a batch file from %APPDATA%\Wireshark\extcap; the batch file adds the verb.
    private static string InstallForWindows()
    {
        var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "Wireshark", "extcap");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "virtcapture.bat");
        File.WriteAllText(path, $"@echo off\r\nrem VirtCapture's extcap: the boxes in Wireshark's interface list.\r\n{Command().Replace('\'', '"')} extcap %*\r\n");
        return path;
    }

    // The single-file binary runs itself; a framework-dependent build runs under dotnet.
    private static string Command()
    {
        var process = Environment.ProcessPath ?? "virtcapture";
        var assembly = Path.Combine(AppContext.BaseDirectory, "virtcapture.dll");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && File.Exists(assembly) ? $"'{process}' exec '{assembly}'" : $"'{process}'";
    }
}
