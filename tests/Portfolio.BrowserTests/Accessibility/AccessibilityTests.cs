using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;

namespace Portfolio.BrowserTests.Accessibility;

/// <summary>
/// Every page type passes axe-core with no violation, on a phone and on a desktop, in light and dark (on the same visit as
/// the layout checks: <see cref="PageVisit"/>).
/// </summary>
[Collection(PageChecksCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [MemberData(nameof(PageTypes.AllAtEveryViewportInEveryScheme), MemberType = typeof(PageTypes))]
    public async Task EveryPageTypeHasNoAxeViolations(string pageType, string viewport, string scheme)
    {
        var visit = await PageVisit.OnceAsync(Fixture, pageType, viewport, scheme);

        AxeChecker.AssertNone(visit.Violations, $"the {pageType} page at {viewport} width in the {scheme} scheme (see {visit.Screenshot})", visit.Url);
    }
}
