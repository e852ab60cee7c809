using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages.Backoffice;

namespace Portfolio.BrowserTests.Journeys;

/// <summary>An editor builds a page from blocks in the backoffice (add, move, remove, publish, view), with and without JavaScript.</summary>
public sealed class PageBuilderJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnEditorBuildsAPageFromBlocksAddsMovesAndRemovesThemAndPublishesIt(bool javaScript)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var path = $"guides/blocks-{id}";
        var page = await OpenPageAsync(javaScriptEnabled: javaScript);
        await BackofficeAccounts.SignInAsAdministratorAsync(page);
        await page.GotoAsync("/umbraco/content/create?type=page");
        var editor = new ContentEditorPage(page);
        await editor.Field("Title").FillAsync($"Blocks {id}");
        await page.Locator("#field-Slug").FillAsync(path);

        await AddBlockAsync(editor, "Rich text", "Block 1: Rich text");
        await editor.Field("Blocks-0-Text").FillAsync("Plain words with **weight**.");
        await AddBlockAsync(editor, "Quote or testimonial", "Block 2: Quote or testimonial");
        await editor.Field("Blocks-1-Quote").FillAsync($"Quoted {id}.");
        await editor.Field("Blocks-1-Author").FillAsync("A Client");
        await AddBlockAsync(editor, "Call to action", "Block 3: Call to action");

        // What was typed survives every round trip.
        await Assertions.Expect(editor.Field("Blocks-0-Text")).ToHaveValueAsync("Plain words with **weight**.");
        if (javaScript)
        {
            // axe runs as a script, which a context without JavaScript never evaluates (the call would wait forever);
            // the editor's markup is the same either way.
            await AxeChecker.AssertNoViolationsAsync(page, "the page editor with three blocks");
        }

        await editor.Form.Locator("button[value='remove:Blocks[2]']").ClickAsync();
        await Assertions.Expect(Legend(editor, "Block 3: Call to action")).ToHaveCountAsync(0);
        await editor.Form.Locator("button[value='up:Blocks[1]']").ClickAsync();
        await Assertions.Expect(Legend(editor, "Block 1: Quote or testimonial")).ToBeVisibleAsync();
        await Assertions.Expect(editor.Field("Blocks-0-Quote")).ToHaveValueAsync($"Quoted {id}.");
        await Assertions.Expect(editor.Field("Blocks-1-Text")).ToHaveValueAsync("Plain words with **weight**.");
        if (javaScript)
        {
            // The list was swapped in place: focus stayed with the moved block, on its own button.
            await Assertions.Expect(editor.Form.Locator("button[value='down:Blocks[0]']")).ToBeFocusedAsync();
        }

        await editor.Button("Create draft").ClickAsync();
        await page.WaitForAddressAsync(url => url.Query.Contains("status=created", StringComparison.Ordinal));
        await editor.SaveAndPublishAsync();

        var visitor = await OpenPageAsync(javaScriptEnabled: javaScript);
        var response = await visitor.GotoAsync("/" + path);
        Assert.Equal(200, response?.Status);
        await Assertions.Expect(visitor.Locator("h1")).ToHaveTextAsync($"Blocks {id}");
        var text = await visitor.Locator("main").InnerTextAsync();
        Assert.True(text.IndexOf($"Quoted {id}.", StringComparison.Ordinal) < text.IndexOf("Plain words with", StringComparison.Ordinal),
            "The quote was moved above the text.");
        await Assertions.Expect(visitor.Locator("main .prose strong")).ToHaveTextAsync("weight");
        if (javaScript)
        {
            await AxeChecker.AssertNoViolationsAsync(visitor, "a page built from blocks");
        }
        AssertNoPageProblems("Building a page from blocks");
    }

    [Fact]
    public async Task ThePublicPagesOfTheSampleContentBuiltFromBlocksPassAxe()
    {
        var page = await OpenPageAsync();
        foreach (var path in new[] { "/about", "/privacy", "/case-studies", "/case-studies/logistics-api-latency" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response?.Status);
            await AxeChecker.AssertNoViolationsAsync(page, path);
        }

        AssertNoPageProblems("The sample pages built from blocks");
    }

    private static ILocator Legend(ContentEditorPage editor, string text) =>
        editor.Form.Locator("legend").Filter(new() { HasTextString = text });

    private static async Task AddBlockAsync(ContentEditorPage editor, string kind, string legend)
    {
        await editor.Form.GetByRole(AriaRole.Group, new() { Name = "Add a block:" }).GetByRole(AriaRole.Button, new() { Name = kind, Exact = true }).ClickAsync();
        await Assertions.Expect(Legend(editor, legend)).ToBeVisibleAsync();
    }
}
