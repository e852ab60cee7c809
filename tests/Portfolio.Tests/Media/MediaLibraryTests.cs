using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Backoffice;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;
using Portfolio.Web.Media;

namespace Portfolio.Tests.Media;

/// <summary>
/// The media library through its pages: what is accepted (by bytes, never by name or Content-Type), what is refused
/// and how, how files are served, and who may do what.
/// </summary>
public sealed class MediaLibraryTests(MediaApp app) : IClassFixture<MediaApp>
{
    public static TheoryData<string, string, string> AcceptedImages => new()
    {
        { "jpeg", "image/jpeg", ".jpg" },
        { "png", "image/png", ".png" },
        { "webp", "image/webp", ".webp" },
        // Skia has no GIF encoder: a GIF is stored as a PNG of its first frame.
        { "gif", "image/png", ".png" },
    };

    private static byte[] ImageOf(string kind) => kind switch
    {
        "jpeg" => TestImages.Jpeg,
        "png" => TestImages.Png,
        "webp" => TestImages.WebP,
        "gif" => TestImages.Gif,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(AcceptedImages))]
    public async Task EachAcceptedTypeIsReEncodedAndStoredUnderAGeneratedNameWithTheTypeReadFromItsBytes(string kind, string contentType, string extension)
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var bytes = ImageOf(kind);

        // A misleading name and Content-Type: neither counts.
        var response = await editor.UploadAsync(bytes, $"holiday {kind}.txt", "A red square", contentType: "text/plain");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var item = Assert.Single(await app.ItemsAsync(), candidate => response.Headers.Location!.OriginalString.EndsWith(candidate.Id.ToString("N"), StringComparison.Ordinal));
        Assert.Equal(contentType, item.ContentType);
        Assert.Matches($"^[0-9a-f]{{32}}\\{extension}$", item.StoredName);
        Assert.Equal($"holiday {kind}.txt", item.OriginalName);
        var stored = await File.ReadAllBytesAsync(Path.Combine(app.MediaFolder, item.StoredName));
        Assert.Equal(stored.Length, item.SizeBytes);
        Assert.Equal((item.Width!.Value, item.Height!.Value), GeneratedImages.SizeOf(stored));

        var served = await app.CreateBrowser().GetAsync(item.Url);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(contentType, served.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(served.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("inline", served.Content.Headers.ContentDisposition?.DispositionType);
        Assert.True(served.Headers.CacheControl is { Public: true, MaxAge.TotalDays: >= 365 }, $"Cache-Control: {served.Headers.CacheControl}");
        Assert.Contains("immutable", served.Headers.CacheControl!.Extensions.Select(extension => extension.Name));
        Assert.Equal(stored, await served.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task APngNamedSvgIsStoredAsAPng()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);

        var location = await editor.UploadStoredAsync(TestImages.Png, "logo.svg");

        var item = (await app.ItemsAsync()).Single(candidate => location.EndsWith(candidate.Id.ToString("N"), StringComparison.Ordinal));
        Assert.Equal("image/png", item.ContentType);
        Assert.EndsWith(".png", item.StoredName, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> RefusedFiles => new()
    {
        { "svg", "photo.png", "not a JPEG, PNG, WebP or GIF" },
        { "html", "photo.jpg", "not a JPEG, PNG, WebP or GIF" },
        { "html+png", "photo.png", "not a JPEG, PNG, WebP or GIF" },
        { "truncated png", "photo.png", "damaged or incomplete" },
        { "bomb", "photo.png", "60000 × 60000 pixels" },
        { "empty", "photo.png", "The file is empty." },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task FilesThatAreNotCleanImagesAreRefusedWithAFieldErrorAndNothingIsStored(string kind, string fileName, string expectedError)
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var bytes = kind switch
        {
            "svg" => TestImages.Svg,
            "html" => TestImages.Html,
            "html+png" => [.. TestImages.Html, .. TestImages.Png],
            "truncated png" => GeneratedImages.Stripes(400, 300)[..600],
            "bomb" => GeneratedImages.PngClaiming(60_000, 60_000),
            "empty" => [],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var before = (await app.ItemsAsync()).Count;
        var filesBefore = Directory.GetFiles(app.MediaFolder).Length;

        var response = await editor.UploadAsync(bytes, fileName, "Something", contentType: "image/png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(expectedError, MediaForms.FieldError(page), StringComparison.Ordinal);
        Assert.Equal("true", page.QuerySelector("#Upload")!.GetAttribute("aria-invalid"));
        Assert.NotNull(page.QuerySelector("main .bo-alert--error"));
        Assert.Equal(before, (await app.ItemsAsync()).Count);
        Assert.Equal(filesBefore, Directory.GetFiles(app.MediaFolder).Length);
    }

    [Fact]
    public async Task AFileJustOverTheLimitIsRefusedWithAFieldError()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var before = (await app.ItemsAsync()).Count;

        var response = await editor.UploadAsync(TestImages.PngOfSize((int)MediaApp.MaxUploadBytes + 1), "big.png", "Big");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("larger than 64 KB", MediaForms.FieldError(Html.Parse(await response.Content.ReadAsStringAsync())), StringComparison.Ordinal);
        Assert.Equal(before, (await app.ItemsAsync()).Count);
    }

    [Fact]
    public async Task AFileFarOverTheLimitIsTurnedAwayBeforeItsBodyIsReadWithAFieldErrorNotAnErrorPage()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var before = (await app.ItemsAsync()).Count;

        var response = await editor.UploadAsync(TestImages.PngOfSize((int)MediaApp.MaxUploadBytes * 4), "huge.png", "Huge");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Equal("/umbraco/media?problem=too-large", location);
        var page = await editor.GetDocumentAsync(location);
        Assert.Contains("larger than 64 KB", MediaForms.FieldError(page), StringComparison.Ordinal);
        Assert.Equal(before, (await app.ItemsAsync()).Count);
    }

    [Fact]
    public async Task AnImageJustUnderTheLimitIsAccepted()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);

        await editor.UploadStoredAsync(TestImages.PngOfSize((int)MediaApp.MaxUploadBytes), "exactly-the-limit.png");
    }

    [Fact]
    public async Task AnUploadWithoutTheAntiforgeryTokenIsRefused()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var before = (await app.ItemsAsync()).Count;

        var response = await editor.UploadAsync(TestImages.Png, "photo.png", "A red square", withAntiforgeryToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, (await app.ItemsAsync()).Count);
    }

    [Theory]
    [InlineData("/media/..%2Fappsettings.json")]
    [InlineData("/media/%2e%2e%2f%2e%2e%2fappsettings.json")]
    [InlineData("/media/..%5C..%5Cappsettings.json")]
    [InlineData("/media/00000000000000000000000000000000.png")]
    [InlineData("/media/portfolio.db")]
    [InlineData("/media/")]
    public async Task UnknownNamesAndPathsOutsideTheFolderAreNotFound(string path)
    {
        // A file that exists in the content root, and one in the media folder that the library does not know.
        await File.WriteAllTextAsync(Path.Combine(app.MediaFolder, "00000000000000000000000000000000.png"), "not registered");

        var response = await app.CreateBrowser().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheOwnerRoleCannotOpenTheLibraryOrUpload()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var form = await MediaForms.UploadFormAsync(editor);

        var page = await owner.GetAsync(MediaForms.Page);
        var token = await owner.AntiforgeryTokenAsync();
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(TestImages.Png), "Upload", "photo.png" },
        };
        var upload = await owner.PostAsync(form.GetAttribute("action"), content);

        Assert.True(IsAccessDenied(page), $"GET answered {(int)page.StatusCode}");
        Assert.True(IsAccessDenied(upload), $"POST answered {(int)upload.StatusCode}");
        var navigation = (await owner.GetDocumentAsync("/umbraco")).QuerySelectorAll("nav.bo-nav a").Select(a => a.GetAttribute("href"));
        Assert.DoesNotContain(MediaForms.Page, navigation);
    }

    [Fact]
    public async Task AWriterCanUploadAndDescribeButNotDelete()
    {
        var (writer, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        var location = await writer.UploadStoredAsync(TestImages.Gif, "dot.gif", altText: null);
        var item = (await app.ItemsAsync()).Single(candidate => location.EndsWith(candidate.Id.ToString("N"), StringComparison.Ordinal));

        var page = await writer.GetDocumentAsync(MediaForms.Page);
        var card = page.QuerySelector($"#media-{item.Id:N}")!;
        Assert.Contains("Needs alt text", card.TextContent, StringComparison.Ordinal);
        Assert.Null(card.QuerySelector("form[action*='handler=Delete']"));

        var described = await writer.SubmitAsync(MediaForms.Page, new() { ["AltText"] = "A single white dot" }, $"#media-{item.Id:N} form[action*='handler=AltText']");
        Assert.Equal(HttpStatusCode.Redirect, described.StatusCode);
        Assert.Equal("A single white dot", (await app.ItemsAsync()).Single(candidate => candidate.Id == item.Id).AltText);

        var token = await writer.AntiforgeryTokenAsync(MediaForms.Page);
        var delete = await writer.PostFormAsync($"{MediaForms.Page}?handler=Delete&id={item.Id}",
            [new("__RequestVerificationToken", token), new("ConfirmDelete", "true")]);
        Assert.True(IsAccessDenied(delete), $"The writer's delete answered {(int)delete.StatusCode}");
        Assert.Contains(await app.ItemsAsync(), candidate => candidate.Id == item.Id);
        Assert.True(File.Exists(Path.Combine(app.MediaFolder, item.StoredName)));
    }

    [Fact]
    public async Task AnEditorDeletesAfterConfirmingAndTheFileIsGone()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var location = await editor.UploadStoredAsync(TestImages.WebP, "square.webp");
        var item = (await app.ItemsAsync()).Single(candidate => location.EndsWith(candidate.Id.ToString("N"), StringComparison.Ordinal));
        var deleteForm = $"#media-{item.Id:N} form[action*='handler=Delete']";

        var unconfirmed = await editor.SubmitAsync(MediaForms.Page, [], deleteForm);
        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.Contains("Tick the box", await unconfirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(await app.ItemsAsync(), candidate => candidate.Id == item.Id);

        var confirmed = await editor.SubmitAsync(MediaForms.Page, new() { ["ConfirmDelete"] = "true" }, deleteForm);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.DoesNotContain(await app.ItemsAsync(), candidate => candidate.Id == item.Id);
        Assert.False(File.Exists(Path.Combine(app.MediaFolder, item.StoredName)));
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateBrowser().GetAsync(item.Url)).StatusCode);
        await app.WithDbAsync(async db => Assert.Contains(db.AuditEntries, entry => entry.Action == MediaAudit.Deleted && entry.EntityId == item.Id.ToString()));
    }

    [Fact]
    public async Task AnImageWithoutAltTextIsNotOfferedByThePickerUntilItIsDescribed()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var location = await editor.UploadStoredAsync(TestImages.Png, "undescribed.png", altText: "   ");
        var item = (await app.ItemsAsync()).Single(candidate => location.EndsWith(candidate.Id.ToString("N"), StringComparison.Ordinal));
        Assert.True(item.NeedsAltText);
        Assert.Contains("status=uploaded-needs-alt", location, StringComparison.Ordinal);

        Assert.DoesNotContain(await UsableAsync(), usable => usable.Id == item.Id);

        await editor.SubmitAsync(MediaForms.Page, new() { ["AltText"] = "A red square on white" }, $"#media-{item.Id:N} form[action*='handler=AltText']");
        Assert.Contains(await UsableAsync(), usable => usable.Id == item.Id && usable.AltText == "A red square on white");
    }

    [Fact]
    public async Task AnImageThatContentShowsCannotBeDeletedAndTheProfileTakesItsAltTextFromTheLibrary()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var location = await editor.UploadStoredAsync(TestImages.Jpeg, "talha.jpg", "Talha at a whiteboard");
        var item = (await app.ItemsAsync()).Single(candidate => location.EndsWith(candidate.Id.ToString("N"), StringComparison.Ordinal));
        await app.WithContentAsync(async content =>
        {
            var talha = (await content.ListAsync("expertProfile")).Single(summary => summary.Slug == "talha");
            var draft = (await content.GetDraftAsync(talha.Key))!;
            var expert = (ExpertProfile)draft.Document;
            await content.SaveDraftAsync(talha.Key, expert with { PhotoUrl = item.Url, PhotoAlt = "" }, draft.Slug, "test");
            return await content.PublishAsync(talha.Key, "test");
        });

        var page = await editor.GetDocumentAsync(MediaForms.Page);
        var card = page.QuerySelector($"#media-{item.Id:N}")!;
        Assert.Null(card.QuerySelector("form[action*='handler=Delete']"));
        Assert.Contains("Talha", card.QuerySelector(".bo-media__facts")!.TextContent, StringComparison.Ordinal);

        var token = await editor.AntiforgeryTokenAsync(MediaForms.Page);
        var delete = await editor.PostFormAsync($"{MediaForms.Page}?handler=Delete&id={item.Id}",
            [new("__RequestVerificationToken", token), new("ConfirmDelete", "true")]);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Contains("still shown by", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(await app.ItemsAsync(), candidate => candidate.Id == item.Id);

        var profile = await app.CreateBrowser().GetDocumentAsync("/team/talha");
        var photo = profile.QuerySelector($"img[src^='/media/sizes/{item.Id:N}-']")!;
        Assert.Equal("Talha at a whiteboard", photo.GetAttribute("alt"));

        // A changed description reaches the (output-cached) public page.
        await editor.SubmitAsync(MediaForms.Page, new() { ["AltText"] = "Talha explaining a diagram" }, $"#media-{item.Id:N} form[action*='handler=AltText']");
        profile = await app.CreateBrowser().GetDocumentAsync("/team/talha");
        Assert.Equal("Talha explaining a diagram", profile.QuerySelector($"img[src^='/media/sizes/{item.Id:N}-']")!.GetAttribute("alt"));
    }

    [Fact]
    public async Task AnEditorPicksAnUploadedImageInTheContentEditorAndThePublishedProfileShowsIt()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        await editor.UploadStoredAsync(TestImages.Png, "portrait.png", "Maya at her desk");
        var item = (await app.ItemsAsync()).Single(candidate => candidate.AltText == "Maya at her desk");
        var maya = await app.WithContentAsync(async content => (await content.ListAsync("expertProfile")).Single(summary => summary.Slug == "maya-lindqvist").Key);

        var form = await Portfolio.Tests.Backoffice.EditorForm.OpenAsync(editor, $"/umbraco/content/{maya}");
        var option = form.Page.QuerySelector($"input[type=radio][value='{item.Url}']");
        Assert.NotNull(option); // the picker offers the described image
        form[option.GetAttribute("name")!] = item.Url;
        var published = await form.PressAsync(editor, "Save and publish");
        Assert.Equal($"/umbraco/content/{maya}?status=published", published.Headers.Location?.PathAndQuery());

        var profile = await app.CreateBrowser().GetDocumentAsync("/team/maya-lindqvist");
        Assert.Equal("Maya at her desk", profile.QuerySelector($"img[src^='/media/sizes/{item.Id:N}-']")?.GetAttribute("alt"));
        var image = await app.CreateBrowser().GetAsync(item.Url);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheUploadedNameIsCleanedForDisplayAndNeverUsedAsAPath()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);

        var location = await editor.UploadStoredAsync(TestImages.Png, "..\\..\\evil\u202Egnp.exe");

        var item = (await app.ItemsAsync()).Single(candidate => location.EndsWith(candidate.Id.ToString("N"), StringComparison.Ordinal));
        Assert.Equal("evilgnp.exe", item.OriginalName);
        Assert.Equal(item.Id.ToString("N") + ".png", item.StoredName);
    }

    private Task<IReadOnlyList<MediaItem>> UsableAsync() =>
        app.WithScopeAsync(services => services.GetRequiredService<MediaLibrary>().ListUsableAsync());

    private static bool IsAccessDenied(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden ||
        (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.PathAndQuery().StartsWith("/umbraco/access-denied", StringComparison.Ordinal) == true);
}
