using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Media;
using SkiaSharp;

namespace Portfolio.Tests.Media;

/// <summary>Crops keep the focal point in view: checked on the pixels of a striped test image.</summary>
[ProviderIndependent]
public sealed class ImageCropTests
{
    [Theory]
    [InlineData(12, 0)]  // near the left edge: the crop is pushed inside, the first stripe
    [InlineData(62, 2)]  // a third stripe's middle
    [InlineData(87, 3)]  // the last stripe
    public void ASquareCropIsCentredOnTheFocalPoint(int focalX, int stripe)
    {
        // 1600 × 400: four stripes of 400 pixels, so a 400-pixel square around the focal point is one colour.
        var source = GeneratedImages.Stripes(1600, 400);
        var size = new ImageSize(Guid.NewGuid(), ImageCrop.Avatar, 320, focalX, 50, ImageFormat.Png);

        var crop = ImageSizeCache.Render(size, source);

        Assert.Equal((320, 320), GeneratedImages.SizeOf(crop));
        var expected = GeneratedImages.StripeColours[stripe];
        Assert.True(GeneratedImages.Near(GeneratedImages.PixelAt(crop, 0.5f, 0.5f), expected), $"centre {GeneratedImages.PixelAt(crop, 0.5f, 0.5f)}, expected {expected}");
    }

    [Fact]
    public void TheShareImageIs1200By630AndFollowsTheFocalPoint()
    {
        // 1600 × 1600 with stripes: a 1600 × 840 band, moved down to the focal point; the colours run left to right.
        var source = GeneratedImages.Stripes(1600, 1600);
        var rectangle = ImageCrop.Share.Rectangle(1600, 1600, 50, 90);

        var crop = ImageSizeCache.Render(new ImageSize(Guid.NewGuid(), ImageCrop.Share, 1200, 50, 90, ImageFormat.Jpeg), source);

        Assert.Equal((1200, 630), GeneratedImages.SizeOf(crop));
        Assert.Equal(new SKRectI(0, 760, 1600, 1600), rectangle);
        Assert.True(GeneratedImages.Near(GeneratedImages.PixelAt(crop, 0.1f, 0.5f), SKColors.Red));
        Assert.True(GeneratedImages.Near(GeneratedImages.PixelAt(crop, 0.9f, 0.5f), SKColors.Yellow));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef-card-640w-f50x50.webp", true)]
    [InlineData("0123456789abcdef0123456789abcdef-share-1200w-f0x100.jpg", true)]
    [InlineData("0123456789abcdef0123456789abcdef-card-641w-f50x50.webp", false)]
    [InlineData("0123456789abcdef0123456789abcdef-share-640w-f50x50.jpg", false)]
    [InlineData("0123456789abcdef0123456789abcdef-card-640w-f050x50.webp", false)]
    [InlineData("0123456789abcdef0123456789abcdef-card-640w-f101x50.webp", false)]
    [InlineData("0123456789abcdef0123456789abcdef-huge-640w-f50x50.webp", false)]
    [InlineData("0123456789abcdef0123456789abcdef-card-640w-f50x50.gif", false)]
    [InlineData("../0123456789abcdef0123456789abcdef-card-640w-f50x50.webp", false)]
    public void OnlyTheWidthsCropsAndFormatsOfferedHaveAName(string name, bool valid)
    {
        Assert.Equal(valid, ImageSize.TryParse(name, out var size));
        if (valid)
        {
            Assert.Equal(name, size!.FileName);
        }
    }
}
