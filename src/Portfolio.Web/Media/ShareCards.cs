using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.WebUtilities;
using Portfolio.Web.Infrastructure;
using SkiaSharp;

namespace Portfolio.Web.Media;

/// <summary>
/// The link-preview image of a page without a chosen image: the page's title on the brand colours with the brand
/// mark, 1200×630, drawn with SkiaSharp. The title travels in the URL (<c>/media/cards/{title}.{signature}.png</c>),
/// signed with a key only this site has (kept in the database, the same on every instance: SharedKeys), so the card changes when the title does (a new page version, a new URL)
/// and nobody else can make the site draw their text. Each card is drawn once and kept in <c>umbraco/media/cards/</c>.
/// </summary>
public sealed class ShareCards(PortfolioPaths paths, SharedKeys keys, IWebHostEnvironment environment, ILogger<ShareCards> logger)
{
    public const string Prefix = "/media/cards/";
    public const int Width = 1200;
    public const int Height = 630;
    private const int MaxTitleLength = 200;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _drawing = new(StringComparer.Ordinal);

    public string UrlFor(string title)
    {
        var text = title.Length > MaxTitleLength ? title[..MaxTitleLength] : title;
        var payload = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(text));
        return $"{Prefix}{payload}.{Sign(payload)}.png";
    }

    /// <summary>The title a card URL's name carries, or null when the name was not made by <see cref="UrlFor"/>.</summary>
    public string? TitleOf(string name)
    {
        var parts = name.Split('.');
        if (parts.Length != 3 || parts[2] != "png" || parts[0].Length > MaxTitleLength * 6)
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(parts[0]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[1])))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(parts[0]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public async Task<string> GetAsync(string title, string siteName, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(paths.Media, "cards");
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(siteName + "\n" + title)))[..32] + ".png";
        var path = Path.Combine(folder, name);
        if (File.Exists(path))
        {
            return path;
        }

        var gate = _drawing.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(folder);
                var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
                await File.WriteAllBytesAsync(temporary, Draw(title, siteName), cancellationToken);
                File.Move(temporary, path, overwrite: true);
                logger.LogInformation("Share card {Name} drawn", name);
            }
        }
        finally
        {
            gate.Release();
            _drawing.TryRemove(new KeyValuePair<string, SemaphoreSlim>(name, gate));
        }

        return path;
    }

    public byte[] Draw(string title, string siteName)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            using var background = new SKPaint();
            background.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(Width, Height),
                [SKColor.Parse("#134e4a"), SKColor.Parse("#0f172a")], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, Width, Height, background);
            using var accent = new SKPaint { Color = SKColor.Parse("#5eead4"), IsAntialias = true };
            canvas.DrawRect(0, Height - 16, Width, 16, accent);

            DrawMark(canvas, 80, 72, 80);
            using var typeface = LoadTypeface();
            using var nameFont = new SKFont(typeface, 40) { Embolden = false };
            using var light = new SKPaint { Color = SKColor.Parse("#f0fdfa"), IsAntialias = true };
            canvas.DrawText(siteName, 184, 126, SKTextAlign.Left, nameFont, light);

            using var titleFont = new SKFont(typeface, 68) { Embolden = true };
            var lines = Wrap(title, titleFont, Width - 160, maxLines: 4);
            var y = 260f;
            foreach (var line in lines)
            {
                canvas.DrawText(line, 80, y, SKTextAlign.Left, titleFont, light);
                y += 82;
            }
        }

        return ImageCodec.Encode(bitmap, ImageFormat.Png);
    }

    /// <summary>The brand mark from <c>wwwroot/brand/mark.svg</c> (its rounded square and paths), scaled to <paramref name="size"/>.</summary>
    private void DrawMark(SKCanvas canvas, float x, float y, float size)
    {
        var file = environment.WebRootFileProvider.GetFileInfo("brand/mark.svg");
        if (!file.Exists)
        {
            return;
        }

        XElement svg;
        using (var stream = file.CreateReadStream())
        {
            svg = XDocument.Load(stream).Root!;
        }

        XNamespace ns = "http://www.w3.org/2000/svg";
        canvas.Save();
        canvas.Translate(x, y);
        canvas.Scale(size / 32f);
        if (svg.Element(ns + "rect") is { } rect)
        {
            using var fill = new SKPaint { Color = SKColor.Parse((string?)rect.Attribute("fill") ?? "#0f766e"), IsAntialias = true };
            canvas.DrawRoundRect(0, 0, 32, 32, 8, 8, fill);
        }

        foreach (var element in svg.Elements(ns + "path"))
        {
            using var path = SKPath.ParseSvgPathData((string?)element.Attribute("d") ?? "");
            if (path is null)
            {
                continue;
            }

            var fill = (string?)element.Attribute("fill");
            using var paint = new SKPaint { IsAntialias = true };
            if (fill is not null && fill != "none")
            {
                paint.Color = SKColor.Parse(fill);
                paint.Style = SKPaintStyle.Fill;
            }
            else
            {
                paint.Color = SKColor.Parse((string?)element.Attribute("stroke") ?? "#f0fdfa");
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = float.Parse((string?)element.Attribute("stroke-width") ?? "2", System.Globalization.CultureInfo.InvariantCulture);
                paint.StrokeCap = SKStrokeCap.Round;
                paint.StrokeJoin = SKStrokeJoin.Round;
            }

            canvas.DrawPath(path, paint);
        }

        canvas.Restore();
    }

    /// <summary>
    /// The site's own font (Manrope, as the pages use) when this build of FreeType reads WOFF2, else a bold system
    /// sans-serif (the runtime image installs DejaVu for this), else Skia's default.
    /// </summary>
    private SKTypeface LoadTypeface()
    {
        var file = environment.WebRootFileProvider.GetFileInfo("fonts/manrope-latin-wght.woff2");
        if (file.Exists)
        {
            using var stream = file.CreateReadStream();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            using var data = SKData.CreateCopy(memory.ToArray());
            if (SKTypeface.FromData(data) is { } manrope)
            {
                return manrope;
            }
        }

        return SKTypeface.FromFamilyName("sans-serif", SKFontStyle.Bold) ?? SKTypeface.Default;
    }

    private static List<string> Wrap(string text, SKFont font, float width, int maxLines)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (font.MeasureText(candidate) <= width || current.Length == 0)
            {
                current = candidate;
                continue;
            }

            lines.Add(current);
            current = word;
        }

        if (current.Length > 0)
        {
            lines.Add(current);
        }

        if (lines.Count > maxLines)
        {
            lines = lines[..maxLines];
            lines[^1] = lines[^1].TrimEnd('.', ',') + "…";
        }

        return lines;
    }

    private string Sign(string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(keys.ShareCardKey, Encoding.ASCII.GetBytes(payload)))[..32];
}
