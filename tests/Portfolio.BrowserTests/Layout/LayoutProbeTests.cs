using Portfolio.BrowserTests.Infrastructure;

namespace Portfolio.BrowserTests.Layout;

/// <summary>The layout checks themselves work: they find what they look for, and pass a page without it.</summary>
[Collection(PageChecksCollection.Name)]
public sealed class LayoutProbeTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task TheProbeFindsAButtonDrawnOverAHeadingAndAnImageWithoutDimensions()
    {
        var page = await OpenPageAsync();
        await page.SetContentAsync(
            """
            <!DOCTYPE html><html lang="en"><head><title>Broken on purpose</title></head>
            <body><main><h1 id="title">A heading</h1>
            <button id="over" style="position:absolute;top:10px;left:10px">On top</button>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="" style="width:10px">
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="" width="10" height="10"></main></body></html>
            """);

        var overlaps = await LayoutProbe.OverlapsAsync(page);
        var unsized = await LayoutProbe.ImagesWithoutDimensionsAsync(page);

        Assert.Contains(overlaps, overlap => overlap.Contains("h1#title", StringComparison.Ordinal) && overlap.Contains("button#over", StringComparison.Ordinal));
        Assert.Single(unsized);
    }

    [Fact]
    public async Task TheProbeFindsNothingOnAPageWhoseElementsOnlyTouchOrAreVisuallyHidden()
    {
        var page = await OpenPageAsync();
        await page.SetContentAsync(
            """
            <!DOCTYPE html><html lang="en"><head><title>Clean</title></head>
            <body><main><div style="position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)"><label for="trap">A trap</label><input id="trap"></div>
            <h1>A heading</h1><p>A paragraph with <a href="#a">one link</a> and <a href="#b">another link</a>.</p>
            <ul><li>One</li><li>Two</li></ul><button>Send</button></main></body></html>
            """);

        Assert.Empty(await LayoutProbe.OverlapsAsync(page));
        Assert.Empty(await LayoutProbe.ImagesWithoutDimensionsAsync(page));
    }
}
