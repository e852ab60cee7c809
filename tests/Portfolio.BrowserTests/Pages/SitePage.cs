using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using Xunit.Sdk;

namespace Portfolio.BrowserTests.Pages;

/// <summary>What every public page has: the layout's landmarks, one main heading, the main navigation.</summary>
public abstract class SitePage(IPage page)
{
    private const int MaxTabPresses = 250;

    public IPage Page { get; } = page;

    public ILocator Main => Page.Locator("main");

    public ILocator MainHeading => Page.Locator("main h1");

    public ILocator MainNavigation => Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    /// <summary>Navigates to <paramref name="path"/> and checks the status code the server answered with.</summary>
    protected static async Task GotoAsync(IPage page, string path, int expectedStatus = 200)
    {
        var response = await page.GotoAsync(path) ?? throw new XunitException($"No response for {path}.");
        if (response.Status != expectedStatus)
        {
            throw new XunitException($"{path} answered {response.Status}, expected {expectedStatus} (page not built yet, or broken).");
        }
    }

    /// <summary>Checks that a click took the browser to <paramref name="path"/> and that the page loaded.</summary>
    protected Task ExpectPathAsync(string path) =>
        // The address, then the "load" state, which comes after the document is parsed.
        Page.WaitForAddressAsync(url => url.AbsolutePath.TrimEnd('/') == path.TrimEnd('/'), timeout: TimeSpan.FromSeconds(30));

    /// <summary>
    /// Moves focus with the Tab key, as a keyboard user would, until <paramref name="target"/> (or an element
    /// inside it) has it; fails when Tab never gets there.
    /// </summary>
    public async Task TabToAsync(ILocator target, string description)
    {
        await Page.Locator("body").FocusAsync();
        for (var presses = 0; presses < MaxTabPresses; presses++)
        {
            await Page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("el => el === document.activeElement || el.contains(document.activeElement)"))
            {
                return;
            }
        }

        throw new XunitException($"{description} never received focus after {MaxTabPresses} presses of Tab: it is not reachable by keyboard.");
    }

    /// <summary>Whether the focused element shows a focus indicator (an outline or a box shadow).</summary>
    public Task<bool> FocusedElementShowsFocusAsync() =>
        Page.EvaluateAsync<bool>(
            """
            () => {
              const el = document.activeElement;
              if (!el || el === document.body) return false;
              const style = getComputedStyle(el);
              const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
              const shadow = style.boxShadow && style.boxShadow !== 'none';
              return outline || shadow;
            }
            """);
}
