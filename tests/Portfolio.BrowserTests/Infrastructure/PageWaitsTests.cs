namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>
/// The race-free waits (<see cref="PageWaits"/>) wait for what they say: the address, then the load state asked for, and
/// fail naming where the page stayed. Pages come from a route, so no app is involved.
/// </summary>
[Collection(PageChecksCollection.Name)]
public sealed class PageWaitsTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Site = "http://waits.test";

    [Fact]
    public async Task TheAddressWaitReturnsOnceTheDocumentIsParsedWhileAnImageHoldsTheLoadStateBack()
    {
        var page = await OpenPageAsync();
        var image = new TaskCompletionSource();
        await page.RouteAsync($"{Site}/**", async route =>
        {
            switch (new Uri(route.Request.Url).AbsolutePath)
            {
                case "/one":
                    await route.FulfillAsync(new() { ContentType = "text/html", Body = "<title>One</title><a href='/two'>to two</a>" });
                    break;
                case "/two":
                    await route.FulfillAsync(new() { ContentType = "text/html", Body = "<title>Two</title><img src='/held.gif' alt=''>" });
                    break;
                default:
                    await image.Task;   // the load event waits for this image
                    await route.FulfillAsync(new() { ContentType = "image/gif", BodyBytes = Convert.FromBase64String("R0lGODlhAQABAAAAACw=") });
                    break;
            }
        });
        try
        {
            await page.GotoAsync($"{Site}/one");

            await page.GetByRole(AriaRole.Link, new() { Name = "to two" }).ClickAsync();
            await page.WaitForAddressAsync(url => url.AbsolutePath == "/two", LoadState.DOMContentLoaded);
            Assert.Equal("Two", await page.TitleAsync());

            var held = await Assert.ThrowsAsync<TimeoutException>(() =>
                page.WaitForAddressAsync(url => url.AbsolutePath == "/two", LoadState.Load, TimeSpan.FromSeconds(2)));
            Assert.Contains("\"Load\"", held.Message, StringComparison.Ordinal);

            image.SetResult();
            await page.WaitForStateAsync(LoadState.Load);
        }
        finally
        {
            image.TrySetResult();
        }
    }

    [Fact]
    public async Task TheAddressWaitFailsNamingTheAddressThePageStayedAt()
    {
        var page = await OpenPageAsync();
        await page.RouteAsync($"{Site}/**", route => route.FulfillAsync(new() { ContentType = "text/html", Body = "<title>Here</title>" }));
        await page.GotoAsync($"{Site}/here");

        var stayed = await Assert.ThrowsAsync<TimeoutException>(() =>
            page.WaitForAddressAsync(url => url.AbsolutePath == "/elsewhere", timeout: TimeSpan.FromSeconds(1)));
        Assert.Contains($"{Site}/here", stayed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNextDocumentWaitReturnsForAPagePostedBackToItsOwnAddressAndFailsWhenNoneLoads()
    {
        var page = await OpenPageAsync();
        await page.RouteAsync($"{Site}/**", async route =>
        {
            if (new Uri(route.Request.Url).AbsolutePath == "/held.js")
            {
                // A script in the answer's head, held back a while: the answer is not parsed until it comes.
                await Task.Delay(500);
                await route.FulfillAsync(new() { ContentType = "text/javascript", Body = "document.documentElement.dataset.ran = 'yes';" });
                return;
            }

            var posted = route.Request.Method == "POST";
            await route.FulfillAsync(new()
            {
                ContentType = "text/html",
                Body = (posted ? "<title>Posted</title><script src='/held.js'></script>" : "<title>Form</title>") +
                       "<form method='post'><button>Send</button></form><button id='idle' type='button'>Nothing</button>",
            });
        });
        await page.GotoAsync($"{Site}/form");

        // The same address before and after: only a new document, parsed to the end, tells that the answer has come.
        await page.RunAndWaitForNextDocumentAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync());
        Assert.Equal("yes", await page.EvaluateAsync<string?>("document.documentElement.dataset.ran"));
        Assert.NotEqual("loading", await page.EvaluateAsync<string>("document.readyState"));
        Assert.Equal("Posted", await page.TitleAsync());

        var stayed = await Assert.ThrowsAsync<TimeoutException>(() =>
            page.RunAndWaitForNextDocumentAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Nothing" }).ClickAsync(), TimeSpan.FromSeconds(1)));
        Assert.Contains($"{Site}/form", stayed.Message, StringComparison.Ordinal);
    }
}
