using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Backoffice;

/// <summary>/umbraco/content/{key}/history: versions, the field-by-field comparison and rollback, through the real pages.</summary>
public sealed class VersionHistoryTests(BackofficeApp app) : IClassFixture<BackofficeApp>
{
    private const string Author = "history-tests";

    private static Service NewService(string title, string summary, params string[] highlights) => new()
    {
        Title = title,
        Summary = summary,
        Body = "What we do.",
        Highlights = [.. highlights],
    };

    private static string History(Guid key) => $"/umbraco/content/{key}/history";

    [Fact]
    public async Task TheHistoryListsEveryVersionWithItsAuthorAndState()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var slug = NewSlug();
        var item = await app.WithContentAsync(content => content.CreateAsync(NewService("Listed", "First."), slug, Author));
        await app.WithContentAsync(content => content.PublishAsync(item.Key, Author));
        await app.WithContentAsync(content => content.SaveDraftAsync(item.Key, NewService("Listed", "Second."), slug, "someone-else"));

        var page = await editor.GetDocumentAsync(History(item.Key));

        var rows = page.QuerySelectorAll("section[aria-labelledby=versions] tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.StartsWith("2", rows[0].Children[0].TextContent.Trim());
        Assert.Contains("someone-else", rows[0].TextContent);
        Assert.Contains("Current draft", rows[0].TextContent);
        Assert.Contains("Published", rows[1].TextContent);
        Assert.Contains(Author, rows[1].TextContent);
        // The saved time, in UTC and labelled so (this client has not told the server its time zone).
        Assert.Equal("2026-11-02T09:00:00Z", rows[1].QuerySelector("time")?.GetAttribute("datetime"));
        Assert.Contains("Mon 2 Nov 2026, 09:00", rows[1].TextContent);
        Assert.Contains("UTC", page.QuerySelector("section[aria-labelledby=versions]")!.TextContent);
    }

    [Fact]
    public async Task TheComparisonShowsOnlyTheChangedFieldsSideBySideNestedListsIncluded()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var slug = NewSlug();
        var item = await app.WithContentAsync(content => content.CreateAsync(NewService("Compared", "Old summary.", "Fast", "Safe"), slug, Author));
        await app.WithContentAsync(content => content.SaveDraftAsync(item.Key, NewService("Compared", "New summary.", "Fast", "Secure", "Observable"), slug, Author));

        var page = await editor.GetDocumentAsync(History(item.Key) + "?version=1");

        var changed = page.QuerySelectorAll("table.bo-diff tbody tr").ToDictionary(row => row.GetAttribute("data-path")!);
        Assert.Equal(["Summary", "Highlights[1]", "Highlights[2]"], changed.Keys);
        Assert.Equal("Old summary.", changed["Summary"].QuerySelector(".bo-diff__before")!.TextContent.Trim());
        Assert.Equal("New summary.", changed["Summary"].QuerySelector(".bo-diff__after")!.TextContent.Trim());
        Assert.Equal("Safe", changed["Highlights[1]"].QuerySelector(".bo-diff__before")!.TextContent.Trim());
        Assert.Equal("Secure", changed["Highlights[1]"].QuerySelector(".bo-diff__after")!.TextContent.Trim());
        Assert.Contains("not in this version", changed["Highlights[2]"].QuerySelector(".bo-diff__before")!.TextContent);
        Assert.DoesNotContain("Title", changed.Keys);
        // Rolling back needs a second, deliberate step: the comparison only links to the confirmation.
        Assert.Null(page.QuerySelector("main form[action*='handler=Rollback']"));
        Assert.NotNull(page.QuerySelector("main a[href*='confirm=true']"));
    }

    [Fact]
    public async Task RollbackRestoresTheOldTextAsANewDraftAndPublishingShowsItPublicly()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var site = app.CreatePlainClient();
        var slug = NewSlug();
        var item = await app.WithContentAsync(content => content.CreateAsync(NewService("Rolled Back Service", "The original promise."), slug, Author));
        await app.WithContentAsync(content => content.PublishAsync(item.Key, Author));
        await app.WithContentAsync(content => content.SaveDraftAsync(item.Key, NewService("Rolled Back Service", "A regrettable rewrite."), slug, Author));
        await app.WithContentAsync(content => content.PublishAsync(item.Key, Author));
        Assert.Contains("A regrettable rewrite.", await site.GetStringAsync($"/services/{slug}"));

        var rolledBack = await editor.SubmitAsync(History(item.Key) + "?version=1&confirm=true", [], "form[action*='handler=Rollback']");

        Assert.Equal(HttpStatusCode.Redirect, rolledBack.StatusCode);
        Assert.Equal($"{History(item.Key)}?status=rolled-back&restored=3", rolledBack.Headers.Location?.PathAndQuery());
        var draft = await app.WithContentAsync(content => content.GetDraftAsync(item.Key));
        Assert.Equal(3, draft!.LatestVersionNumber);
        Assert.Equal(2, draft.PublishedVersionNumber);
        Assert.Equal("The original promise.", ((Service)draft.Document).Summary);
        // A rollback is a draft: the public page does not change yet ...
        Assert.Contains("A regrettable rewrite.", await site.GetStringAsync($"/services/{slug}"));

        // ... until the draft is published.
        await app.WithContentAsync(content => content.PublishAsync(item.Key, Author));
        var published = await site.GetStringAsync($"/services/{slug}");
        Assert.Contains("The original promise.", published);
        Assert.DoesNotContain("A regrettable rewrite.", published);

        var audit = await app.WithDbAsync2(db => db.AuditEntries.Where(entry => entry.EntityId == item.Key.ToString()).ToList());
        var entry = Assert.Single(audit, entry => entry.Action == AuditActions.ContentRolledBack);
        Assert.Equal(AuditEntityTypes.Content, entry.EntityType);
        Assert.Equal(3, entry.VersionNumber);
        Assert.Contains("version 1", entry.Details);
    }

    [Fact]
    public async Task AWriterCanRollBackToADraftThatWasNeverPublished()
    {
        var (writer, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        var slug = NewSlug();
        var item = await app.WithContentAsync(content => content.CreateAsync(NewService("Draft Idea", "Published text."), slug, Author));
        await app.WithContentAsync(content => content.PublishAsync(item.Key, Author));
        await app.WithContentAsync(content => content.SaveDraftAsync(item.Key, NewService("Draft Idea", "A good idea, never published."), slug, Author));
        await app.WithContentAsync(content => content.SaveDraftAsync(item.Key, NewService("Draft Idea", "A worse idea."), slug, Author));

        var history = await writer.GetDocumentAsync(History(item.Key));
        Assert.Contains("Earlier version", history.QuerySelectorAll("section[aria-labelledby=versions] tbody tr")[1].TextContent);

        var confirmation = await writer.GetDocumentAsync(History(item.Key) + "?version=2&confirm=true");
        Assert.Contains("Roll back to version 2?", confirmation.Text());
        var rolledBack = await writer.SubmitAsync(History(item.Key) + "?version=2&confirm=true", [], "form[action*='handler=Rollback']");

        Assert.Equal(HttpStatusCode.Redirect, rolledBack.StatusCode);
        var draft = await app.WithContentAsync(content => content.GetDraftAsync(item.Key));
        Assert.Equal(4, draft!.LatestVersionNumber);
        Assert.Equal("A good idea, never published.", ((Service)draft.Document).Summary);
        Assert.Equal(1, draft.PublishedVersionNumber);
    }

    [Fact]
    public async Task ARollbackFromAStalePageIsRefusedAndNothingChanges()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var slug = NewSlug();
        var item = await app.WithContentAsync(content => content.CreateAsync(NewService("Busy", "One."), slug, Author));
        await app.WithContentAsync(content => content.SaveDraftAsync(item.Key, NewService("Busy", "Two."), slug, Author));
        var confirmation = await editor.GetDocumentAsync(History(item.Key) + "?version=1&confirm=true");
        var form = confirmation.QuerySelector("main form[action*='handler=Rollback']")!;

        // Someone saves while the confirmation is open.
        await app.WithContentAsync(content => content.SaveDraftAsync(item.Key, NewService("Busy", "Three."), slug, Author));
        var response = await editor.PostFormAsync(form.GetAttribute("action")!, form.QuerySelectorAll("input[name]")
            .Select(input => new KeyValuePair<string, string>(input.GetAttribute("name")!, input.GetAttribute("value") ?? "")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Someone changed this item", await response.Content.ReadAsStringAsync());
        var draft = await app.WithContentAsync(content => content.GetDraftAsync(item.Key));
        Assert.Equal(3, draft!.LatestVersionNumber);
        Assert.Equal("Three.", ((Service)draft.Document).Summary);
    }

    [Fact]
    public async Task ARollbackWithoutTheAntiforgeryTokenIsRefused()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var slug = NewSlug();
        var item = await app.WithContentAsync(content => content.CreateAsync(NewService("Guarded", "One."), slug, Author));
        await app.WithContentAsync(content => content.SaveDraftAsync(item.Key, NewService("Guarded", "Two."), slug, Author));

        var response = await editor.PostFormAsync($"{History(item.Key)}?handler=Rollback&version=1", [new("Revision", "2")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2, (await app.WithContentAsync(content => content.GetDraftAsync(item.Key)))!.LatestVersionNumber);
    }

    [Fact]
    public async Task TheOwnerCannotOpenOrRollBackAHistory()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var slug = NewSlug();
        var item = await app.WithContentAsync(content => content.CreateAsync(NewService("Not Theirs", "One."), slug, Author));
        await app.WithContentAsync(content => content.SaveDraftAsync(item.Key, NewService("Not Theirs", "Two."), slug, Author));
        var token = await owner.AntiforgeryTokenAsync();

        Assert.StartsWith("/umbraco/access-denied", (await owner.GetAsync(History(item.Key))).Headers.Location?.PathAndQuery());
        var post = await owner.PostFormAsync($"{History(item.Key)}?handler=Rollback&version=1", [new("__RequestVerificationToken", token), new("Revision", "2")]);
        Assert.StartsWith("/umbraco/access-denied", post.Headers.Location?.PathAndQuery());
        Assert.Equal(2, (await app.WithContentAsync(content => content.GetDraftAsync(item.Key)))!.LatestVersionNumber);
    }

    [Fact]
    public async Task AnUnknownItemIsNotFound()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);

        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync(History(Guid.NewGuid()))).StatusCode);
    }

    [Fact]
    public void TimesAreShownInTheZoneTheBrowserReportedElseInUtc()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        Assert.Equal("UTC", BackofficeTimeZone.Of(context).Name);
        Assert.False(BackofficeTimeZone.Of(context).IsKnown);

        context.Request.Headers.Cookie = $"{BackofficeTimeZone.CookieName}=Europe%2FBerlin";
        var berlin = BackofficeTimeZone.Of(context);
        Assert.True(berlin.IsKnown);
        Assert.Equal("Mon 2 Nov 2026, 10:00", berlin.Format(new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc)));

        context.Request.Headers.Cookie = $"{BackofficeTimeZone.CookieName}=Not%2FA_Zone";
        Assert.False(BackofficeTimeZone.Of(context).IsKnown);
        context.Request.Headers.Cookie = $"{BackofficeTimeZone.CookieName}=W.%20Europe%20Standard%20Time";
        Assert.False(BackofficeTimeZone.Of(context).IsKnown);

        // A zone chosen in a form (the tz query) wins over the cookie and is remembered in it for every page.
        context.Request.QueryString = new("?tz=Asia%2FTokyo");
        Assert.Equal("Asia/Tokyo", BackofficeTimeZone.Of(context).Name);
        Assert.Contains($"{BackofficeTimeZone.CookieName}=Asia%2FTokyo; max-age=31536000", context.Response.Headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static string NewSlug() => $"history-{Guid.NewGuid():N}"[..24];
}
