using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>
/// The engineering page at <c>/engineering</c> with its interactive widgets.
/// The widget ids (<c>#lifecycle</c>, <c>#schema</c>, <c>#queue</c>) are a best guess until the page's DOM contract lands.
/// </summary>
public sealed class EngineeringPage(IPage page) : SitePage(page)
{
    public static readonly IReadOnlyList<string> WidgetIds = ["lifecycle", "schema", "queue"];

    public static async Task<EngineeringPage> OpenAsync(IPage page)
    {
        await GotoAsync(page, "/engineering");
        return new EngineeringPage(page);
    }

    public ILocator Widget(string id) => Page.Locator($"#{id}");
}
