using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Portfolio.Web.Media;

/// <summary>
/// The library items pages show, looked up once per request by their URL (<c>/media/{name}</c>): a page with six
/// expert cards asks six times.
/// </summary>
public sealed class MediaLookup(MediaLibrary library)
{
    private readonly Dictionary<string, MediaItem?> _found = new(StringComparer.Ordinal);

    public async Task<MediaItem?> FindAsync(string? url, CancellationToken cancellationToken = default)
    {
        if (MediaUrls.StoredNameOf(url) is not { } name)
        {
            return null;
        }

        if (!_found.TryGetValue(name, out var item))
        {
            _found[name] = item = await library.FindByStoredNameAsync(name, cancellationToken);
        }

        return item;
    }

    /// <summary>The 1200×630 share image of a library image, for <c>og:image</c>; null for other URLs.</summary>
    public async Task<string?> ShareImageUrlAsync(string? url, CancellationToken cancellationToken = default) =>
        await FindAsync(url, cancellationToken) is { } item ? ResponsiveImages.SizeOf(item, ImageCrop.Share, ImageSize.ShareWidth, ResponsiveImages.FallbackFormat(item)).Url : null;
}

/// <summary>The sizes and formats offered for one use of an image.</summary>
public static class ResponsiveImages
{
    /// <summary>The format for browsers without WebP: PNG keeps a PNG's transparency, JPEG suits the rest.</summary>
    public static ImageFormat FallbackFormat(MediaItem item) => item.ContentType == ImageFormat.Png.ContentType ? ImageFormat.Png : ImageFormat.Jpeg;

    public static ImageSize SizeOf(MediaItem item, ImageCrop crop, int width, ImageFormat format) =>
        new(item.Id, crop, width, item.FocalX, item.FocalY, format);

    /// <summary>
    /// The widths worth offering for an image shown at most <paramref name="displayWidth"/> CSS pixels wide: up to
    /// twice that (2× screens), and none wider than the cropped original (no upscaling), but always the smallest.
    /// </summary>
    public static IReadOnlyList<int> WidthsFor(MediaItem item, ImageCrop crop, int displayWidth)
    {
        var cropWidth = crop.Rectangle(item.Width ?? ImageSize.Widths[0], item.Height ?? ImageSize.Widths[0], item.FocalX, item.FocalY).Width;
        var widths = new List<int>();
        foreach (var width in ImageSize.Widths)
        {
            if (widths.Count > 0 && (width > cropWidth || widths[^1] >= displayWidth * 2))
            {
                break;
            }

            widths.Add(width);
        }

        return widths;
    }

    public static string SrcSet(MediaItem item, ImageCrop crop, IReadOnlyList<int> widths, ImageFormat format) =>
        string.Join(", ", widths.Select(width => string.Create(CultureInfo.InvariantCulture, $"{SizeOf(item, crop, width, format).Url} {width}w")));
}

/// <summary>
/// <c>&lt;media-image src="/media/…" crop="card" display-width="400" alt="…"&gt;</c>: a library image as a
/// <c>&lt;picture&gt;</c> with WebP and JPEG/PNG sizes (<c>srcset</c>/<c>sizes</c>) of the crop, centred on the
/// image's focal point, with <c>width</c> and <c>height</c> so the page does not move while it loads. A URL that is
/// not a library image is shown as a plain <c>&lt;img&gt;</c> of the same box.
/// </summary>
[HtmlTargetElement("media-image", TagStructure = TagStructure.WithoutEndTag)]
public sealed class MediaImageTagHelper(MediaLookup lookup) : TagHelper
{
    public string? Src { get; set; }
    public string Crop { get; set; } = ImageCrop.Full.Name;
    /// <summary>The widest the image is shown, in CSS pixels; also the <c>width</c> attribute.</summary>
    public int DisplayWidth { get; set; } = 800;
    /// <summary>The <c>sizes</c> attribute; by default the display width.</summary>
    public string? Sizes { get; set; }
    public string Alt { get; set; } = "";
    public string? Class { get; set; }
    public string Loading { get; set; } = "lazy";
    public string? Fetchpriority { get; set; }

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        var crop = ImageCrop.Named(Crop) ?? throw new InvalidOperationException($"Unknown crop {Crop}.");
        var item = await lookup.FindAsync(Src);
        var html = new StringBuilder();
        var encoder = HtmlEncoder.Default;
        var sizes = Sizes ?? string.Create(CultureInfo.InvariantCulture, $"{DisplayWidth}px");
        int width = DisplayWidth, height;
        if (item is null)
        {
            height = crop.AspectWidth == 0 ? DisplayWidth : crop.HeightAt(DisplayWidth, 1, 1);
            html.Append(CultureInfo.InvariantCulture, $"<img src=\"{encoder.Encode(Src ?? "")}\"");
        }
        else
        {
            var fallback = ResponsiveImages.FallbackFormat(item);
            var widths = ResponsiveImages.WidthsFor(item, crop, DisplayWidth);
            var rectangle = crop.Rectangle(item.Width ?? 1, item.Height ?? 1, item.FocalX, item.FocalY);
            height = crop.HeightAt(DisplayWidth, rectangle.Width, rectangle.Height);
            var smallest = ResponsiveImages.SizeOf(item, crop, widths[^1] >= DisplayWidth ? widths.First(w => w >= DisplayWidth) : widths[^1], fallback);
            html.Append(CultureInfo.InvariantCulture,
                $"<picture><source type=\"image/webp\" srcset=\"{encoder.Encode(ResponsiveImages.SrcSet(item, crop, widths, ImageFormat.WebP))}\" sizes=\"{encoder.Encode(sizes)}\">");
            html.Append(CultureInfo.InvariantCulture,
                $"<img src=\"{encoder.Encode(smallest.Url)}\" srcset=\"{encoder.Encode(ResponsiveImages.SrcSet(item, crop, widths, fallback))}\" sizes=\"{encoder.Encode(sizes)}\"");
        }

        html.Append(CultureInfo.InvariantCulture, $" alt=\"{encoder.Encode(Alt)}\" width=\"{width}\" height=\"{height}\"");
        if (Class is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $" class=\"{encoder.Encode(Class)}\"");
        }

        html.Append(CultureInfo.InvariantCulture, $" loading=\"{encoder.Encode(Loading)}\" decoding=\"async\"");
        if (Fetchpriority is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $" fetchpriority=\"{encoder.Encode(Fetchpriority)}\"");
        }

        html.Append('>');
        if (item is not null)
        {
            html.Append("</picture>");
        }

        output.TagName = null;
        output.Content.SetHtmlContent(html.ToString());
    }
}
