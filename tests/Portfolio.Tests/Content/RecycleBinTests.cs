using System.Net;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Backoffice;
using Portfolio.Tests.Backoffice.Owner;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;
using Portfolio.Web.Content.Editing;

namespace Portfolio.Tests.Content;

/// <summary>
/// The recycle bin: deleting moves an item there (off the site, the sitemap and the editor's lists); it comes back
/// with its history and redirects as a draft, or an administrator deletes it for good.
/// </summary>
public sealed class RecycleBinTests(OwnerApp app) : IClassFixture<OwnerApp>
{
    /// <summary>Talha's profile from the sample content.</summary>
    private static readonly Guid Talha = Guid.Parse("628e4673-068f-4ed6-ab3a-193a416b581a");

    [Fact]
    public async Task DeletingMovesAnItemToTheBinOffTheSiteAndRestoringBringsItBackAsADraftWithItsVersionsAndRedirects()
    {
        var (key, oldSlug, slug) = await PublishedServiceWithARedirectAsync("Binned Service");
        var (editor, user) = await app.SignedInAsync(BackofficeRoles.Editor);
        var visitor = app.CreatePlainClient();
        Assert.Equal(HttpStatusCode.MovedPermanently, (await visitor.GetAsync($"/services/{oldSlug}")).StatusCode);
        var versionsBefore = (await app.WithContentAsync(content => content.GetHistoryAsync(key))).Count;

        var deleted = await editor.SubmitAsync($"/umbraco/content/{key}/delete", []);

        Assert.Equal("/umbraco/content?status=deleted", deleted.Headers.Location?.PathAndQuery());
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/services/{slug}")).StatusCode);
        // Its redirect is kept but not served: it would lead to a 404.
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/services/{oldSlug}")).StatusCode);
        Assert.DoesNotContain($"/services/{slug}", await visitor.GetStringAsync("/sitemap.xml"));
        Assert.DoesNotContain(await app.WithContentAsync(content => content.ListAsync("service")), item => item.Key == key);
        Assert.Null((await editor.GetDocumentAsync("/umbraco/content")).QuerySelector($"a[href='/umbraco/content/{key}']"));
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync($"/umbraco/content/{key}")).StatusCode);

        var bin = await editor.GetDocumentAsync("/umbraco/recycle-bin");
        var row = bin.QuerySelectorAll("main tbody tr").Single(tr => tr.TextContent.Contains("Binned Service", StringComparison.Ordinal));
        Assert.Equal(user.DisplayName, row.QuerySelectorAll("td")[3].TextContent.Trim());
        Assert.Equal(Portfolio.Web.Shared.TimeZones.MachineReadable(app.Clock.GetUtcNow().UtcDateTime), row.QuerySelector("time")?.GetAttribute("datetime"));

        var restored = await editor.SubmitAsync("/umbraco/recycle-bin", [], $"form[action*='handler=Restore'][action*='{key}']");

        Assert.Equal($"/umbraco/content/{key}?status=restored", restored.Headers.Location?.PathAndQuery());
        var draft = await app.WithContentAsync(content => content.GetDraftAsync(key));
        Assert.NotNull(draft);
        Assert.False(draft.IsPublished);
        Assert.Equal(versionsBefore, (await app.WithContentAsync(content => content.GetHistoryAsync(key))).Count);
        Assert.Contains(await app.WithContentAsync(content => content.ListAsync("service")), item => item.Key == key);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/services/{slug}")).StatusCode);
        Assert.DoesNotContain((await editor.GetDocumentAsync("/umbraco/recycle-bin")).QuerySelectorAll("main tbody tr"),
            tr => tr.TextContent.Contains("Binned Service", StringComparison.Ordinal));

        await app.WithContentAsync(content => content.PublishAsync(key, "test"));
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/services/{slug}")).StatusCode);
        var redirect = await visitor.GetAsync($"/services/{oldSlug}");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal($"/services/{slug}", redirect.Headers.Location?.PathAndQuery());
        var actions = await app.WithDbAsync2(db => db.AuditEntries.Where(e => e.EntityId == key.ToString()).Select(e => e.Action).ToList());
        Assert.Contains(ContentAuditActions.Deleted, actions);
        Assert.Contains(ContentAuditActions.Restored, actions);
    }

    [Fact]
    public async Task OnlyAnAdministratorDeletesForGoodOrEmptiesTheBin()
    {
        var (key, _, _) = await PublishedServiceWithARedirectAsync("Purged Service");
        var (other, _, _) = await PublishedServiceWithARedirectAsync("Emptied Service");
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var (admin, _) = await app.SignedInAsync(BackofficeRoles.Administrator);
        await app.WithContentAsync(async content =>
        {
            await content.MoveToRecycleBinAsync(key, "test");
            await content.MoveToRecycleBinAsync(other, "test");
            return 0;
        });

        var editorsBin = await editor.GetDocumentAsync("/umbraco/recycle-bin");
        Assert.Null(editorsBin.QuerySelector("main a[href*='empty=true']"));
        Assert.Null(editorsBin.QuerySelector("main a[href*='delete=']"));
        var token = await editor.AntiforgeryTokenAsync("/umbraco/recycle-bin");
        var refusedEmpty = await editor.PostFormAsync("/umbraco/recycle-bin?handler=Empty", [new("__RequestVerificationToken", token)]);
        var refusedDelete = await editor.PostFormAsync($"/umbraco/recycle-bin?handler=Delete&key={key}", [new("__RequestVerificationToken", token)]);
        Assert.StartsWith("/umbraco/access-denied", refusedEmpty.Headers.Location?.PathAndQuery());
        Assert.StartsWith("/umbraco/access-denied", refusedDelete.Headers.Location?.PathAndQuery());
        Assert.Equal(2, await app.WithDbAsync2(db => db.ContentItems.Count(item => item.Id == key || item.Id == other)));

        var confirmation = await admin.GetDocumentAsync($"/umbraco/recycle-bin?delete={key}");
        Assert.Contains("cannot be undone", confirmation.QuerySelector("#confirm-delete")!.ParentElement!.TextContent);
        var deleted = await admin.SubmitAsync($"/umbraco/recycle-bin?delete={key}", [], "form[action*='handler=Delete']");
        Assert.Equal("/umbraco/recycle-bin?status=deleted", deleted.Headers.Location?.PathAndQuery());
        Assert.Equal(0, await app.WithDbAsync2(db => db.ContentItems.Count(item => item.Id == key)));
        Assert.Equal(0, await app.WithDbAsync2(db => db.ContentVersions.Count(version => version.ItemId == key)));
        Assert.Equal(0, await app.WithDbAsync2(db => db.ContentRedirects.Count(redirect => redirect.ItemId == key)));

        var emptied = await admin.SubmitAsync("/umbraco/recycle-bin?empty=true", [], "form[action*='handler=Empty']");
        Assert.StartsWith("/umbraco/recycle-bin?status=emptied", emptied.Headers.Location?.PathAndQuery());
        Assert.Equal(0, await app.WithDbAsync2(db => db.ContentItems.Count(item => item.Id == other)));
        Assert.Contains(ContentAuditActions.DeletedPermanently,
            await app.WithDbAsync2(db => db.AuditEntries.Where(e => e.EntityId == other.ToString()).Select(e => e.Action).ToList()));
    }

    [Fact]
    public async Task AnExpertWithBookingsGoesToTheBinButIsNotDeletedForGoodAndTheAdministratorIsToldWhy()
    {
        await app.BookAsync("bin-booking@example.com");
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var (admin, _) = await app.SignedInAsync(BackofficeRoles.Administrator);

        var binned = await editor.SubmitAsync($"/umbraco/content/{Talha}/delete", []);
        Assert.Equal(HttpStatusCode.Redirect, binned.StatusCode);
        var refused = await admin.SubmitAsync($"/umbraco/recycle-bin?delete={Talha}", [], "form[action*='handler=Delete']");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var alert = Html.Parse(await refused.Content.ReadAsStringAsync()).QuerySelector("main [role=alert]")!.TextContent;
        Assert.Contains("cannot be deleted for good: 1 booking(s) refer to this expert", alert);
        Assert.Equal(1, await app.WithDbAsync2(db => db.ContentItems.Count(item => item.Id == Talha && item.TrashedUtc != null)));

        // Emptying the whole bin leaves the expert too, and says why.
        var emptied = await admin.SubmitAsync("/umbraco/recycle-bin?empty=true", [], "form[action*='handler=Empty']");
        Assert.Equal(HttpStatusCode.Conflict, emptied.StatusCode);
        Assert.Contains("booking(s) refer to this expert", await emptied.Content.ReadAsStringAsync());

        var restored = await editor.SubmitAsync("/umbraco/recycle-bin", [], $"form[action*='handler=Restore'][action*='{Talha}']");
        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
        await app.WithContentAsync(content => content.PublishAsync(Talha, "test"));
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/team/talha")).StatusCode);
    }

    [Fact]
    public async Task ABinnedItemKeepsItsSlugAndTheEditorIsToldSo()
    {
        var (key, _, slug) = await PublishedServiceWithARedirectAsync("Slug Holder");
        await app.WithContentAsync(async content =>
        {
            await content.MoveToRecycleBinAsync(key, "test");
            return 0;
        });

        var conflict = await Assert.ThrowsAsync<SlugConflictException>(() => app.WithContentAsync(content =>
            content.CreateAsync(NewService("Slug Taker"), slug, "test")));

        Assert.True(conflict.InRecycleBin);
        await Assert.ThrowsAsync<ContentNotFoundException>(() => app.WithContentAsync(content => content.PublishAsync(key, "test")));
    }

    private static Service NewService(string title) => new()
    {
        Title = title,
        Summary = $"Summary of {title}.",
        Body = $"## {title}\n\nWhat we do.",
        MetaDescription = $"About {title}.",
    };

    /// <summary>A published service whose slug changed once, so that a 301 points at it, and with three versions.</summary>
    private async Task<(Guid Key, string OldSlug, string Slug)> PublishedServiceWithARedirectAsync(string title)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (oldSlug, slug) = ($"old-{suffix}", $"new-{suffix}");
        var key = await app.WithContentAsync(async content =>
        {
            var created = await content.CreateAsync(NewService(title), oldSlug, "test");
            await content.PublishAsync(created.Key, "test");
            await content.SaveDraftAsync(created.Key, NewService(title), slug, "test");
            await content.PublishAsync(created.Key, "test");
            return created.Key;
        });
        return (key, oldSlug, slug);
    }
}
