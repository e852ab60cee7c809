using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace Portfolio.Web.Media;

/// <summary>
/// A use of an image on a page, with its shape: the whole image (<c>full</c>), an expert's <c>portrait</c> (4:5), a
/// round <c>avatar</c> (1:1), a <c>card</c> (3:2), a <c>hero</c> band (12:5) and the <c>share</c> image link previews
/// show (1200×630). Each crop is the largest rectangle of its shape that fits, centred on the focal point.
/// </summary>
public sealed record ImageCrop(string Name, int AspectWidth, int AspectHeight)
{
    public static ImageCrop Full { get; } = new("full", 0, 0);
    public static ImageCrop Portrait { get; } = new("portrait", 4, 5);
    public static ImageCrop Avatar { get; } = new("avatar", 1, 1);
    public static ImageCrop Card { get; } = new("card", 3, 2);
    public static ImageCrop Hero { get; } = new("hero", 12, 5);
    public static ImageCrop Share { get; } = new("share", 1200, 630);

    public static IReadOnlyList<ImageCrop> All { get; } = [Full, Portrait, Avatar, Card, Hero, Share];

    public static ImageCrop? Named(string name) => All.FirstOrDefault(crop => crop.Name == name);

    /// <summary>The part of a <paramref name="width"/>×<paramref name="height"/> image this crop keeps.</summary>
    public SKRectI Rectangle(int width, int height, int focalX, int focalY)
    {
        if (AspectWidth == 0)
        {
            return new SKRectI(0, 0, width, height);
        }

        // The widest rectangle of the crop's shape that fits inside the image.
        int cropWidth = width, cropHeight = (int)Math.Round((double)width * AspectHeight / AspectWidth);
        if (cropHeight > height)
        {
            cropHeight = height;
            cropWidth = Math.Min(width, (int)Math.Round((double)height * AspectWidth / AspectHeight));
        }

        // Centred on the focal point, then pushed back inside the image.
        var left = (int)Math.Round(width * focalX / 100d - cropWidth / 2d);
        var top = (int)Math.Round(height * focalY / 100d - cropHeight / 2d);
        left = Math.Clamp(left, 0, width - cropWidth);
        top = Math.Clamp(top, 0, height - cropHeight);
        return new SKRectI(left, top, left + cropWidth, top + cropHeight);
    }

    /// <summary>The height of this crop of an image when it is <paramref name="width"/> pixels wide.</summary>
    public int HeightAt(int width, int imageWidth, int imageHeight) =>
        AspectWidth == 0
            ? Math.Max(1, (int)Math.Round((double)width * imageHeight / imageWidth))
            : Math.Max(1, (int)Math.Round((double)width * AspectHeight / AspectWidth));
}

/// <summary>
/// One generated size of a library image: <c>/media/sizes/{id}-{crop}-{width}w-f{x}x{y}.{webp|jpg|png}</c>. The URL
/// names everything the pixels depend on (the image, the crop, the width, the focal point, the format), so it never
/// changes meaning and may be cached for a year; a new focal point gives new URLs.
/// </summary>
public sealed partial record ImageSize(Guid MediaId, ImageCrop Crop, int Width, int FocalX, int FocalY, ImageFormat Format)
{
    public const string Prefix = "/media/sizes/";

    /// <summary>The widths made, from a phone's 320 to 1600 (a 800-pixel column on a 2× screen).</summary>
    public static IReadOnlyList<int> Widths { get; } = [320, 480, 640, 800, 1024, 1280, 1600];

    /// <summary>The share image's one size, as Open Graph and X (Twitter) want it.</summary>
    public const int ShareWidth = 1200;

    public string FileName => string.Create(CultureInfo.InvariantCulture,
        $"{MediaId:N}-{Crop.Name}-{Width}w-f{FocalX}x{FocalY}{Format.Extension}");

    public string Url => Prefix + FileName;

    public static bool TryParse(string? name, [NotNullWhen(true)] out ImageSize? size)
    {
        size = null;
        var match = name is null ? Match.Empty : Pattern().Match(name);
        if (!match.Success || ImageCrop.Named(match.Groups["crop"].Value) is not { } crop)
        {
            return false;
        }

        var width = int.Parse(match.Groups["width"].Value, CultureInfo.InvariantCulture);
        var x = int.Parse(match.Groups["x"].Value, CultureInfo.InvariantCulture);
        var y = int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
        var allowed = crop == ImageCrop.Share ? width == ShareWidth : Widths.Contains(width);
        if (!allowed || x > 100 || y > 100)
        {
            return false;
        }

        var format = match.Groups["ext"].Value switch { "webp" => ImageFormat.WebP, "png" => ImageFormat.Png, _ => ImageFormat.Jpeg };
        size = new ImageSize(Guid.ParseExact(match.Groups["id"].Value, "N"), crop, width, x, y, format);
        return true;
    }

    // Numbers without leading zeros, so each size has exactly one name.
    [GeneratedRegex("^(?<id>[0-9a-f]{32})-(?<crop>[a-z]+)-(?<width>[1-9][0-9]{2,3})w-f(?<x>0|[1-9][0-9]{0,2})x(?<y>0|[1-9][0-9]{0,2})\\.(?<ext>webp|jpg|png)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>
/// Makes the sizes on first request and keeps them in <c>umbraco/media/sizes/</c>; later requests read the file.
/// One request makes a given size at a time (the others wait for it), and a file appears under its name only when
/// complete. The names allowed are few (six crops, seven widths, three formats per image), so the folder stays bounded.
/// </summary>
public sealed class ImageSizeCache(Infrastructure.PortfolioPaths paths, ILogger<ImageSizeCache> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _making = new(StringComparer.Ordinal);

    public string Folder => Path.Combine(paths.Media, "sizes");

    /// <summary>The file of <paramref name="size"/> made from <paramref name="sourcePath"/>, made now if it does not exist yet.</summary>
    public async Task<string> GetAsync(ImageSize size, string sourcePath, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder, size.FileName);
        if (File.Exists(path))
        {
            return path;
        }

        var gate = _making.GetOrAdd(size.FileName, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Folder);
                var bytes = Render(size, await File.ReadAllBytesAsync(sourcePath, cancellationToken));
                var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
                await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
                File.Move(temporary, path, overwrite: true);
                logger.LogInformation("Media size {FileName} made ({Bytes} bytes)", size.FileName, bytes.Length);
            }
        }
        finally
        {
            gate.Release();
            _making.TryRemove(new KeyValuePair<string, SemaphoreSlim>(size.FileName, gate));
        }

        return path;
    }

    /// <summary>Removes every size of an image (it was deleted).</summary>
    public void Forget(Guid mediaId)
    {
        if (!Directory.Exists(Folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(Folder, $"{mediaId:N}-*"))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException exception)
            {
                logger.LogWarning(exception, "Media size {File} could not be deleted", file);
            }
        }
    }

    public static byte[] Render(ImageSize size, byte[] source)
    {
        using var original = SKBitmap.Decode(source) ?? throw new InvalidDataException("A stored image could not be decoded.");
        var rectangle = size.Crop.Rectangle(original.Width, original.Height, size.FocalX, size.FocalY);
        var height = size.Crop.HeightAt(size.Width, rectangle.Width, rectangle.Height);
        using var image = SKImage.FromBitmap(original);
        using var output = new SKBitmap(new SKImageInfo(size.Width, height, SKColorType.Rgba8888,
            original.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul, SKColorSpace.CreateSrgb()));
        using (var canvas = new SKCanvas(output))
        {
            canvas.Clear(SKColors.Transparent);
            // Mitchell cubic: sharp when shrinking a photo, without the ringing of Lanczos.
            canvas.DrawImage(image, SKRect.Create(rectangle.Left, rectangle.Top, rectangle.Width, rectangle.Height),
                SKRect.Create(0, 0, size.Width, height), new SKSamplingOptions(SKCubicResampler.Mitchell), null);
        }

        return ImageCodec.Encode(output, size.Format);
    }
}
