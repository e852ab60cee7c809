using Microsoft.Playwright;
using Xunit.Sdk;

namespace Portfolio.BrowserTests.Pages;

/// <summary>A list of items with their own pages: services at <c>/services</c>, articles at <c>/articles</c>.</summary>
public sealed class ListingPage(IPage page, string path) : SitePage(page)
{
    public string Path { get; } = path;

    public static async Task<ListingPage> OpenAsync(IPage page, string path)
    {
        await GotoAsync(page, path);
        return new ListingPage(page, path);
    }

    /// <summary>Links in the page body to one item (<c>/services/x</c>), not to feeds or the list itself.</summary>
    public ILocator ItemLinks => Main.Locator($"a[href^='{Path}/']:not([href$='.xml'])");

    /// <summary>Opens the first listed item and returns its path.</summary>
    public async Task<string> OpenFirstItemAsync()
    {
        if (await ItemLinks.CountAsync() == 0)
        {
            throw new XunitException($"{Path} lists no item (no link to {Path}/…) to open.");
        }

        var href = await ItemLinks.First.GetAttributeAsync("href") ?? "";
        await ItemLinks.First.ClickAsync();
        await ExpectPathAsync(new Uri(new Uri("http://x"), href).AbsolutePath);
        return href;
    }
}
