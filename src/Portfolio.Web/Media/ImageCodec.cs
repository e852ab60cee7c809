using SkiaSharp;

namespace Portfolio.Web.Media;

/// <summary>One of the formats the library stores and serves.</summary>
public sealed record ImageFormat(string ContentType, string Extension, string Name)
{
    public static ImageFormat Jpeg { get; } = new("image/jpeg", ".jpg", "JPEG");
    public static ImageFormat Png { get; } = new("image/png", ".png", "PNG");
    public static ImageFormat WebP { get; } = new("image/webp", ".webp", "WebP");
    /// <summary>Accepted on upload only: stored as a PNG of its first frame (Skia has no GIF encoder).</summary>
    public static ImageFormat Gif { get; } = new("image/gif", ".gif", "GIF");

    public static IReadOnlyList<ImageFormat> All { get; } = [Jpeg, Png, WebP, Gif];

    public static ImageFormat? OfContentType(string contentType) => All.FirstOrDefault(format => format.ContentType == contentType);
}

/// <summary>What <see cref="ImageCodec.Normalize"/> made of an upload: clean bytes to store, or why the file is refused.</summary>
public sealed record NormalizedImage(ImageFormat? Format, byte[] Bytes, int Width, int Height, string? Problem)
{
    public bool IsAccepted => Format is not null;

    internal static NormalizedImage Refused(string problem) => new(null, [], 0, 0, problem);
}

/// <summary>
/// Decodes uploads and encodes them again with SkiaSharp, so that what the library stores is pixels written by our
/// encoder and nothing else: EXIF (GPS, camera serials), XMP, comments, ICC profiles (colours are converted to sRGB)
/// and any payload after the image's end are gone, and a file that only looks like an image (by name, by its first
/// bytes, or a polyglot that no decoder reads as a whole image) is refused. The size in pixels is read from the
/// header before anything is decoded, so a small file that would expand to gigabytes (a decompression bomb) is
/// refused without allocating its pixels.
/// </summary>
public static class ImageCodec
{
    public const string NotAnImage = "This is not a JPEG, PNG, WebP or GIF image that can be read. Other files, SVG included, are not accepted.";

    /// <summary>Quality of the lossy encodings (JPEG, WebP): visually lossless for photos, a third of the bytes of 100.</summary>
    public const int Quality = 85;

    public static NormalizedImage Normalize(byte[] data, int maxDimension, long maxPixels)
    {
        if (data.Length == 0)
        {
            return NormalizedImage.Refused("The file is empty.");
        }

        using var skData = SKData.CreateCopy(data);
        using var codec = SKCodec.Create(skData);
        if (codec is null)
        {
            return NormalizedImage.Refused(NotAnImage);
        }

        var source = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => ImageFormat.Jpeg,
            SKEncodedImageFormat.Png => ImageFormat.Png,
            SKEncodedImageFormat.Webp => ImageFormat.WebP,
            SKEncodedImageFormat.Gif => ImageFormat.Gif,
            _ => null,
        };
        if (source is null)
        {
            return NormalizedImage.Refused(NotAnImage);
        }

        var info = codec.Info;
        if (info.Width < 1 || info.Height < 1 || info.Width > maxDimension || info.Height > maxDimension
            || (long)info.Width * info.Height > maxPixels)
        {
            return NormalizedImage.Refused(
                $"The image is {info.Width} × {info.Height} pixels; the library takes images up to {maxDimension} pixels on a side and {maxPixels / 1_000_000} megapixels. Make it smaller and upload it again.");
        }

        using var decoded = new SKBitmap(new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888,
            info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul, SKColorSpace.CreateSrgb()));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            // A truncated file decodes in part (the rest grey); storing it would publish a broken image.
            return NormalizedImage.Refused($"The {source.Name} image is damaged or incomplete; export it again and upload the new file.");
        }

        // The orientation lives in EXIF, which is dropped: turn the pixels upright first.
        using var upright = Orient(decoded, codec.EncodedOrigin);
        var target = source == ImageFormat.Gif ? ImageFormat.Png : source;
        var bytes = Encode(upright, target);
        return new NormalizedImage(target, bytes, upright.Width, upright.Height, null);
    }

    /// <summary>The size of a stored image, read from its header.</summary>
    public static (int Width, int Height)? SizeOf(string path)
    {
        using var codec = SKCodec.Create(path);
        return codec is null ? null : (codec.Info.Width, codec.Info.Height);
    }

    public static byte[] Encode(SKBitmap bitmap, ImageFormat format)
    {
        using var image = SKImage.FromBitmap(bitmap);
        var skFormat = format == ImageFormat.Jpeg ? SKEncodedImageFormat.Jpeg
            : format == ImageFormat.WebP ? SKEncodedImageFormat.Webp
            : SKEncodedImageFormat.Png;
        using var encoded = image.Encode(skFormat, Quality)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode a {format.Name}.");
        return encoded.ToArray();
    }

    /// <summary>A copy of <paramref name="bitmap"/> drawn the way EXIF <paramref name="origin"/> says it is to be shown.</summary>
    private static SKBitmap Orient(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return bitmap.Copy();
        }

        var swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int w = bitmap.Width, h = bitmap.Height;
        var rotated = new SKBitmap(swaps ? h : w, swaps ? w : h, bitmap.ColorType, bitmap.AlphaType);
        using var canvas = new SKCanvas(rotated);
        canvas.Clear(SKColors.Transparent);
        // Maps the stored pixels onto the displayed orientation (TIFF/EXIF orientation 2–8).
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => SKMatrix.Identity,
        };
        canvas.SetMatrix(matrix);
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default);
        return rotated;
    }
}
