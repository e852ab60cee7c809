using System.Text;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Media;
using SkiaSharp;

namespace Portfolio.Tests.Media;

/// <summary>SkiaSharp's decode and encode on their own: what an upload becomes, and what is refused.</summary>
[ProviderIndependent]
public sealed class ImageCodecTests
{
    private const int MaxDimension = 10_000;
    private const long MaxPixels = 40_000_000;

    private static NormalizedImage Normalize(byte[] bytes) => ImageCodec.Normalize(bytes, MaxDimension, MaxPixels);

    [Fact]
    public void TheNativeLibraryLoadsAndReportsItsVersion()
    {
        Assert.True(SkiaSharpVersion.Native.Major > 0, $"libSkiaSharp {SkiaSharpVersion.Native}");
    }

    [Fact]
    public void EachAcceptedFormatIsReadWithItsSizeAndAGifBecomesAPng()
    {
        AssertImage(Normalize(TestImages.Jpeg), ImageFormat.Jpeg, 2, 2);
        AssertImage(Normalize(TestImages.Png), ImageFormat.Png, 2, 2);
        AssertImage(Normalize(TestImages.WebP), ImageFormat.WebP, 2, 2);
        AssertImage(Normalize(TestImages.Gif), ImageFormat.Png, 1, 1);
        AssertImage(Normalize(GeneratedImages.Stripes(300, 200)), ImageFormat.Png, 300, 200);
    }

    [Fact]
    public void ExifWithAGpsPositionIsDroppedAndThePixelsKept()
    {
        var original = GeneratedImages.JpegWithGps();
        Assert.True(GeneratedImages.HasApp1(original));
        Assert.Contains(GeneratedImages.SecretDescription, Encoding.Latin1.GetString(original), StringComparison.Ordinal);

        var result = Normalize(original);

        AssertImage(result, ImageFormat.Jpeg, 64, 48);
        Assert.False(GeneratedImages.HasApp1(result.Bytes));
        var text = Encoding.Latin1.GetString(result.Bytes);
        Assert.DoesNotContain("Exif", text, StringComparison.Ordinal);
        Assert.DoesNotContain(GeneratedImages.SecretDescription, text, StringComparison.Ordinal);
        Assert.True(GeneratedImages.Near(GeneratedImages.PixelAt(result.Bytes, 0.1f, 0.5f), SKColors.Red));
    }

    [Fact]
    public void APayloadAppendedAfterTheImageIsDropped()
    {
        var result = Normalize(TestImages.PngWithHtmlAppended);

        AssertImage(result, ImageFormat.Png, 2, 2);
        Assert.DoesNotContain("<script", Encoding.Latin1.GetString(result.Bytes), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("IEND", Encoding.ASCII.GetString(result.Bytes[^8..^4])); // the file ends with the image's end chunk
    }

    [Fact]
    public void AScriptInAGifCommentIsDropped()
    {
        var result = Normalize(TestImages.GifWithScriptComment);

        Assert.True(result.IsAccepted, result.Problem);
        Assert.DoesNotContain("<script", Encoding.Latin1.GetString(result.Bytes), StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string> NotImages => new() { "svg", "html", "html+png", "zip", "text named png" };

    [Theory]
    [MemberData(nameof(NotImages))]
    public void FilesThatNoDecoderReadsAsAnImageAreRefused(string kind)
    {
        var bytes = kind switch
        {
            "svg" => TestImages.Svg,
            "html" => TestImages.Html,
            // A polyglot the other way round: a page with an image after it, which browsers would render as HTML.
            "html+png" => [.. TestImages.Html, .. TestImages.Png],
            "zip" => [0x50, 0x4B, 0x03, 0x04, .. new byte[40]],
            _ => Encoding.UTF8.GetBytes("just some text"),
        };

        var result = Normalize(bytes);

        Assert.False(result.IsAccepted);
        Assert.Equal(ImageCodec.NotAnImage, result.Problem);
    }

    [Fact]
    public void ATruncatedImageIsRefusedAsDamaged()
    {
        var stripes = GeneratedImages.Stripes(400, 300, SKEncodedImageFormat.Jpeg);

        var result = Normalize(stripes[..(stripes.Length / 2)]);

        Assert.False(result.IsAccepted);
        Assert.Contains("damaged or incomplete", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ADecompressionBombIsRefusedFromItsHeaderWithoutDecoding()
    {
        // 60 000 × 60 000 pixels (14 GB decoded) claimed by a file of 80 bytes.
        var bomb = GeneratedImages.PngClaiming(60_000, 60_000);

        var result = Normalize(bomb);

        Assert.False(result.IsAccepted);
        Assert.Contains("60000 × 60000 pixels", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnImageOverThePixelLimitIsRefusedEvenWithinTheSideLimit()
    {
        var result = ImageCodec.Normalize(GeneratedImages.Stripes(400, 400), maxDimension: 1000, maxPixels: 100_000);

        Assert.False(result.IsAccepted);
        Assert.Contains("400 × 400 pixels", result.Problem, StringComparison.Ordinal);
    }

    private static void AssertImage(NormalizedImage result, ImageFormat format, int width, int height)
    {
        Assert.True(result.IsAccepted, result.Problem);
        Assert.Equal(format, result.Format);
        Assert.Equal((width, height), (result.Width, result.Height));
        Assert.Equal((width, height), GeneratedImages.SizeOf(result.Bytes));
    }
}
