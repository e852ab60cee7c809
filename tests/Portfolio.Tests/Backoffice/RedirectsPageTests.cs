using System.Net;
using AngleSharp.Dom;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;
using IDocument = AngleSharp.Dom.IDocument;

namespace Portfolio.Tests.Backoffice;

/// <summary>/umbraco/redirects: editors add and delete 301s by hand; loops, live pages and other sites are refused.</summary>
public sealed class RedirectsPageTests(BackofficeApp app) : IClassFixture<BackofficeApp>
{
    private const string Page = "/umbraco/redirects";
    private const string AddForm = "form[action*='handler=Add']";

    [Fact]
    public async Task AnEditorAddsARedirectThatTheSiteServesAsA301AndDeletesItAfterConfirming()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var site = app.CreatePlainClient();
        var from = Unique("/old-services");

        var added = await editor.SubmitAsync(Page, new() { ["FromPath"] = from + "/", ["ToPath"] = "/services" }, AddForm);

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var served = await site.GetAsync(from + "?ref=mail");
        Assert.Equal(HttpStatusCode.MovedPermanently, served.StatusCode);
        Assert.Equal("/services?ref=mail", served.Headers.Location?.OriginalString);

        var row = RowOf(await editor.GetDocumentAsync(Page), from);
        Assert.Equal("/services", row.Children[1].TextContent.Trim());
        Assert.Contains("Added by hand", row.TextContent);

        // Deleting asks first: the link only opens the confirmation.
        var deleteLink = row.QuerySelector("a[href*='delete=']")!.GetAttribute("href")!;
        var confirmation = await editor.GetDocumentAsync(deleteLink);
        Assert.Contains($"Delete the redirect from {from}?", confirmation.QuerySelector("#confirm-delete")!.TextContent);
        Assert.Equal(HttpStatusCode.MovedPermanently, (await site.GetAsync(from)).StatusCode);

        var deleted = await editor.SubmitAsync(deleteLink, [], "form[action*='handler=Delete']");

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await site.GetAsync(from)).StatusCode);
        Assert.Null(RowOrNull(await editor.GetDocumentAsync(Page), from));
        var actions = await app.WithDbAsync2(db => db.AuditEntries.Where(entry => entry.EntityType == AuditEntityTypes.Redirect).Select(entry => entry.Action).ToList());
        Assert.Contains(AuditActions.RedirectAdded, actions);
        Assert.Contains(AuditActions.RedirectDeleted, actions);
    }

    [Fact]
    public async Task ARedirectThatWouldMakeALoopIsRefused()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var a = Unique("/loop-a");
        var b = Unique("/loop-b");
        var c = Unique("/loop-c");
        await AddAsync(editor, a, b);
        await AddAsync(editor, b, c);

        // c → a would send a visitor a → c → a …, a cycle of three.
        var refused = await editor.SubmitAsync(Page, new() { ["FromPath"] = c, ["ToPath"] = a }, AddForm);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = Html.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("loop", page.QuerySelector("[data-valmsg-for=ToPath]")!.TextContent);
        Assert.Null(RowOrNull(page, c));
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreatePlainClient().GetAsync(c)).StatusCode);

        // And the simplest loop: e → d while d → e.
        var d = Unique("/loop-d");
        var e = Unique("/loop-e");
        await AddAsync(editor, d, e);
        var twoWay = await editor.SubmitAsync(Page, new() { ["FromPath"] = e, ["ToPath"] = d }, AddForm);
        Assert.Equal(HttpStatusCode.OK, twoWay.StatusCode);
        Assert.Contains("loop", Html.Parse(await twoWay.Content.ReadAsStringAsync()).QuerySelector("[data-valmsg-for=ToPath]")!.TextContent);
    }

    [Fact]
    public async Task ChainsAreCollapsedSoEveryOldAddressIsOneHopFromItsPage()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var site = app.CreatePlainClient();
        var first = Unique("/first-home");
        var second = Unique("/second-home");

        await AddAsync(editor, first, second);
        await AddAsync(editor, second, "/contact");

        Assert.Equal("/contact", (await site.GetAsync(first)).Headers.Location?.OriginalString);
        Assert.Equal("/contact", (await site.GetAsync(second)).Headers.Location?.OriginalString);

        // A redirect to an address that itself redirects goes straight to the end of the line.
        var third = Unique("/third-home");
        await AddAsync(editor, third, first);
        Assert.Equal("/contact", (await site.GetAsync(third)).Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/team/talha", "/contact", "FromPath", "live page")]
    [InlineData("/contact", "/services", "FromPath", "live page")]
    [InlineData("/umbraco/users", "/contact", "FromPath", "belongs to the site")]
    [InlineData("/", "/contact", "FromPath", "home page")]
    [InlineData("/somewhere-old", "//evil.example/login", "ToPath", "Only paths on this site")]
    [InlineData("/somewhere-old", "https://evil.example/", "ToPath", "Only paths on this site")]
    [InlineData("/somewhere-old", "/\\evil.example", "ToPath", "Only paths on this site")]
    [InlineData("/somewhere-old", "/contact?x=1", "ToPath", "plain path")]
    [InlineData("https://evil.example/x", "/contact", "FromPath", "Only paths on this site")]
    [InlineData("", "/contact", "FromPath", "required")]
    public async Task ForeignInvalidOrLivePathsAreRefused(string from, string to, string field, string message)
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);

        var refused = await editor.SubmitAsync(Page, new() { ["FromPath"] = from, ["ToPath"] = to }, AddForm);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = Html.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains(message, page.QuerySelector($"[data-valmsg-for={field}]")!.TextContent);
        Assert.Equal(0, await app.WithDbAsync2(db => db.ContentRedirects.Count(redirect => redirect.ToPath.Contains("evil"))));
    }

    [Fact]
    public async Task ASecondRedirectFromTheSamePathIsRefusedWhateverItsCase()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var from = Unique("/duplicate");
        await AddAsync(editor, from, "/services");

        var refused = await editor.SubmitAsync(Page, new() { ["FromPath"] = from.ToUpperInvariant(), ["ToPath"] = "/contact" }, AddForm);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("already redirects", Html.Parse(await refused.Content.ReadAsStringAsync()).QuerySelector("[data-valmsg-for=FromPath]")!.TextContent);
        Assert.Equal("/services", (await app.CreatePlainClient().GetAsync(from)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AutomaticRedirectsFromSlugChangesAreListedWithTheirItem()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var oldSlug = $"moving-{Guid.NewGuid():N}"[..20];
        var item = await app.WithContentAsync(content => content.CreateAsync(
            new Service { Title = "Moving Service", Summary = "It moves." }, oldSlug, "tests"));
        await app.WithContentAsync(content => content.PublishAsync(item.Key, "tests"));
        await app.WithContentAsync(content => content.SaveDraftAsync(item.Key, new Service { Title = "Moving Service", Summary = "It moves." }, oldSlug + "-new", "tests"));
        await app.WithContentAsync(content => content.PublishAsync(item.Key, "tests"));

        var row = RowOf(await editor.GetDocumentAsync(Page), $"/services/{oldSlug}");

        Assert.Contains("Automatic", row.TextContent);
        Assert.Contains("Moving Service", row.TextContent);
        Assert.Equal($"/services/{oldSlug}-new", row.Children[1].TextContent.Trim());
    }

    [Fact]
    public async Task AWriterMayNeitherSeeNorChangeRedirects()
    {
        var (writer, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        var token = await writer.AntiforgeryTokenAsync();
        var from = Unique("/writer-try");

        Assert.StartsWith("/umbraco/access-denied", (await writer.GetAsync(Page)).Headers.Location?.PathAndQuery());
        var post = await writer.PostFormAsync($"{Page}?handler=Add", [new("__RequestVerificationToken", token), new("FromPath", from), new("ToPath", "/contact")]);

        Assert.StartsWith("/umbraco/access-denied", post.Headers.Location?.PathAndQuery());
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreatePlainClient().GetAsync(from)).StatusCode);
        Assert.DoesNotContain(Page, (await writer.GetDocumentAsync("/umbraco")).QuerySelectorAll("nav.bo-nav a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task AddingWithoutTheAntiforgeryTokenIsRefused()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var from = Unique("/forged");

        var post = await editor.PostFormAsync($"{Page}?handler=Add", [new("FromPath", from), new("ToPath", "/contact")]);

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreatePlainClient().GetAsync(from)).StatusCode);
    }

    private static async Task AddAsync(HttpClient editor, string from, string to)
    {
        var response = await editor.SubmitAsync(Page, new() { ["FromPath"] = from, ["ToPath"] = to }, AddForm);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"Adding {from} → {to} answered {(int)response.StatusCode}: {Html.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".bo-alert")?.TextContent}");
    }

    private static IElement RowOf(IDocument page, string from) =>
        RowOrNull(page, from) ?? throw new Xunit.Sdk.XunitException($"No redirect from {from} is listed.");

    private static IElement? RowOrNull(IDocument page, string from) =>
        page.QuerySelectorAll("section[aria-labelledby=list] tbody tr").FirstOrDefault(row => row.Children[0].TextContent.Trim() == from);

    private static string Unique(string path) => $"{path}-{Guid.NewGuid():N}"[..(path.Length + 9)];
}
