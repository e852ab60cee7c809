using System.Net;
using Microsoft.Extensions.DependencyInjection;
using AngleSharp.Dom;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;
using IDocument = AngleSharp.Dom.IDocument;

namespace Portfolio.Tests.Backoffice;

/// <summary>/umbraco/scheduled: every pending scheduled publish and unpublish, soonest first, each cancellable.</summary>
public sealed class ScheduledPageTests(BackofficeApp app) : IClassFixture<BackofficeApp>
{
    private const string Page = "/umbraco/scheduled";

    [Fact]
    public async Task ScheduledChangesAreListedSoonestFirstAndOneCanBeCancelledKeepingTheOther()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var later = await CreateAsync("Later Launch");
        var sooner = await CreateAsync("Sooner Launch");
        await ScheduleAsync(later.Key, now.AddDays(3), now.AddDays(10));
        await ScheduleAsync(sooner.Key, now.AddDays(2), null);

        var page = await editor.GetDocumentAsync(Page);

        var rows = Rows(page).Where(row => row.TextContent.Contains("Launch")).Select(row => row.TextContent).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Contains("Sooner Launch", rows[0]);
        Assert.Contains("Publish", rows[0]);
        Assert.Contains("Wed 4 Nov 2026, 09:00", rows[0]);
        Assert.Contains("Later Launch", rows[1]);
        Assert.Contains("Publish", rows[1]);
        Assert.Contains("Later Launch", rows[2]);
        Assert.Contains("Unpublish", rows[2]);
        Assert.Equal($"/umbraco/content/{sooner.Key}", Rows(page).First(row => row.TextContent.Contains("Sooner Launch")).QuerySelector("a")!.GetAttribute("href"));

        var cancelled = await CancelAsync(editor, page, later.Key, "publish");

        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        var draft = await app.WithContentAsync(content => content.GetDraftAsync(later.Key));
        Assert.Null(draft!.PublishAtUtc);
        Assert.Equal(now.AddDays(10), draft.UnpublishAtUtc);
        var after = (await editor.GetDocumentAsync(cancelled.Headers.Location!.PathAndQuery())).Text();
        Assert.Contains("The schedule of Later Launch was cancelled.", after);
        Assert.Single(Rows(await editor.GetDocumentAsync(Page)), row => row.TextContent.Contains("Later Launch"));

        // Nothing is published when the time comes.
        app.Clock.Advance(TimeSpan.FromDays(4));
        await app.WithContentAsync(content => content.ApplySchedulesAsync());
        Assert.Null((await app.WithContentAsync(content => content.GetDraftAsync(later.Key)))!.PublishedVersionNumber);
        Assert.NotNull((await app.WithContentAsync(content => content.GetDraftAsync(sooner.Key)))!.PublishedVersionNumber);
        Assert.Contains(AuditActions.ScheduleCancelled,
            await app.WithDbAsync2(db => db.AuditEntries.Where(entry => entry.EntityId == later.Key.ToString()).Select(entry => entry.Action).ToList()));
    }

    [Fact]
    public async Task Finding02_TheEditorAndTheListShowThatADraftSavedAfterTheScheduleStaysUnpublished()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var (writer, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        var item = await CreateAsync("Reviewed Announcement");
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await ScheduleAsync(item.Key, now.AddDays(2), now.AddDays(9));
        var form = await EditorForm.OpenAsync(writer, $"/umbraco/content/{item.Key}");
        form["Document.Title"] = "Unreviewed Announcement";
        var saved = await form.PressAsync(writer, "Save draft");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var editorPage = await editor.GetDocumentAsync($"/umbraco/content/{item.Key}");
        var publishing = editorPage.QuerySelector("#publishing")!.ParentElement!.TextContent;
        Assert.Contains("Publishes version 1", publishing);
        var warning = string.Join(' ', (editorPage.QuerySelector("#newer-draft")?.TextContent ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("A newer draft, version 2, was saved after the schedule was set. The schedule publishes version 1; version 2 stays a draft.", warning);

        var list = await editor.GetDocumentAsync(Page);
        var publishRow = Rows(list).Single(row => row.QuerySelector($"a[href='/umbraco/content/{item.Key}']") is not null &&
                                                 row.QuerySelector("input[name=kind]")?.GetAttribute("value") == "publish");
        Assert.Contains("version 1", publishRow.TextContent);
        Assert.Contains("Newer draft: version 2 stays a draft", publishRow.TextContent);

        // Cancelling the unpublish keeps the publish of version 1, not of the newer draft.
        Assert.Equal(HttpStatusCode.Redirect, (await CancelAsync(editor, list, item.Key, "unpublish")).StatusCode);
        Assert.Equal(1, (await app.WithContentAsync(content => content.GetDraftAsync(item.Key)))!.ScheduledVersionNumber);
    }

    [Fact]
    public async Task AWriterIsRefusedTheListAndTheCancel()
    {
        var (writer, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        var item = await CreateAsync("Writer Cannot Cancel");
        var publishAt = app.Clock.GetUtcNow().UtcDateTime.AddDays(5);
        await ScheduleAsync(item.Key, publishAt, null);
        var token = await writer.AntiforgeryTokenAsync();

        Assert.StartsWith("/umbraco/access-denied", (await writer.GetAsync(Page)).Headers.Location?.PathAndQuery());
        var post = await writer.PostFormAsync($"{Page}?handler=Cancel",
            [new("__RequestVerificationToken", token), new("key", item.Key.ToString()), new("kind", "publish"), new("revision", "2")]);

        Assert.StartsWith("/umbraco/access-denied", post.Headers.Location?.PathAndQuery());
        Assert.Equal(publishAt, (await app.WithContentAsync(content => content.GetDraftAsync(item.Key)))!.PublishAtUtc);
    }

    [Fact]
    public async Task CancellingWithoutTheAntiforgeryTokenIsRefused()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var item = await CreateAsync("Forged Cancel");
        var publishAt = app.Clock.GetUtcNow().UtcDateTime.AddDays(6);
        await ScheduleAsync(item.Key, publishAt, null);

        var post = await editor.PostFormAsync($"{Page}?handler=Cancel", [new("key", item.Key.ToString()), new("kind", "publish"), new("revision", "2")]);

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(publishAt, (await app.WithContentAsync(content => content.GetDraftAsync(item.Key)))!.PublishAtUtc);
    }

    private Task<ContentDraft> CreateAsync(string title) =>
        app.WithContentAsync(content => content.CreateAsync(new Service { Title = title, Summary = "Soon." }, $"s-{Guid.NewGuid():N}", "tests"));

    private Task ScheduleAsync(Guid key, DateTime? publishAt, DateTime? unpublishAt) =>
        app.WithScopeAsync(services => services.GetRequiredService<ContentService>().ScheduleAsync(key, publishAt, unpublishAt));

    private static IEnumerable<IElement> Rows(IDocument page) => page.QuerySelectorAll("main tbody tr");

    private static async Task<HttpResponseMessage> CancelAsync(HttpClient client, IDocument page, Guid key, string kind)
    {
        var form = page.QuerySelectorAll("main form[action*='handler=Cancel']")
            .Single(form => form.QuerySelector("input[name=key]")?.GetAttribute("value") == key.ToString() &&
                            form.QuerySelector("input[name=kind]")?.GetAttribute("value") == kind);
        return await client.PostFormAsync(form.GetAttribute("action")!, form.QuerySelectorAll("input[name]")
            .Select(input => new KeyValuePair<string, string>(input.GetAttribute("name")!, input.GetAttribute("value") ?? "")));
    }
}
