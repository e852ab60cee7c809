using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;

namespace Portfolio.BrowserTests.Accessibility;

/// <summary>Every page type passes axe-core with no violation, on a phone and on a desktop.</summary>
public sealed class AccessibilityTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [MemberData(nameof(PageTypes.AllAtEveryViewport), MemberType = typeof(PageTypes))]
    public async Task EveryPageTypeHasNoAxeViolations(string pageType, string viewport)
    {
        var page = await OpenPageAsync(Viewport.Named(viewport));

        await PageTypes.OpenAsync(page, pageType);

        await AxeChecker.AssertNoViolationsAsync(page, $"the {pageType} page at {viewport} width");
    }
}
