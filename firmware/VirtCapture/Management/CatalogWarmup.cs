using Microsoft.Extensions.Hosting;

namespace VirtCapture.Management;

/// <summary>
/// Brings the catalog's index up to date in the background at start: files closed since it was last saved are walked
/// once, off the request path, so the first file list after a boot reads the index rather than the ring.
/// </summary>
internal sealed class CatalogWarmup : BackgroundService
{
    private readonly CaptureCatalog _catalog;

    public CatalogWarmup(CaptureCatalog catalog)
    {
        _catalog = catalog;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(
        () =>
        {
            try
            {
                _catalog.List();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The API reports the directory's trouble when asked; the warm-up is only a head start.
            }
        },
        stoppingToken);
}
