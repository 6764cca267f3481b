namespace VirtCapture.Storage;

/// <summary>
/// Fills a span (a multiple of 4 bytes, at least <see cref="Format.Pcapng.PcapngBlocks.MinimumPadding"/>) with
/// blocks every reader of the file skips: how <see cref="DirectFileAppender"/> moves a run of blocks onto a disk page.
/// </summary>
/// <param name="padding">The bytes to fill.</param>
internal delegate void PaddingWriter(Span<byte> padding);
