using Portfolio.BrowserTests.Infrastructure;
using Xunit.Sdk;

namespace Portfolio.BrowserTests.Accessibility;

/// <summary>The accessibility check itself works: a clean page passes, a broken one fails with details.</summary>
[Collection(PageChecksCollection.Name)]
public sealed class AxeCheckerTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task AxeReportsAnImageWithoutAltTextAndAnUnlabelledFieldWithTheirIdsAndTargets()
    {
        var page = await OpenPageAsync();
        await page.SetContentAsync(
            """
            <!DOCTYPE html><html lang="en"><head><title>Broken on purpose</title></head>
            <body><main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="no-alt"><input id="no-label" type="text"></main></body></html>
            """);

        var failure = await Assert.ThrowsAsync<XunitException>(() => AxeChecker.AssertNoViolationsAsync(page, "a broken page"));

        Assert.Contains("image-alt", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#no-alt", failure.Message, StringComparison.Ordinal);
        Assert.Contains("label", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#no-label", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AxeRunsOnTheSiteDespiteItsContentSecurityPolicyForbiddingInlineScript()
    {
        var page = await OpenPageAsync();
        var response = await page.GotoAsync("/");
        Assert.Contains("script-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);

        var violations = await AxeChecker.RunAsync(page);

        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.axe.run === 'function'"));
        Assert.NotNull(violations);
    }
}
