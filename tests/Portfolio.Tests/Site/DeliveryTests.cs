using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Site;

/// <summary>
/// Issue 16, delivery: what travels over the wire. Pages, feeds and the sitemap are compressed (Brotli before gzip),
/// wwwroot's files are served from their fingerprinted URLs, precompressed and cached for a year, a public page has
/// an ETag and revalidates to a 304 from the output cache, and private pages stay no-store and uncompressed over HTTPS.
/// </summary>
public sealed class DeliveryTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    private const string BrowserEncodings = "gzip, deflate, br, zstd";
    private const string Immutable = "public, max-age=31536000, immutable";

    [Theory]
    [InlineData("/")]
    [InlineData("/team/talha")]
    [InlineData("/contact")]
    [InlineData("/articles/feed.xml")]
    [InlineData("/sitemap.xml")]
    public async Task Delivery_PagesAndFeedsAreSentWithBrotliAndWithGzipToClientsWithoutIt(string path)
    {
        var client = app.CreateClient();

        var brotli = await GetAsync(client, path, BrowserEncodings);
        var gzip = await GetAsync(client, path, "gzip, deflate");
        var plain = await GetAsync(client, path, null);

        Assert.Equal(["br"], brotli.Content.Headers.ContentEncoding);
        Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", brotli.Headers.Vary);
        if (path != "/contact")
        {
            // Cached pages, the feed and the sitemap: their uncompressed copy says it is one of several too.
            Assert.Contains("Accept-Encoding", plain.Headers.Vary);
        }

        var text = WithoutHiddenFields(await plain.Content.ReadAsStringAsync());
        Assert.Equal(text, WithoutHiddenFields(Encoding.UTF8.GetString(await DecodeAsync(brotli))));
        Assert.Equal(text, WithoutHiddenFields(Encoding.UTF8.GetString(await DecodeAsync(gzip))));
        Assert.True((await brotli.Content.ReadAsByteArrayAsync()).Length < Encoding.UTF8.GetByteCount(text) / 2,
            $"{path}: Brotli should more than halve the response.");
    }

    [Fact]
    public async Task Delivery_ACachedPageIsCompressedHarderThanEveryRequestCouldAffordOnceForAllItsHits()
    {
        var sent = await GetAsync(app.CreateClient(), "/articles/what-happens-beneath-a-clean-interface", BrowserEncodings);
        var html = await DecodeAsync(sent);
        using var fastest = new MemoryStream();
        await using (var brotli = new BrotliStream(fastest, CompressionLevel.Fastest, leaveOpen: true))
        {
            await brotli.WriteAsync(html);
        }

        Assert.True((await sent.Content.ReadAsByteArrayAsync()).Length < fastest.Length * 0.95,
            $"Sent {sent.Content.Headers.ContentLength} bytes; Brotli's Fastest level makes {fastest.Length}.");
    }

    [Fact]
    public async Task Delivery_PagesLinkFingerprintedAssetsThatArePrecompressedAndCachedForAYear()
    {
        var client = app.CreateClient();
        var page = await client.GetDocumentAsync("/engineering");
        var urls = page.QuerySelectorAll("link[rel=stylesheet], link[rel=icon][type='image/svg+xml']").Select(link => link.GetAttribute("href")!)
            .Concat(page.QuerySelectorAll("script[src]").Select(script => script.GetAttribute("src")!))
            .ToList();

        Assert.Contains(urls, url => url.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(urls, url => url.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(urls, url => url.EndsWith(".svg", StringComparison.Ordinal));
        foreach (var url in urls)
        {
            // /css/site.css → /css/site.{fingerprint}.css: a new file gets a new URL, so the old one may be kept forever.
            var match = System.Text.RegularExpressions.Regex.Match(url, @"^/(?<dir>(?:[a-z-]+/)*)(?<name>[a-z-]+)\.[a-z0-9]{10}\.(?<ext>css|js|svg)$");
            Assert.True(match.Success, $"{url} is not a fingerprinted URL.");
            var file = Path.Combine(Repository.Root, "wwwroot", match.Groups["dir"].Value, match.Groups["name"].Value + "." + match.Groups["ext"].Value);

            // A built app has the build's gzip copies; a published one also Brotli copies (see the project file).
            var compressed = await GetAsync(client, url, BrowserEncodings);
            var plain = await GetAsync(client, url, null);

            Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
            Assert.Single(compressed.Content.Headers.ContentEncoding, encoding => encoding is "br" or "gzip");
            Assert.Equal(Immutable, compressed.Headers.CacheControl?.ToString());
            Assert.Equal(Immutable, plain.Headers.CacheControl?.ToString());
            Assert.Empty(plain.Content.Headers.ContentEncoding);
            var expected = await BuiltAssetAsync(file);
            Assert.Equal(expected, await DecodeAsync(compressed));
            Assert.Equal(expected, await plain.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [InlineData(BrowserEncodings)]
    [InlineData("gzip")]
    [InlineData(null)]
    public async Task Delivery_APublicPageHasAnETagAndARevalidationGetsA304FromTheOutputCache(string? encodings)
    {
        var client = app.CreateClient();
        await GetAsync(client, "/services", encodings);

        var cached = await GetAsync(client, "/services", encodings);
        var revalidation = new HttpRequestMessage(HttpMethod.Get, "/services");
        if (encodings is not null)
        {
            revalidation.Headers.Add("Accept-Encoding", encodings);
        }

        revalidation.Headers.IfNoneMatch.Add(cached.Headers.ETag!);
        var notModified = await client.SendAsync(revalidation);

        Assert.NotNull(cached.Headers.ETag);
        Assert.True(cached.Headers.Age is not null, "The second request should be answered by the output cache.");
        Assert.True(cached.Headers.CacheControl?.NoCache, $"Cache-Control: {cached.Headers.CacheControl}");
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(cached.Headers.ETag, notModified.Headers.ETag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Delivery_EachEncodingOfAPageHasItsOwnETagAndAnOldOneGetsTheWholePage()
    {
        var client = app.CreateClient();
        var brotli = await GetAsync(client, "/articles", BrowserEncodings);
        var gzip = await GetAsync(client, "/articles", "gzip");

        var stale = new HttpRequestMessage(HttpMethod.Get, "/articles");
        stale.Headers.Add("Accept-Encoding", "gzip");
        stale.Headers.IfNoneMatch.Add(brotli.Headers.ETag!);
        var answer = await client.SendAsync(stale);

        Assert.NotEqual(brotli.Headers.ETag, gzip.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(["gzip"], answer.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Delivery_PrivatePagesStayNoStoreAndAreNotCompressedOverHttpsWhilePublicOnesAre()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost/"), AllowAutoRedirect = false });
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 14))[2];
        var booking = ApiCalls.Booking(slot.Start);
        booking["email"] = "delivery.private@example.com";
        var created = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(booking));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var manageUrl = new Uri(System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("manageUrl").GetString()!);

        var manage = await GetAsync(client, manageUrl.AbsolutePath, BrowserEncodings);
        // Before the first administrator exists, sign-in sends to the setup page; either is a backoffice page.
        var signInPath = (await client.GetAsync("/umbraco/login")).Headers.Location?.OriginalString ?? "/umbraco/login";
        var signIn = await GetAsync(client, signInPath, BrowserEncodings);
        var publicPage = await GetAsync(client, "/contact", BrowserEncodings);

        foreach (var response in new[] { manage, signIn })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
            Assert.Empty(response.Content.Headers.ContentEncoding);
            Assert.Null(response.Headers.ETag);
        }

        Assert.Equal(["br"], publicPage.Content.Headers.ContentEncoding);
    }

    /// <summary>
    /// A form's hidden fields (the antiforgery token, the contact form's timestamp) are encrypted afresh for every
    /// response, which is also why compressing them is safe.
    /// </summary>
    private static string WithoutHiddenFields(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "<input(?=[^>]*type=\"hidden\")[^>]*>", "<input type=\"hidden\">");

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? acceptEncoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.Add("Accept-Encoding", acceptEncoding);
        }

        var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}.");
        return response;
    }

    /// <summary>
    /// What a Release build serves for a wwwroot file: its CSS and JavaScript minified by NUglify (the project file's
    /// MinifyWebRootAssets), anything else as it is.
    /// </summary>
    internal static async Task<byte[]> BuiltAssetAsync(string file)
    {
        var text = Path.GetExtension(file) switch
        {
            ".css" => NUglify.Uglify.Css(await File.ReadAllTextAsync(file)).Code,
            ".js" => NUglify.Uglify.Js(await File.ReadAllTextAsync(file)).Code,
            _ => null,
        };
        return text is null ? await File.ReadAllBytesAsync(file) : Encoding.UTF8.GetBytes(text);
    }

    private static async Task<byte[]> DecodeAsync(HttpResponseMessage response)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        await using Stream decoded = response.Content.Headers.ContentEncoding.Single() switch
        {
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            var other => throw new InvalidOperationException($"Unexpected Content-Encoding {other}."),
        };
        using var bytes = new MemoryStream();
        await decoded.CopyToAsync(bytes);
        return bytes.ToArray();
    }
}

/// <summary>
/// Issue 16, delivery: the built app started the way the tests start it (<c>dotnet Portfolio.Web.dll --contentRoot</c>,
/// as the container starts its published executable, on a folder without wwwroot, Production) finds wwwroot's files
/// and their precompressed copies, and sends them with their year-long caching rather than as the framework does while
/// files are being edited.
/// </summary>
[ProviderIndependent]
public sealed class DeliveryProcessTests
{
    [Fact]
    public async Task Delivery_TheBuiltAppStartedElsewhereServesPrecompressedImmutableAssets()
    {
        var contentRoot = Directory.CreateTempSubdirectory("portfolio-delivery-").FullName;
        try
        {
            await using var process = await PortfolioProcess.StartAsync(contentRoot, []);
            using var client = new HttpClient { BaseAddress = process.BaseAddress };
            var page = Html.Parse(await client.GetStringAsync("/"));
            var stylesheet = page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
            var request = new HttpRequestMessage(HttpMethod.Get, stylesheet);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

            var response = await client.SendAsync(request);
            await using var body = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
            using var css = new StreamReader(body);

            Assert.Matches(@"^/css/site\.[a-z0-9]{10}\.css$", stylesheet);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
            var served = await css.ReadToEndAsync();
            Assert.Equal(Encoding.UTF8.GetString(await DeliveryTests.BuiltAssetAsync(Path.Combine(Repository.Root, "wwwroot", "css", "site.css"))), served);
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }
}
