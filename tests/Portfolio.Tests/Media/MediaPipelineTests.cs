using System.Net;
using System.Text;
using Portfolio.Tests.Backoffice;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;
using Portfolio.Web.Media;
using SkiaSharp;

namespace Portfolio.Tests.Media;

/// <summary>
/// From upload to page: what is stored, the sizes and crops the pages ask for (focal point, formats, cache headers),
/// the expert's photo or placeholder, and a share image on every public page. On SQLite and PostgreSQL (tests/run.sh).
/// </summary>
public sealed class MediaPipelineTests(MediaApp app) : IClassFixture<MediaApp>
{
    private async Task<(HttpClient Editor, MediaItem Item)> UploadAsync(byte[] bytes, string name, string alt = "Stripes")
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var location = await editor.UploadStoredAsync(bytes, name, alt);
        var item = (await app.ItemsAsync()).Single(candidate => location.EndsWith(candidate.Id.ToString("N"), StringComparison.Ordinal));
        return (editor, item);
    }

    private async Task<MediaItem> ReloadAsync(MediaItem item) => (await app.ItemsAsync()).Single(candidate => candidate.Id == item.Id);

    [Fact]
    public async Task ExifAndGpsAreGoneFromAnUploadedJpeg()
    {
        var (_, item) = await UploadAsync(GeneratedImages.JpegWithGps(), "holiday.jpg");

        var stored = await File.ReadAllBytesAsync(Path.Combine(app.MediaFolder, item.StoredName));
        var served = await app.CreateBrowser().GetByteArrayAsync(item.Url);

        Assert.Equal(stored, served);
        Assert.False(GeneratedImages.HasApp1(served));
        Assert.DoesNotContain(GeneratedImages.SecretDescription, Encoding.Latin1.GetString(served), StringComparison.Ordinal);
        Assert.Equal((64, 48), GeneratedImages.SizeOf(served));
    }

    [Fact]
    public async Task APayloadAppendedToAnImageIsGoneAfterUpload()
    {
        var (_, item) = await UploadAsync(TestImages.PngWithHtmlAppended, "polyglot.png");

        var served = await app.CreateBrowser().GetByteArrayAsync(item.Url);

        Assert.Equal("image/png", item.ContentType);
        Assert.DoesNotContain("<script", Encoding.Latin1.GetString(served), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("IEND", Encoding.ASCII.GetString(served[^8..^4]));
    }

    [Fact]
    public async Task SizesAreServedInTheirFormatWithLongCacheHeadersAndOnlyForTheCurrentFocalPoint()
    {
        var (_, item) = await UploadAsync(GeneratedImages.Stripes(1600, 400), "stripes.png");
        var browser = app.CreateBrowser();

        foreach (var (format, contentType) in new[] { (ImageFormat.WebP, "image/webp"), (ImageFormat.Png, "image/png") })
        {
            var size = ResponsiveImages.SizeOf(item, ImageCrop.Card, 640, format);
            var response = await browser.GetAsync(size.Url);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.CacheControl is { Public: true, MaxAge.TotalDays: >= 365 }, $"Cache-Control: {response.Headers.CacheControl}");
            Assert.Contains("immutable", response.Headers.CacheControl!.Extensions.Select(extension => extension.Name));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal((640, 427), GeneratedImages.SizeOf(await response.Content.ReadAsByteArrayAsync()));
        }

        // A JPEG of a PNG is not offered, nor a width outside the list, nor another focal point's crop.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(ResponsiveImages.SizeOf(item, ImageCrop.Card, 640, ImageFormat.Jpeg).Url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(ImageSize.Prefix + $"{item.Id:N}-card-650w-f50x50.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(ImageSize.Prefix + $"{item.Id:N}-card-640w-f10x50.png")).StatusCode);
    }

    [Fact]
    public async Task AFocalPointSetInTheBackofficeMovesTheCropsAndTheirUrls()
    {
        var (editor, item) = await UploadAsync(GeneratedImages.Stripes(1600, 400), "stripes.png");
        var browser = app.CreateBrowser();
        var centred = ResponsiveImages.SizeOf(item, ImageCrop.Avatar, 320, ImageFormat.Png);

        // With the number fields (as without JavaScript).
        await editor.SubmitAsync(MediaForms.Page, new() { ["FocalX"] = "87", ["FocalY"] = "50" }, $"#media-{item.Id:N} form[action*='handler=FocalPoint']");
        item = await ReloadAsync(item);
        Assert.Equal((87, 50), (item.FocalX, item.FocalY));
        var right = await browser.GetByteArrayAsync(ResponsiveImages.SizeOf(item, ImageCrop.Avatar, 320, ImageFormat.Png).Url);
        Assert.True(GeneratedImages.Near(GeneratedImages.PixelAt(right, 0.5f, 0.5f), SKColors.Yellow));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(centred.Url)).StatusCode);

        // With a click on the preview: 240 pixels wide, so x = 36 is 15 % from the left.
        var token = await editor.AntiforgeryTokenAsync(MediaForms.Page);
        var click = await editor.PostFormAsync($"{MediaForms.Page}?handler=FocalPoint&id={item.Id}",
            [new("__RequestVerificationToken", token), new("FocalX", "87"), new("FocalY", "50"), new("Focus.x", "36"), new("Focus.y", "30")]);
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        item = await ReloadAsync(item);
        Assert.Equal((15, 50), (item.FocalX, item.FocalY));
        var left = await browser.GetByteArrayAsync(ResponsiveImages.SizeOf(item, ImageCrop.Avatar, 320, ImageFormat.Png).Url);
        Assert.True(GeneratedImages.Near(GeneratedImages.PixelAt(left, 0.5f, 0.5f), SKColors.Red));
    }

    [Fact]
    public async Task AFocalPointOutsideZeroToAHundredIsAFieldError()
    {
        var (editor, item) = await UploadAsync(GeneratedImages.Stripes(400, 100), "stripes.png");

        var response = await editor.SubmitAsync(MediaForms.Page, new() { ["FocalX"] = "140", ["FocalY"] = "50" }, $"#media-{item.Id:N} form[action*='handler=FocalPoint']");
        var page = Html.Parse(await response.Content.ReadAsStringAsync());

        Assert.Contains("from 0 to 100", page.QuerySelector($"#focus-{item.Id:N}-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal((50, 50), ((await ReloadAsync(item)).FocalX, (await ReloadAsync(item)).FocalY));
    }

    [Fact]
    public async Task AnExpertsPhotoIsShownAsResponsiveCropsOnTheRosterTheProfileAndTheHomePageAndIsTheProfilesShareImage()
    {
        var (_, item) = await UploadAsync(GeneratedImages.Stripes(1600, 1600), "talha.png", "Talha at a whiteboard");
        await SetTalhaPhotoAsync(item.Url);
        var browser = app.CreateBrowser();

        foreach (var path in new[] { "/team", "/team/talha", "/" })
        {
            var page = await browser.GetDocumentAsync(path);
            var picture = page.QuerySelector($"picture:has(img[src^='/media/sizes/{item.Id:N}-avatar-'])");
            Assert.True(picture is not null, $"{path} shows no picture of the photo");
            Assert.Contains(".webp 320w", picture!.QuerySelector("source[type='image/webp']")!.GetAttribute("srcset"), StringComparison.Ordinal);
            var img = picture.QuerySelector("img")!;
            Assert.NotNull(img.GetAttribute("width"));
            Assert.NotNull(img.GetAttribute("height"));
            var response = await browser.GetAsync(img.GetAttribute("src"));
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        }

        var profile = await browser.GetDocumentAsync("/team/talha");
        var shareImage = profile.QuerySelector("meta[property='og:image']")!.GetAttribute("content")!;
        Assert.Contains($"/media/sizes/{item.Id:N}-share-1200w-", shareImage, StringComparison.Ordinal);
        var share = await browser.GetByteArrayAsync(new Uri(shareImage).PathAndQuery);
        Assert.Equal((1200, 630), GeneratedImages.SizeOf(share));
    }

    [Fact]
    public async Task AnExpertWithoutAPhotoShowsAGeneratedPortraitNotBareInitials()
    {
        await SetTalhaPhotoAsync("");
        var browser = app.CreateBrowser();

        var profile = await browser.GetDocumentAsync("/team/talha");
        var portrait = profile.QuerySelector(".profile-hero img.avatar")!;
        var src = portrait.GetAttribute("src")!;
        Assert.StartsWith(PortraitPlaceholder.Prefix, src, StringComparison.Ordinal);
        Assert.Null(profile.QuerySelector("span.avatar"));

        var response = await browser.GetAsync(src);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", string.Join(" ", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl is { Public: true, MaxAge.TotalDays: >= 365 });
        Assert.Contains("#0f766e", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(PortraitPlaceholder.Prefix + "%3Cscript%3E.svg")).StatusCode);
    }

    public static TheoryData<string> PublicPages => new()
    {
        "/", "/team", "/team/talha", "/team/talha/book", "/services", "/articles", "/contact", "/engineering", "/privacy",
    };

    [Theory]
    [MemberData(nameof(PublicPages))]
    public async Task EveryPublicPageNamesAShareImageOf1200By630ThatIsServed(string path)
    {
        var browser = app.CreateBrowser();
        var page = await browser.GetDocumentAsync(path);

        var content = page.QuerySelector("meta[property='og:image']")?.GetAttribute("content");
        Assert.False(string.IsNullOrEmpty(content), $"{path} has no og:image");
        Assert.True(Uri.TryCreate(content, UriKind.Absolute, out var url), content);
        var response = await browser.GetAsync(url!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("image/", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal((1200, 630), GeneratedImages.SizeOf(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal("summary_large_image", page.QuerySelector("meta[name='twitter:card']")!.GetAttribute("content"));
    }

    [Fact]
    public async Task DetailPagesOfServicesAndArticlesNameAShareImage()
    {
        var browser = app.CreateBrowser();
        foreach (var listing in new[] { "/services", "/articles" })
        {
            var first = (await browser.GetDocumentAsync(listing)).QuerySelector($"main a[href^='{listing}/']")!.GetAttribute("href")!;
            var page = await browser.GetDocumentAsync(first);
            var content = page.QuerySelector("meta[property='og:image']")!.GetAttribute("content")!;
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri(content).PathAndQuery)).StatusCode);
        }
    }

    [Fact]
    public async Task AGeneratedShareCardCarriesThePagesTitleSignedSoNoOtherTextCanBeDrawn()
    {
        var browser = app.CreateBrowser();
        var page = await browser.GetDocumentAsync("/contact");
        var card = new Uri(page.QuerySelector("meta[property='og:image']")!.GetAttribute("content")!).AbsolutePath;
        Assert.StartsWith(ShareCards.Prefix, card, StringComparison.Ordinal);

        var parts = card[ShareCards.Prefix.Length..].Split('.');
        var forged = $"{ShareCards.Prefix}{Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("Send money here"))}.{parts[1]}.png";

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(card)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(forged)).StatusCode);
    }

    private Task<ContentDraft> SetTalhaPhotoAsync(string url) => app.WithContentAsync(async content =>
    {
        var talha = (await content.ListAsync("expertProfile")).Single(summary => summary.Slug == "talha");
        var draft = (await content.GetDraftAsync(talha.Key))!;
        await content.SaveDraftAsync(talha.Key, (ExpertProfile)draft.Document with { PhotoUrl = url, PhotoAlt = "" }, draft.Slug, "test");
        return await content.PublishAsync(talha.Key, "test");
    });
}
