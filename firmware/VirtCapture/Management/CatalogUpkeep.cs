using Microsoft.Extensions.Hosting;

namespace VirtCapture.Management;

/// <summary>
/// Keeps the catalog's index on the disk current. At start, in the background, it walks the files closed since the
/// index was last written (those the ring's tallies did not reach it for), so the first file list after a boot reads
/// the index rather than the ring. Then it writes the summaries of the files the ring closes every
/// <see cref="SaveInterval"/>, and once more when the box stops: a power cut costs the next boot a walk of the files
/// closed in the last interval at most.
/// </summary>
internal sealed class CatalogUpkeep : BackgroundService
{
    /// <summary>How often the index is written when files closed.</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(10);

    private readonly CaptureCatalog _catalog;
    private readonly TimeProvider _time;

    public CatalogUpkeep(CaptureCatalog catalog, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        _catalog = catalog;
        _time = time;
        // After every service stopped, so the capture's last file, closed as the box stops, is in it.
        lifetime.ApplicationStopped.Register(Save);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(
        async () =>
        {
            try
            {
                _catalog.List();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The API reports the directory's trouble when asked; the warm-up is only a head start.
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(SaveInterval, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Save();
            }
        },
        stoppingToken);

    private void Save()
    {
        try
        {
            _catalog.SaveIndex();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a cache: the next boot walks what it lacks.
        }
    }
}
