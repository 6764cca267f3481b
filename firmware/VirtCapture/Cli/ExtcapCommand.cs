using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using VirtCapture.Extcap;

namespace VirtCapture.Cli;

/// <summary>
/// <c>virtcapture extcap</c>: the box in Wireshark's interface list, by Wireshark's extcap contract (doc/extcap.adoc):
/// <c>--extcap-interfaces</c>, <c>--extcap-dlts</c>, <c>--extcap-config</c>, <c>--capture --fifo</c>. For the engineer:
/// <c>--add-box URL --token-file F [--name N] [--fingerprint SHA256]</c>, <c>--add-fleet mqtt://BROKER --site S
/// --token-file F [--credentials C]</c> and <c>--install</c>. Errors are one line on stderr, which Wireshark shows.
/// </summary>
internal static class ExtcapCommand
{
    public static Command Build()
    {
        var command = new Command("extcap", "Wireshark's extcap for the boxes: --extcap-interfaces, --capture --fifo F; --add-box URL --token-file F, --install") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction((result, cancel) => RunAsync(Arguments(result.UnmatchedTokens), cancel));
        return command;
    }

    private static async Task<int> RunAsync(Dictionary<string, string> args, CancellationToken cancel)
    {
        using var terminated = new CancellationTokenSource();
        using var link = CancellationTokenSource.CreateLinkedTokenSource(cancel, terminated.Token);
        // Wireshark ends a capture with SIGTERM: the fifo is closed cleanly and the exit is 0.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; terminated.Cancel(); });
        try
        {
            return await DispatchAsync(args, link.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (link.IsCancellationRequested)
        {
            return 0;
        }
        catch (IOException) when (args.ContainsKey("capture"))
        {
            // Wireshark closed the fifo: the capture is over.
            return 0;
        }
    }

    private static async Task<int> DispatchAsync(Dictionary<string, string> args, CancellationToken cancel)
    {
        var version = typeof(ExtcapCommand).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
        if (args.TryGetValue("add-box", out var url))
        {
            return AddBox(url, args.GetValueOrDefault("token-file", string.Empty), args.GetValueOrDefault("name"), args.GetValueOrDefault("fingerprint", string.Empty));
        }

        if (args.TryGetValue("add-fleet", out var broker))
        {
            return AddFleet(broker, args.GetValueOrDefault("site", "site"), args.GetValueOrDefault("credentials", string.Empty), args.GetValueOrDefault("token-file", string.Empty));
        }

        if (args.ContainsKey("install"))
        {
            foreach (var path in ExtcapInstaller.Install())
            {
                Console.WriteLine($"virtcapture: extcap launcher written to {path}");
            }

            return 0;
        }

        if (args.ContainsKey("extcap-interfaces"))
        {
            Console.Write(await ExtcapInterfaces.AnswerAsync(version, cancel).ConfigureAwait(false));
            return 0;
        }

        var target = ExtcapInterface.Parse(args.GetValueOrDefault("extcap-interface"));
        if (target is null)
        {
            throw new UserErrorException($"extcap: --extcap-interface '{args.GetValueOrDefault("extcap-interface")}' is not a VirtCapture interface (vc-BOX, vc-BOX~PORT, vc-BOX~vm~MAC)");
        }

        if (args.ContainsKey("extcap-dlts"))
        {
            Console.WriteLine("dlt {number=1}{name=EN10MB}{display=Ethernet}");
            return 0;
        }

        var token = args.GetValueOrDefault("token") is { Length: > 0 } typed ? typed : null;
        if (args.ContainsKey("extcap-config"))
        {
            await ConfigAsync(target.Box, args.GetValueOrDefault("extcap-reload-option"), token, cancel).ConfigureAwait(false);
            return 0;
        }

        // The box selector: the interface names a box, and the options may point its capture at another one.
        var box = await ExtcapBoxDirectory.FindAsync(args.GetValueOrDefault("box") is { Length: > 0 } chosen ? chosen : target.Box, cancel).ConfigureAwait(false);

        if (!args.ContainsKey("capture") || !args.TryGetValue("fifo", out var fifo))
        {
            throw new UserErrorException("extcap: nothing to do; Wireshark calls it with --extcap-interfaces, --extcap-dlts, --extcap-config or --capture --fifo PATH");
        }

        var filter = Filter(args.GetValueOrDefault("extcap-capture-filter", string.Empty), target.Vm ?? args.GetValueOrDefault("vms"));
        var snaplen = args.TryGetValue("snaplen", out var s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 262144;
        long? startFrom = args.TryGetValue("start-from", out var from) && from.Length > 0
            ? decimal.TryParse(from, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) ? (long)(seconds * 1_000_000_000m)
                : throw new UserErrorException($"extcap: --start-from '{from}' is not a time in seconds since 1970")
            : null;
        // The fifo is opened first, and closed only after the reason is on stderr: Wireshark reads the extcap's stderr
        // when the fifo ends, and shows it.
        await using var fifoStream = new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        using var output = new ExtcapOutput(fifoStream);
        await using var control = ExtcapControl.Open(args.GetValueOrDefault("extcap-control-out"), args.GetValueOrDefault("extcap-control-in"));
        using var stopWatch = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task watching = Task.CompletedTask;
        try
        {
            using var client = new ExtcapBoxClient(box, token, Timeout.InfiniteTimeSpan);
            using var statusClient = new ExtcapBoxClient(box, token, TimeSpan.FromSeconds(3));
            var dropWatch = new ExtcapDropWatch(statusClient, box.Name, target.Port, output, control);
            await dropWatch.BeginAsync(cancel).ConfigureAwait(false);
            watching = dropWatch.RunAsync(stopWatch.Token);
            await ExtcapCapture.RunAsync(client, target, filter, snaplen, startFrom, output, cancel).ConfigureAwait(false);
            return 0;
        }
        catch (UserErrorException e)
        {
            await Console.Error.WriteLineAsync($"virtcapture: {e.Message}").ConfigureAwait(false);
            await Console.Error.FlushAsync(cancel).ConfigureAwait(false);
            return ErrorReporter.Failure;
        }
        finally
        {
            await stopWatch.CancelAsync().ConfigureAwait(false);
            try
            {
                await watching.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The watch ends with the capture.
            }
        }
    }

    private static int AddFleet(string broker, string site, string credentials, string tokenFile)
    {
        var fleet = new ExtcapFleet(broker, site, credentials.Length > 0 ? Path.GetFullPath(credentials) : string.Empty, tokenFile.Length > 0 ? Path.GetFullPath(tokenFile) : string.Empty);
        if (new Fleet.FleetOptionsValidator().Validate(null, fleet.Options) is { Failed: true } invalid)
        {
            throw new UserErrorException($"extcap: {invalid.Failures!.First()}");
        }

        if (tokenFile.Length == 0 || !File.Exists(tokenFile))
        {
            throw new UserErrorException($"extcap: --add-fleet needs --token-file with the API token the site's boxes share{(tokenFile.Length > 0 ? $" ({tokenFile} does not exist)" : string.Empty)}");
        }

        Fleet.FleetCredentials.Read(fleet.CredentialsFile);
        ExtcapSettings.SaveFleet(fleet);
        Console.WriteLine($"virtcapture: the online boxes of site {site} on {broker} are listed in Wireshark ({ExtcapSettings.FleetFile})");
        return 0;
    }

    private static int AddBox(string url, string tokenFile, string? name, string fingerprint)
    {
        if (fingerprint.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(fingerprint, "^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$"))
        {
            throw new UserErrorException($"extcap: --fingerprint '{fingerprint}' is not a SHA-256 fingerprint (AB:CD:… as `virtcapture token` prints it)");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UserErrorException($"extcap: --add-box '{url}' is not an http:// or https:// URL");
        }

        name ??= uri.Host.Replace(':', '-');
        if (name.Length is 0 or > 40 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new UserErrorException($"extcap: --name '{name}' must be 1 to 40 letters, digits, '-', '_' or '.'");
        }

        if (tokenFile.Length > 0 && !File.Exists(tokenFile))
        {
            throw new UserErrorException($"extcap: --token-file {tokenFile} does not exist");
        }

        ExtcapSettings.Save(new ExtcapBox(name, url, tokenFile.Length > 0 ? Path.GetFullPath(tokenFile) : string.Empty, fingerprint.ToUpperInvariant()));
        Console.WriteLine($"virtcapture: box {name} ({url}) added to {ExtcapSettings.BoxesFile}");
        return 0;
    }

    // Wireshark asks for every argument, or with --extcap-reload-option for the values of one (box, vms).
    private static async Task ConfigAsync(string boxName, string? reload, string? token, CancellationToken cancel)
    {
        var all = reload is null;
        if (all)
        {
            Console.WriteLine("arg {number=0}{call=--start-from}{display=Start from}{type=timestamp}{tooltip=Begin with the ring's frames from this time, then continue live with no gap}");
            Console.WriteLine("arg {number=1}{call=--vms}{display=VMs}{type=multicheck}{reload=true}{placeholder=Load the box's VMs}{tooltip=Capture only these VMs (their MACs)}");
        }

        var boxes = all || reload == "box" || reload == "vms" ? await ExtcapBoxDirectory.AllAsync(cancel).ConfigureAwait(false) : [];
        if (all || reload == "vms")
        {
            await VmValuesAsync(boxes.Find(b => b.Name == boxName), token, cancel).ConfigureAwait(false);
        }

        if (all)
        {
            Console.WriteLine("arg {number=2}{call=--snaplen}{display=Snapshot length}{type=integer}{range=14,262144}{default=262144}");
            Console.WriteLine("arg {number=3}{call=--token}{display=API token}{type=password}{tooltip=Only where no token file is configured for the box}");
            Console.WriteLine("arg {number=4}{call=--box}{display=Box}{type=selector}{reload=true}{placeholder=Look for boxes}{tooltip=Capture this interface from another box (added by hand or online in the fleet)}");
        }

        if (all || reload == "box")
        {
            foreach (var box in boxes)
            {
                Console.WriteLine($"value {{arg=4}}{{value={box.Name}}}{{display={box.Name} ({box.Url})}}{{default={(box.Name == boxName ? "true" : "false")}}}");
            }
        }
    }

    private static async Task VmValuesAsync(ExtcapBox? box, string? token, CancellationToken cancel)
    {
        if (box is null)
        {
            return;
        }

        try
        {
            using var client = new ExtcapBoxClient(box, token ?? (box.TokenFile.Length == 0 ? string.Empty : null), TimeSpan.FromSeconds(3));
            using var vms = await client.GetJsonAsync("api/vms", cancel).ConfigureAwait(false);
            foreach (var vm in vms.RootElement.EnumerateArray())
            {
                var mac = vm.GetProperty("mac").GetString();
                var vlan = vm.GetProperty("vlan").GetInt32();
                Console.WriteLine($"value {{arg=1}}{{value={mac}}}{{display={mac} ({vm.GetProperty("family").GetString()}{(vlan > 0 ? $", VLAN {vlan}" : string.Empty)}, port {vm.GetProperty("port").GetString()})}}");
            }
        }
        catch (UserErrorException)
        {
            // Without the box, the VMs list stays empty; the capture says why.
        }
    }

    // The box applies the filter: Wireshark does not filter extcap input. VMs become MAC conditions beside it.
    private static string Filter(string filter, string? vms)
    {
        var macs = (vms ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (macs.Length == 0)
        {
            return filter;
        }

        var hosts = string.Join(" or ", macs.Select(m => Vm.Mac.TryParse(m, out var mac) ? $"ether host {Vm.Mac.Format(mac)}" : throw new UserErrorException($"extcap: '{m}' is not a MAC address")));
        return filter.Length == 0 ? hosts : $"({filter}) and ({hosts})";
    }

    // Wireshark's arguments: --name value, --name=value, or a bare --flag.
    private static Dictionary<string, string> Arguments(IReadOnlyList<string> tokens)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UserErrorException($"extcap: unexpected argument '{token}'");
            }

            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                args[token[2..equals]] = token[(equals + 1)..];
            }
            else if (i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                args[token[2..]] = tokens[++i];
            }
            else
            {
                args[token[2..]] = string.Empty;
            }
        }

        return args;
    }
}
