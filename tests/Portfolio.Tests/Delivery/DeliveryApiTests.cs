using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Media;
using Portfolio.Web.Content;
using Portfolio.Web.Media;

namespace Portfolio.Tests.Delivery;

/// <summary>
/// The content delivery API at /umbraco/delivery/api/v2/content, in Umbraco's Delivery API v2 shape, on the sample
/// content (SQLite, and PostgreSQL under tests/run.sh).
/// </summary>
public sealed class DeliveryApiTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    private const string Api = "/umbraco/delivery/api/v2/content";

    /// <summary>Talha's profile and a case study from the sample content.</summary>
    private const string Talha = "628e4673-068f-4ed6-ab3a-193a416b581a";
    private const string LogisticsCaseStudy = "5b2e9f0d-1c4a-4c7e-8f63-0a9d2b7e4c21";

    [Fact]
    public async Task AnItemByIdHasUmbracosShapeWithItsRouteAndProperties()
    {
        var item = await GetJsonAsync($"{Api}/item/{Talha}");

        Assert.Equal(Talha, item.GetProperty("id").GetString());
        Assert.Equal("expertProfile", item.GetProperty("contentType").GetString());
        Assert.Equal("Talha", item.GetProperty("name").GetString());
        Assert.Equal("/team/talha", item.GetProperty("route").GetProperty("path").GetString());
        Assert.Equal("home", item.GetProperty("route").GetProperty("startItem").GetProperty("path").GetString());
        Assert.True(item.GetProperty("createDate").GetDateTimeOffset() <= item.GetProperty("updateDate").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Object, item.GetProperty("cultures").ValueKind);
        var properties = item.GetProperty("properties");
        Assert.Equal("Senior Backend & Systems Architect", properties.GetProperty("role").GetString());
        // Markdown is delivered as sanitized HTML, like Umbraco's rich text.
        Assert.StartsWith("<p>", properties.GetProperty("philosophy").GetProperty("markup").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, properties.GetProperty("stats").ValueKind);
    }

    [Fact]
    public async Task WhatTheSiteNeverShowsTheApiDoesNotDeliverEither()
    {
        var properties = (await GetJsonAsync($"{Api}/item/{Talha}")).GetProperty("properties");

        Assert.False(properties.TryGetProperty("email", out _));
        Assert.False(properties.TryGetProperty("availability", out _));
        Assert.False(properties.TryGetProperty("bookingTypes", out _));
    }

    [Theory]
    [InlineData("case-studies/logistics-api-latency")]
    [InlineData("case-studies/logistics-api-latency/")]
    [InlineData("/case-studies/logistics-api-latency/")]
    public async Task AnItemByItsNestedRouteIsTheItemThatPathShows(string path)
    {
        var item = await GetJsonAsync($"{Api}/item/{path.TrimStart('/')}");

        Assert.Equal(LogisticsCaseStudy, item.GetProperty("id").GetString());
        Assert.Equal("/case-studies/logistics-api-latency", item.GetProperty("route").GetProperty("path").GetString());
    }

    [Fact]
    public async Task AGeneralPageDeliversItsBlocksAsABlockList()
    {
        var blocks = (await GetJsonAsync($"{Api}/item/privacy")).GetProperty("properties").GetProperty("blocks").GetProperty("items");

        var first = blocks[0].GetProperty("content");
        Assert.Equal("richText", first.GetProperty("contentType").GetString());
        Assert.StartsWith("<p>", first.GetProperty("properties").GetProperty("text").GetProperty("markup").GetString(), StringComparison.Ordinal);
        Assert.Contains(blocks.EnumerateArray(), block => block.GetProperty("content").GetProperty("contentType").GetString() == "retentionFigures");
    }

    [Theory]
    [InlineData("/item/00000000-0000-0000-0000-000000000001")]
    [InlineData("/item/no/such/page")]
    [InlineData("/item/team/Talha")]
    public async Task AnUnknownIdOrRouteIsA404ProblemDetails(string path)
    {
        var response = await app.CreateClient().GetAsync(Api + path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AQueryFiltersByTypeCountsAllAndPages()
    {
        var all = await GetJsonAsync($"{Api}?filter=contentType:caseStudy&sort=name:asc");
        var second = await GetJsonAsync($"{Api}?filter=contentType:caseStudy&sort=name:asc&skip=1&take=1");

        Assert.Equal(2, all.GetProperty("total").GetInt32());
        Assert.All(all.GetProperty("items").EnumerateArray(), item => Assert.Equal("caseStudy", item.GetProperty("contentType").GetString()));
        Assert.Equal(2, second.GetProperty("total").GetInt32());
        Assert.Equal(all.GetProperty("items")[1].GetProperty("id").GetString(), Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var names = all.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("name").GetString()).ToList();
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);
    }

    [Fact]
    public async Task FetchingChildrenOfAPathGivesTheItemsUnderIt()
    {
        var children = await GetJsonAsync($"{Api}?fetch=children:/team&take=100");
        var excluded = await GetJsonAsync($"{Api}?filter=contentType:!expertProfile&take=100");

        Assert.Contains(children.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetString() == Talha);
        Assert.All(children.GetProperty("items").EnumerateArray(),
            item => Assert.StartsWith("/team/", item.GetProperty("route").GetProperty("path").GetString(), StringComparison.Ordinal));
        Assert.DoesNotContain(excluded.GetProperty("items").EnumerateArray(), item => item.GetProperty("contentType").GetString() == "expertProfile");
    }

    [Fact]
    public async Task LinkedItemsAreLinksUntilExpanded()
    {
        var plain = (await GetJsonAsync($"{Api}/item/{LogisticsCaseStudy}")).GetProperty("properties");
        var expanded = (await GetJsonAsync($"{Api}/item/{LogisticsCaseStudy}?expand=properties[experts]")).GetProperty("properties");
        var all = (await GetJsonAsync($"{Api}/item/{LogisticsCaseStudy}?expand=properties[$all]")).GetProperty("properties");

        var link = plain.GetProperty("experts")[0];
        Assert.Equal(Talha, link.GetProperty("id").GetString());
        Assert.Equal("/team/talha", link.GetProperty("route").GetProperty("path").GetString());
        Assert.Equal("Talha", link.GetProperty("name").GetString());
        Assert.Empty(link.GetProperty("properties").EnumerateObject());
        Assert.Equal("Talha", expanded.GetProperty("experts")[0].GetProperty("properties").GetProperty("name").GetString());
        // Only what was named is expanded.
        Assert.Empty(expanded.GetProperty("services")[0].GetProperty("properties").EnumerateObject());
        Assert.NotEmpty(all.GetProperty("services")[0].GetProperty("properties").EnumerateObject());
    }

    [Fact]
    public async Task FieldsLimitTheProperties()
    {
        var properties = (await GetJsonAsync($"{Api}/item/{LogisticsCaseStudy}?fields=properties[title,client]")).GetProperty("properties");

        Assert.Equal(["title", "client"], properties.EnumerateObject().Select(property => property.Name).ToArray());
    }

    [Fact]
    public async Task ALibraryImageIsAMediaObjectWithSizeAndFocalPoint()
    {
        var item = await app.WithScopeAsync(async services =>
        {
            var library = services.GetRequiredService<MediaLibrary>();
            var stored = Assert.IsType<MediaUploadResult.Stored>(await library.UploadAsync(
                new MemoryStream(GeneratedImages.Stripes(400, 300)), "hero.png", "Four stripes", "test"));
            await library.SetFocalPointAsync(stored.Item.Id, 25, 75);
            return stored.Item;
        });
        var page = await app.WithContentAsync(async content =>
        {
            var created = await content.CreateAsync(new ContentPage
            {
                Title = "Gallery",
                Blocks = [new ImageBlock { ImageUrl = item.Url, Alt = "Stripes", Caption = "Four colours" }],
            }, $"gallery-{Guid.NewGuid():N}"[..20], "test");
            await content.PublishAsync(created.Key, "test");
            return created.Key;
        });

        var image = (await GetJsonAsync($"{Api}/item/{page}")).GetProperty("properties").GetProperty("blocks").GetProperty("items")[0]
            .GetProperty("content").GetProperty("properties").GetProperty("imageUrl")[0];

        Assert.Equal(item.Url, image.GetProperty("url").GetString());
        Assert.Equal(400, image.GetProperty("width").GetInt32());
        Assert.Equal(300, image.GetProperty("height").GetInt32());
        Assert.Equal(0.25m, image.GetProperty("focalPoint").GetProperty("left").GetDecimal());
        Assert.Equal(0.75m, image.GetProperty("focalPoint").GetProperty("top").GetDecimal());
        Assert.Equal(item.Id.ToString(), image.GetProperty("id").GetString());
        Assert.Contains(image.GetProperty("crops").EnumerateArray(), crop => crop.GetProperty("alias").GetString() == "share");
    }

    [Fact]
    public async Task ADraftIsNotDeliveredWithoutPreviewAndIsWithTheKey()
    {
        var key = await CreateServiceAsync("Draft only", publish: false);
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Api}/item/{key}")).StatusCode);
        var listed = await GetJsonAsync($"{Api}?filter=contentType:service&take=100");
        Assert.DoesNotContain(listed.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetString() == key.ToString());

        var preview = await SendAsync($"{Api}/item/{key}", request =>
        {
            request.Headers.Add("Preview", "true");
            request.Headers.Add("Api-Key", DeliveryApp.PreviewKey);
        });
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("Draft only", await preview.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(preview.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task PreviewShowsTheLatestDraftOfAPublishedItemAndTheSiteKeepsThePublishedOne()
    {
        var key = await CreateServiceAsync("Published title", publish: true);
        await app.WithContentAsync(async content =>
        {
            var draft = (await content.GetDraftAsync(key))!;
            return await content.SaveDraftAsync(key, (Service)draft.Document with { Title = "Draft title" }, draft.Slug, "test");
        });

        var published = await GetJsonAsync($"{Api}/item/{key}");
        var preview = await SendAsync($"{Api}/item/{key}", request =>
        {
            request.Headers.Add("Preview", "true");
            request.Headers.Add("Api-Key", DeliveryApp.PreviewKey);
        });

        Assert.Equal("Published title", published.GetProperty("properties").GetProperty("title").GetString());
        Assert.Equal("Draft title", JsonDocument.Parse(await preview.Content.ReadAsStringAsync()).RootElement.GetProperty("properties").GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("delivery-preview-key-0123456789abcdeX")]
    [InlineData(null)]
    public async Task PreviewWithAWrongOrMissingKeyIs401(string? key)
    {
        var response = await SendAsync($"{Api}/item/{Talha}", request =>
        {
            request.Headers.Add("Preview", "true");
            if (key is not null)
            {
                request.Headers.Add("Api-Key", key);
            }
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnchangedItemIsA304AndAPublishedChangeIsNot()
    {
        var key = await CreateServiceAsync("Cached", publish: true);
        var client = app.CreateClient();
        var first = await client.GetAsync($"{Api}/item/{key}");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.True(first.Headers.CacheControl?.Public);

        var again = await SendAsync($"{Api}/item/{key}", request => request.Headers.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(etag, again.Headers.ETag);

        await app.WithContentAsync(async content =>
        {
            var draft = (await content.GetDraftAsync(key))!;
            await content.SaveDraftAsync(key, (Service)draft.Document with { Summary = "Changed and published." }, draft.Slug, "test");
            return await content.PublishAsync(key, "test");
        });
        var changed = await SendAsync($"{Api}/item/{key}", request => request.Headers.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Fact]
    public async Task AnAllowedOriginMayReadFromABrowserAndAnotherMayNot()
    {
        var allowed = await SendAsync($"{Api}/item/{Talha}", request => request.Headers.Add("Origin", DeliveryApp.AllowedOrigin));
        var denied = await SendAsync($"{Api}/item/{Talha}", request => request.Headers.Add("Origin", "https://elsewhere.example"));
        var preflight = await SendAsync($"{Api}/item/{Talha}", request =>
        {
            request.Method = HttpMethod.Options;
            request.Headers.Add("Origin", DeliveryApp.AllowedOrigin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "api-key,preview");
        });

        Assert.Equal(DeliveryApp.AllowedOrigin, Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(denied.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Contains("Origin", denied.Headers.Vary);
        Assert.Equal(DeliveryApp.AllowedOrigin, Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("Api-Key", string.Join(',', preflight.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("?take=101", "take")]
    [InlineData("?take=-1", "take")]
    [InlineData("?skip=x", "skip")]
    [InlineData("?filter=colour:red", "filter")]
    [InlineData("?filter=contentType:nothing", "filter")]
    [InlineData("?sort=price:asc", "sort")]
    [InlineData("?fetch=children:/no/such/page", "fetch")]
    [InlineData("?fetch=siblings:/team", "fetch")]
    [InlineData("?expand=all", "expand")]
    [InlineData("?expand=properties[experts", "expand")]
    [InlineData("?fields=properties[]", "fields")]
    [InlineData("/items?id=not-a-guid", "id")]
    [InlineData("/item/628e4673-068f-4ed6-ab3a-193a416b581a?expand=properties[[", "expand")]
    public async Task ABadQueryIsA400NamingTheParameter(string query, string parameter)
    {
        var response = await app.CreateClient().GetAsync(Api + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(parameter, out _), $"errors: {errors}");
    }

    [Fact]
    public async Task SeveralItemsByIdLeaveOutWhatIsNotPublished()
    {
        var draft = await CreateServiceAsync("Unlisted draft", publish: false);
        var items = await GetJsonAsync($"{Api}/items?id={Talha}&id={LogisticsCaseStudy}&id={draft}");

        Assert.Equal([Talha, LogisticsCaseStudy], items.EnumerateArray().Select(item => item.GetProperty("id").GetString()!).ToArray());
    }

    [Fact]
    public void ThePreviewKeyMatchesOnlyWhenConfiguredAndEqual()
    {
        Assert.True(Portfolio.Web.Delivery.DeliveryApi.KeyMatches("k-123", "k-123"));
        Assert.False(Portfolio.Web.Delivery.DeliveryApi.KeyMatches("k-123", "k-124"));
        Assert.False(Portfolio.Web.Delivery.DeliveryApi.KeyMatches("", ""));
        Assert.False(Portfolio.Web.Delivery.DeliveryApi.KeyMatches("k-123", new Microsoft.Extensions.Primitives.StringValues(["k-123", "k-123"])));
    }

    /// <summary>
    /// The issue's "a script reads the same content through the delivery API": every published item with a route is
    /// found again at that route, and the site answers that path with a page.
    /// </summary>
    [Fact]
    public async Task EveryPublishedItemWithARouteIsReadableByItsRouteAndIsAPageOfTheSite()
    {
        var client = app.CreateClient();
        var all = await GetJsonAsync($"{Api}?take=100");
        var items = all.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(all.GetProperty("total").GetInt32(), items.Count);
        Assert.Contains(items, item => item.GetProperty("contentType").GetString() == "page");

        foreach (var item in items.Where(item => item.GetProperty("route").GetProperty("path").ValueKind == JsonValueKind.String))
        {
            var path = item.GetProperty("route").GetProperty("path").GetString()!;
            var byRoute = await GetJsonAsync($"{Api}/item{(path == "/" ? "/" : path)}");
            Assert.Equal(item.GetProperty("id").GetString(), byRoute.GetProperty("id").GetString());
            Assert.True((await client.GetAsync(path)).StatusCode == HttpStatusCode.OK, $"The site does not answer {path}.");
        }
    }

    private async Task<Guid> CreateServiceAsync(string title, bool publish) =>
        await app.WithContentAsync(async content =>
        {
            var created = await content.CreateAsync(new Service { Title = title, Summary = "A service made by a delivery API test." },
                $"delivery-{Guid.NewGuid():N}"[..24], "test");
            if (publish)
            {
                await content.PublishAsync(created.Key, "test");
            }

            return created.Key;
        });

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await app.CreateClient().GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    private async Task<HttpResponseMessage> SendAsync(string url, Action<HttpRequestMessage> configure)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        configure(request);
        return await app.CreateClient().SendAsync(request);
    }
}
