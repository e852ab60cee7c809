using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>
/// The backoffice's media library at <c>/umbraco/media</c>: the upload form (<c>form[data-media-upload]</c>, file
/// field <c>#Upload</c>, alt text <c>#UploadAltText</c>) and the library, one card <c>#media-{id}</c> per image.
/// </summary>
public sealed class MediaLibraryPage(IPage page)
{
    public const string Path = "/umbraco/media";

    /// <summary>A real 2×2 PNG (a red square, as Chromium's canvas encodes it).</summary>
    public static byte[] RedSquarePng { get; } = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEklEQVR4AWI6YKn9H4SZGKAAAAAA//+hBN/cAAAABklEQVQDADlKBEvDLolPAAAAAElFTkSuQmCC");

    public IPage Page { get; } = page;

    public static async Task<MediaLibraryPage> OpenAsync(IPage page)
    {
        var response = await page.GotoAsync(Path);
        Assert.Equal(200, response?.Status);
        return new MediaLibraryPage(page);
    }

    public ILocator Heading => Page.Locator("main h1");

    public ILocator File => Page.GetByLabel("Image file");

    public ILocator AltText => Page.GetByLabel("Alt text (needed before the image can be used)");

    public ILocator UploadButton => Page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true });

    public ILocator FieldError => Page.Locator("#upload-error");

    public ILocator StatusMessage => Page.Locator("main .bo-alert--success");

    /// <summary>The library's card of the image uploaded as <paramref name="fileName"/>.</summary>
    public ILocator Card(string fileName) => Page.Locator("li.bo-media").Filter(new() { Has = Page.Locator("h3", new() { HasText = fileName }) });

    /// <summary>Chooses a file as a person would in the file dialog, and sends the form with its alt text.</summary>
    public async Task UploadAsync(string fileName, string mimeType, byte[] bytes, string altText)
    {
        await File.SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = mimeType, Buffer = bytes });
        await AltText.FillAsync(altText);
        await UploadButton.ClickAsync();
    }
}
