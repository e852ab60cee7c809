using System.Text;
using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;
using Portfolio.BrowserTests.Pages.Backoffice;
using static Microsoft.Playwright.Assertions;

namespace Portfolio.BrowserTests.Backoffice;

/// <summary>
/// An editor uploads an image through the media library page, as a person would (the file chooser, the alt text, the
/// upload button), and sees it in the library, thumbnail loaded from <c>/media/{name}</c>. With and without JavaScript,
/// on a desktop and a phone; axe-core finds nothing on the library or on its error state.
/// </summary>
public sealed class MediaLibraryTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    public static TheoryData<string> Viewports => new(Viewport.All.Select(viewport => viewport.Name));

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task AnEditorUploadsAnImageWithAltTextAndSeesItInTheLibrary(string viewportName)
    {
        var viewport = Viewport.Named(viewportName);
        var page = await OpenPageAsync(viewport);
        await BackofficeAccounts.SignInAsNewUserAsync(page, "Editor");
        await (await BackofficeMenu.LinkAsync(page, "Media")).ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath == MediaLibraryPage.Path);
        var library = new MediaLibraryPage(page);
        await Expect(library.Heading).ToHaveTextAsync("Media");
        await AxeChecker.AssertNoViolationsAsync(page, $"the media library ({viewport})");

        // A refused file: the script shows the server's error in place, and the form works again afterwards.
        var html = Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>");
        await library.UploadAsync("page.png", "image/png", html, "Not an image");
        await Expect(library.FieldError).ToContainTextAsync("not a JPEG, PNG, WebP or GIF");
        await Expect(library.File).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("main .bo-alert--error")).ToBeFocusedAsync();
        await AxeChecker.AssertNoViolationsAsync(page, $"the media library's refused upload ({viewport})");

        var fileName = $"red-square-{Guid.NewGuid():N}.png";
        await library.UploadAsync(fileName, "image/png", MediaLibraryPage.RedSquarePng, "A small red square");

        await Expect(library.StatusMessage).ToHaveTextAsync("The image has been uploaded.");
        var card = library.Card(fileName);
        await Expect(card).ToBeVisibleAsync();
        await Expect(card.GetByLabel("Alt text")).ToHaveValueAsync("A small red square");
        await Expect(card).Not.ToContainTextAsync("Needs alt text");
        var thumbnail = card.Locator("img.bo-media__thumb");
        await thumbnail.ScrollIntoViewIfNeededAsync();
        await Expect(thumbnail).ToHaveJSPropertyAsync("naturalWidth", 2);
        Assert.Matches("^/media/[0-9a-f]{32}\\.png$", await thumbnail.GetAttributeAsync("src"));

        await AxeChecker.AssertNoViolationsAsync(page, $"the media library with an image ({viewport})");
        await ScreenshotAsync(page, $"backoffice-media-{viewport}");
        AssertNoPageProblems("the media library");
    }

    [Fact]
    public async Task WithoutJavaScriptTheFormStillUploadsAndARenamedSvgIsRefusedBesideTheField()
    {
        var page = await OpenPageAsync(javaScriptEnabled: false);
        await BackofficeAccounts.SignInAsNewUserAsync(page, "Writer");
        var library = await MediaLibraryPage.OpenAsync(page);

        var svg = Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
        await library.UploadAsync("innocent.png", "image/png", svg, "Not really an image");

        await Expect(library.FieldError).ToContainTextAsync("not a JPEG, PNG, WebP or GIF");
        await Expect(library.File).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("main .bo-alert--error")).ToBeVisibleAsync();
        await Expect(library.Card("innocent.png")).ToHaveCountAsync(0);

        var fileName = $"no-script-{Guid.NewGuid():N}.png";
        await library.UploadAsync(fileName, "image/png", MediaLibraryPage.RedSquarePng, "A red square, sent without script");
        await Expect(library.StatusMessage).ToHaveTextAsync("The image has been uploaded.");
        await Expect(library.Card(fileName)).ToBeVisibleAsync();
        AssertNoPageProblems("the media library without JavaScript");
    }
}
