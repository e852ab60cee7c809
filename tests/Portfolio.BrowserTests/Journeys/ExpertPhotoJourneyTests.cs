using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;
using Portfolio.BrowserTests.Pages.Backoffice;
using static Microsoft.Playwright.Assertions;

namespace Portfolio.BrowserTests.Journeys;

/// <summary>
/// Issue 15's media journey as an editor makes it: upload a photo, set its focal point with a click on the image,
/// pick it as Talha's photo, publish, and see it on the roster, the profile and in the share preview (og:image).
/// </summary>
public sealed class ExpertPhotoJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    /// <summary>An 800 × 400 PNG: a dark left half and a teal right half (drawn by Chromium's canvas in the test).</summary>
    private static async Task<byte[]> DrawPhotoAsync(IPage page) =>
        Convert.FromBase64String(await page.EvaluateAsync<string>("""
            () => {
              const canvas = document.createElement('canvas');
              canvas.width = 800; canvas.height = 400;
              const context = canvas.getContext('2d');
              context.fillStyle = '#0f172a'; context.fillRect(0, 0, 400, 400);
              context.fillStyle = '#14b8a6'; context.fillRect(400, 0, 400, 400);
              return canvas.toDataURL('image/png').split(',')[1];
            }
            """));

    [Fact]
    public async Task AnEditorUploadsAPhotoSetsItsFocalPointPicksItForTalhaAndSeesItOnTheRosterTheProfileAndTheSharePreview()
    {
        var page = await OpenPageAsync();
        await BackofficeAccounts.SignInAsNewUserAsync(page, "Editor");
        var library = await MediaLibraryPage.OpenAsync(page);
        var fileName = $"talha-{Guid.NewGuid():N}.png";
        var alt = $"Talha at the whiteboard {Guid.NewGuid():N}"[..40];
        await library.UploadAsync(fileName, "image/png", await DrawPhotoAsync(page), alt);
        await Expect(library.StatusMessage).ToHaveTextAsync("The image has been uploaded.");

        // A click three quarters across the preview sets the focal point there (the form posts where it was clicked).
        var card = library.Card(fileName);
        var preview = card.Locator("input[type=image]");
        await preview.ScrollIntoViewIfNeededAsync();
        // An <input type="image"> has no "complete": wait until its picture has been laid out at the preview's size.
        await Expect(preview).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("el => el.getBoundingClientRect().height > 100", await preview.ElementHandleAsync());
        await AxeChecker.AssertNoViolationsAsync(page, "the media library with the focal point form");
        await preview.ClickAsync(new() { Position = new() { X = 180, Y = 60 } });
        await Expect(library.StatusMessage).ToContainTextAsync("The focal point has been saved");
        await Expect(library.Card(fileName).GetByLabel("From the left (%)")).ToHaveValueAsync("75");
        await Expect(library.Card(fileName).GetByLabel("From the top (%)")).ToHaveValueAsync("50");

        var editor = await (await ContentTreePage.OpenFromNavigationAsync(page)).OpenItemAsync("Talha");
        await editor.Form.GetByRole(AriaRole.Radio, new() { NameRegex = new System.Text.RegularExpressions.Regex(alt) }).First.CheckAsync();
        await editor.SaveAndPublishAsync();

        var visitor = await OpenPageAsync();
        foreach (var (path, photoSelector) in new[] { ("/team", "article:has(a[href='/team/talha']) picture img"), ("/team/talha", ".profile-hero picture img") })
        {
            await visitor.GotoAsync(path);
            var photo = visitor.Locator(photoSelector).First;

            await photo.ScrollIntoViewIfNeededAsync();
            await Expect(photo).ToHaveJSPropertyAsync("complete", true);
            // A broken image is "complete" too, with no natural size. (Not "at least 320": with w descriptors the natural
            // width is the file's width over the density the browser chose, e.g. 320w shown at 72 px is 72.)
            Assert.True(await photo.EvaluateAsync<int>("img => img.naturalWidth") > 0, $"{path}: the photo did not load");
            // The browser chose the WebP source.
            Assert.EndsWith(".webp", await photo.EvaluateAsync<string>("img => img.currentSrc"), StringComparison.Ordinal);
            await AxeChecker.AssertNoViolationsAsync(visitor, $"{path} with Talha's photo");
        }

        var shareImage = await visitor.Locator("meta[property='og:image']").GetAttributeAsync("content");
        Assert.Matches("/media/sizes/[0-9a-f]{32}-share-1200w-f75x50\\.png$", shareImage);
        var response = await visitor.APIRequest.GetAsync(new Uri(shareImage!).PathAndQuery);
        Assert.Equal("image/png", response.Headers["content-type"]);
        AssertNoPageProblems("the expert photo journey");
    }
}
