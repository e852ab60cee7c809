using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>The contact page at <c>/contact</c>.</summary>
public sealed class ContactPage(IPage page) : SitePage(page)
{
    public static async Task<ContactPage> OpenAsync(IPage page)
    {
        await GotoAsync(page, "/contact");
        return new ContactPage(page);
    }
}
