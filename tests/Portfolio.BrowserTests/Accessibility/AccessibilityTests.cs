using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;

namespace Portfolio.BrowserTests.Accessibility;

/// <summary>Every page type passes axe-core with no violation, on a phone and on a desktop, in light and dark.</summary>
[Collection(PageChecksCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [MemberData(nameof(PageTypes.AllAtEveryViewportInEveryScheme), MemberType = typeof(PageTypes))]
    public async Task EveryPageTypeHasNoAxeViolations(string pageType, string viewport, string scheme)
    {
        var page = await OpenPageAsync(Viewport.Named(viewport), colorScheme: PageTypes.Scheme(scheme));

        await PageTypes.OpenAsync(page, pageType);

        await AxeChecker.AssertNoViolationsAsync(page, $"the {pageType} page at {viewport} width in the {scheme} scheme");
    }
}
