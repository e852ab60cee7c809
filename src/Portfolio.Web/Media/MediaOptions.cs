using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Media;

/// <summary>The <c>Media</c> configuration section.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Media";

    /// <summary>
    /// Where uploads, their sizes and the share cards are kept (default <c>umbraco/media</c> under the content root).
    /// Several instances name one shared folder (README, "Several instances"); read once at start.
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>The largest image an editor may upload, in bytes (default 5 MB).</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>The widest or tallest image accepted, in pixels; read from the header before decoding.</summary>
    [Range(100, 20_000)]
    public int MaxDimension { get; set; } = 10_000;

    /// <summary>
    /// The most pixels an accepted image may have (default 40 megapixels: 160 MB decoded). A 5 MB file can claim
    /// far more (a decompression bomb); it is refused from its header.
    /// </summary>
    [Range(10_000, 100_000_000)]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>
    /// What a multipart form adds around the file (boundaries, part headers, antiforgery token, alt text).
    /// A request larger than the file limit plus this is refused before its body is read.
    /// </summary>
    public const long FormOverheadBytes = 64 * 1024;

    public long MaxRequestBytes => MaxUploadBytes + FormOverheadBytes;

    /// <summary>"5 MB", "512 KB": the limit as people read it.</summary>
    public string MaxUploadText => MediaText.Size(MaxUploadBytes);
}

[OptionsValidator]
public sealed partial class MediaOptionsValidator : IValidateOptions<MediaOptions>;

public static class MediaText
{
    public static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024d * 1024):0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024d:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}

/// <summary>The public URLs of media files.</summary>
public static class MediaUrls
{
    public const string Prefix = "/media/";

    public static string For(string storedName) => Prefix + storedName;

    /// <summary>The stored name in a library URL (<c>/media/{name}</c>), or null for any other URL.</summary>
    public static string? StoredNameOf(string? url) =>
        url is not null && url.StartsWith(Prefix, StringComparison.Ordinal) && MediaLibrary.IsStoredName(url[Prefix.Length..])
            ? url[Prefix.Length..]
            : null;
}
