using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;

namespace Portfolio.BrowserTests.Engineering;

/// <summary>
/// The engineering page's interactive widgets work from the keyboard and without JavaScript.
/// Written against a guessed DOM contract (widgets <c>#lifecycle</c>, <c>#schema</c>, <c>#queue</c>); tighten
/// these to the real contract (roles, keys, states) once the engineering page lands in main.
/// </summary>
public sealed class EngineeringWidgetTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    public static TheoryData<string> Widgets => [.. EngineeringPage.WidgetIds];

    [Theory]
    [MemberData(nameof(Widgets))]
    public async Task EachWidgetIsReachedWithTabShowsFocusAndRespondsToTheKeyboard(string widgetId)
    {
        var page = await OpenPageAsync();
        var engineering = await EngineeringPage.OpenAsync(page);
        var widget = engineering.Widget(widgetId);
        await Assertions.Expect(widget).ToBeVisibleAsync();

        await engineering.TabToAsync(widget, $"The #{widgetId} widget");
        Assert.True(await engineering.FocusedElementShowsFocusAsync(), $"The focused control in #{widgetId} shows no focus indicator.");

        var before = await WidgetStateAsync(widget);
        foreach (var key in new[] { "Enter", "ArrowRight", "ArrowDown" })
        {
            await page.Keyboard.PressAsync(key);
        }

        Assert.NotEqual(before, await WidgetStateAsync(widget));
        AssertNoPageProblems($"The engineering page (#{widgetId})");
    }

    [Theory]
    [MemberData(nameof(Widgets))]
    public async Task EachWidgetShowsItsContentWithJavaScriptTurnedOff(string widgetId)
    {
        var page = await OpenPageAsync(Viewport.Desktop, javaScriptEnabled: false);
        var engineering = await EngineeringPage.OpenAsync(page);

        var text = (await engineering.Widget(widgetId).InnerTextAsync()).Trim();

        Assert.False(string.IsNullOrEmpty(text), $"#{widgetId} is empty without JavaScript.");
    }

    /// <summary>What a keyboard action can change: the widget's markup (states, selection) and where focus is.</summary>
    private static Task<string> WidgetStateAsync(Microsoft.Playwright.ILocator widget) =>
        widget.EvaluateAsync<string>("el => el.outerHTML + '\\u0000' + (document.activeElement?.outerHTML ?? '')");
}
