using VirtCapture.Fleet;

namespace VirtCapture.Extcap;

/// <summary>
/// Every box the extcap knows: the ones added by hand, then the online boxes of the configured fleet (from their
/// retained states; a name added by hand wins). The one place both the interface list and a capture look a box up.
/// </summary>
internal static class ExtcapBoxDirectory
{
    /// <summary>All boxes; a fleet that cannot be reached adds none (its boxes are not listed, the others are).</summary>
    public static async Task<List<ExtcapBox>> AllAsync(CancellationToken cancel)
    {
        var boxes = ExtcapSettings.Boxes();
        if (ExtcapSettings.Fleet() is not { } fleet)
        {
            return boxes;
        }

        try
        {
            foreach (var state in await FleetRetained.StatesAsync(fleet.Options, cancel).ConfigureAwait(false))
            {
                if (state.Online && state.ManagementUrl is { Length: > 0 } url && FleetTopics.IsLevel(state.Box) && !boxes.Exists(b => b.Name == state.Box))
                {
                    boxes.Add(new ExtcapBox(state.Box, url, fleet.TokenFile));
                }
            }
        }
        catch (UserErrorException e)
        {
            // Wireshark does not show the list's stderr, but a user running it by hand sees why the site's boxes are missing.
            Console.Error.WriteLine($"virtcapture: {e.Message}");
        }

        return boxes;
    }

    /// <summary>The box named <paramref name="name"/>, asking the fleet only when it is not one added by hand.</summary>
    /// <exception cref="UserErrorException">No such box.</exception>
    public static async Task<ExtcapBox> FindAsync(string name, CancellationToken cancel)
    {
        var box = ExtcapSettings.Boxes().Find(b => b.Name == name)
            ?? (ExtcapSettings.Fleet() is null ? null : (await AllAsync(cancel).ConfigureAwait(false)).Find(b => b.Name == name));
        return box ?? throw new UserErrorException(ExtcapSettings.Fleet() is { } fleet
            ? $"extcap: no box named {name} in {ExtcapSettings.BoxesFile}, and none online on site {fleet.Site} of {fleet.Broker}"
            : $"extcap: no box named {name} in {ExtcapSettings.BoxesFile} (virtcapture extcap --add-box URL --token-file F --name {name})");
    }
}
