using System.Net;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

using Portfolio.Web.Content.Editing;
namespace Portfolio.Tests.Backoffice;

/// <summary>The content editor at /umbraco/content, driven through its real forms as a browser would.</summary>
public sealed class ContentEditorTests(BackofficeApp app) : IClassFixture<BackofficeApp>
{
    [Fact]
    public async Task SavingADraftLeavesThePublicPageAloneAndPublishingShowsIt()
    {
        var (key, slug) = await PublishedExpertAsync("Original headline");
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var public_ = app.CreateClient();

        var form = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}");
        form["Document.Role"] = "A brand new headline";
        var saved = await form.PressAsync(editor, "Save draft");

        Assert.Equal($"/umbraco/content/{key}?status=saved", saved.Headers.Location?.PathAndQuery());
        Assert.Contains("Original headline", await TextOfAsync(public_, $"/team/{slug}"));
        Assert.DoesNotContain("A brand new headline", await TextOfAsync(public_, $"/team/{slug}"));
        var reopened = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}");
        Assert.Equal("A brand new headline", reopened["Document.Role"]);
        Assert.Contains("Changed since published", reopened.Page.QuerySelector("main")!.TextContent);

        var published = await reopened.PressAsync(editor, "Save and publish");

        Assert.Equal($"/umbraco/content/{key}?status=published", published.Headers.Location?.PathAndQuery());
        Assert.Contains("A brand new headline", await TextOfAsync(public_, $"/team/{slug}"));
        var audit = await app.WithDbAsync2(db => db.AuditEntries.Where(entry => entry.EntityId == key.ToString())
            .OrderBy(entry => entry.Id).Select(entry => new { entry.Action, entry.VersionNumber, entry.EntityType, entry.UserName }).ToList());
        Assert.Equal([(ContentAuditActions.DraftSaved, 2), (ContentAuditActions.Published, 2)],
            audit.Select(entry => (entry.Action, entry.VersionNumber ?? 0)));
        Assert.All(audit, entry => Assert.Equal("expertProfile", entry.EntityType));
        Assert.All(audit, entry => Assert.StartsWith("editor-", entry.UserName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheProfileEditorIsInSectionsTheFirstOpenAndASectionWithAnErrorOrAChangedListOpens()
    {
        var (key, _) = await PublishedExpertAsync("Sectioned");
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var form = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}");

        string[] Sections(EditorForm f) => [.. f.Page.QuerySelectorAll("form#editor-form details.bo-section > summary h2").Select(h => h.TextContent.Trim())];
        string[] Open(EditorForm f) => [.. f.Page.QuerySelectorAll("form#editor-form details.bo-section[open] > summary h2").Select(h => h.TextContent.Trim())];
        Assert.Equal(
            ["Profile", "Philosophy and principles", "Skills", "Methodology", "Track record", "What sets them apart",
             "Questions and education", "Booking", "Availability and booking types"],
            Sections(form));
        Assert.Equal(["Profile"], Open(form));
        // Every field is still in the one form (a closed section is only folded), and the page's contents link to the sections.
        Assert.Contains("Document.SkillsHeading", form.Names);
        Assert.Contains("Document.Availability.SlotMinutes", form.Names);
        Assert.NotNull(form.Page.QuerySelector("nav.bo-toc a[href='#group-questions-and-education']"));
        Assert.NotNull(form.Page.QuerySelector("details#group-questions-and-education #field-Faq"));
        // Human labels with help, not property names.
        Assert.StartsWith("Meeting length (minutes)", form.Page.QuerySelector("label[for='field-Availability-SlotMinutes']")?.TextContent.Trim());

        // A list button in a closed section brings the form back with that section open.
        var added = await form.PressAndReloadAsync(editor, "Command=add:Faq");
        Assert.Equal(["Profile", "Questions and education"], Open(added));

        // A refused save opens the section holding the error.
        form["Document.TrackRecordHeading"] = new string('x', 161);
        var refused = await form.PressAndReloadAsync(editor, "Save draft");
        Assert.Contains("Track record", Open(refused));
        Assert.DoesNotContain("Skills", Open(refused));
    }

    [Fact]
    public async Task AWriterSavesDraftsButDoesNotSeePublishingAndItsPublishPostIsRefused()
    {
        var (key, slug) = await PublishedExpertAsync("Writer's starting point");
        var (writer, _) = await app.SignedInAsync(BackofficeRoles.Writer);

        var form = await EditorForm.OpenAsync(writer, $"/umbraco/content/{key}");
        Assert.DoesNotContain(form.Page.QuerySelectorAll("button"), button => button.TextContent.Contains("publish", StringComparison.OrdinalIgnoreCase));
        Assert.Null(form.Page.QuerySelector("form[action*='handler=Schedule']"));
        form["Document.Role"] = "Written by a writer";

        // The button is not there, so the writer crafts the request the button would have made.
        var publish = await writer.PostAsync($"/umbraco/content/{key}?handler=Publish", new FormUrlEncodedContent(FormValues(form)));

        Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        Assert.StartsWith("/umbraco/access-denied", publish.Headers.Location?.PathAndQuery());
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync(publish.Headers.Location)).StatusCode);
        var unpublish = await writer.PostAsync($"/umbraco/content/{key}?handler=Unpublish", new FormUrlEncodedContent(FormValues(form)));
        Assert.StartsWith("/umbraco/access-denied", unpublish.Headers.Location?.PathAndQuery());
        var draft = await app.WithContentAsync(content => content.GetDraftAsync(key));
        Assert.Equal(1, draft!.LatestVersionNumber);
        Assert.Equal(1, draft.PublishedVersionNumber);
        Assert.DoesNotContain("Written by a writer", await TextOfAsync(app.CreateClient(), $"/team/{slug}"));

        // Saving a draft is what a writer may do.
        Assert.Equal($"/umbraco/content/{key}?status=saved", (await form.PressAsync(writer, "Save draft")).Headers.Location?.PathAndQuery());
    }

    [Fact]
    public async Task AStaleSaveIsRefusedTheUsersValuesStayAndTheyCanSaveOverTheNewerVersion()
    {
        var (key, _) = await PublishedExpertAsync("Before both edits");
        var (first, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var (second, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        var mine = await EditorForm.OpenAsync(first, $"/umbraco/content/{key}");
        var theirs = await EditorForm.OpenAsync(second, $"/umbraco/content/{key}");
        theirs["Document.Role"] = "Their edit";
        await theirs.PressAsync(second, "Save draft");

        mine["Document.Role"] = "My edit";
        mine["Document.Summary"] = "My summary, typed with care.";
        var refused = await mine.PressAndReloadAsync(first, "Save draft");

        var conflict = refused.Page.QuerySelector("#conflict");
        Assert.NotNull(conflict);
        Assert.Contains("not saved", conflict.TextContent);
        Assert.Equal($"/umbraco/content/{key}", conflict.QuerySelector("a")?.GetAttribute("href"));
        Assert.Equal("My edit", refused["Document.Role"]);
        Assert.Equal("My summary, typed with care.", refused["Document.Summary"]);
        Assert.Equal("Their edit", ((ExpertProfile)(await app.WithContentAsync(content => content.GetDraftAsync(key)))!.Document).Role);

        var overwritten = await refused.PressAsync(first, "Save mine anyway");

        Assert.Equal($"/umbraco/content/{key}?status=saved", overwritten.Headers.Location?.PathAndQuery());
        Assert.Equal("My edit", ((ExpertProfile)(await app.WithContentAsync(content => content.GetDraftAsync(key)))!.Document).Role);
    }

    [Fact]
    public async Task AReorderOrPublishBySomeoneElseIsNotAConflictWithWhatTheUserTyped()
    {
        var (key, _) = await PublishedExpertAsync("Before the reorder");
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var form = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}");
        await app.WithContentAsync(async content =>
        {
            var keys = (await content.ListAsync("expertProfile")).Select(item => item.Key).Reverse().ToList();
            await content.ReorderAsync("expertProfile", keys);
            await content.PublishAsync(key, "someone else");
            return keys;
        });

        form["Document.Role"] = "Typed while the order changed";
        var saved = await form.PressAsync(editor, "Save draft");

        Assert.Equal($"/umbraco/content/{key}?status=saved", saved.Headers.Location?.PathAndQuery());
        Assert.Equal("Typed while the order changed", ((ExpertProfile)(await app.WithContentAsync(content => content.GetDraftAsync(key)))!.Document).Role);
    }

    [Fact]
    public async Task UnpublishingAnItemThatChangedSinceThePageOpenedIsRefusedAndShowsItAsItIsNow()
    {
        var (key, slug) = await PublishedExpertAsync("Published and about to change");
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var unpublish = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}", "form[action*='handler=Unpublish']");
        await app.WithContentAsync(async content =>
        {
            var draft = (await content.GetDraftAsync(key))!;
            return await content.SaveDraftAsync(key, ((ExpertProfile)draft.Document) with { Role = "Changed meanwhile" }, slug, "someone else");
        });

        var refused = await unpublish.PressAsync(editor, "Unpublish now");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = Html.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("changed after you opened it", page.QuerySelector("#conflict")?.TextContent);
        Assert.Equal("Changed meanwhile", page.QuerySelector("#field-Role")?.GetAttribute("value"));
        Assert.True((await app.WithContentAsync(content => content.GetDraftAsync(key)))!.IsPublished);

        var retried = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}", "form[action*='handler=Unpublish']");
        Assert.Equal($"/umbraco/content/{key}?status=unpublished", (await retried.PressAsync(editor, "Unpublish now")).Headers.Location?.PathAndQuery());
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/team/{slug}")).StatusCode);
    }

    [Fact]
    public async Task NestedListsAreAddedRemovedAndReorderedWithoutLosingWhatWasTyped()
    {
        var (key, _) = await PublishedExpertAsync("Lists", stats: [new() { Value = "1", Label = "First" }, new() { Value = "2", Label = "Second" }]);
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var form = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}");
        form["Document.Role"] = "Typed before adding";

        form = await form.PressAndReloadAsync(editor, "Command=add:Stats");
        Assert.Equal("Typed before adding", form["Document.Role"]);
        Assert.Equal("", form["Document.Stats[2].Value"]);
        Assert.Equal("true", form.Page.QuerySelector("#editor-form")?.GetAttribute("data-unsaved"));
        form["Document.Stats[2].Value"] = "3";
        form["Document.Stats[2].Label"] = "Third";

        form = await form.PressAndReloadAsync(editor, "Command=up:Stats[2]");
        Assert.Equal("Third", form["Document.Stats[1].Label"]);
        form = await form.PressAndReloadAsync(editor, "Command=remove:Stats[0]");
        Assert.Equal(("Third", "Second"), (form["Document.Stats[0].Label"], form["Document.Stats[1].Label"]));
        Assert.Null(form["Document.Stats[2].Label"]);

        // Lists inside list items and inside nested records work the same way.
        form = await form.PressAndReloadAsync(editor, "Command=add:TrackRecord");
        form["Document.TrackRecord[0].Period"] = "2020–2024";
        form["Document.TrackRecord[0].Organization"] = "Acme";
        form["Document.TrackRecord[0].Role"] = "Architect";
        form = await form.PressAndReloadAsync(editor, "Command=add:TrackRecord[0].Contributions");
        form["Document.TrackRecord[0].Contributions[0]"] = "Cut p99 latency by half";
        Assert.Equal("SELECT", form.Page.QuerySelector("#field-Availability-TimeZone")?.TagName);
        form["Document.Availability.TimeZone"] = "Europe/Berlin";
        form = await form.PressAndReloadAsync(editor, "Command=add:Availability.Windows");
        form["Document.Availability.Windows[0].Day"] = "Wednesday";
        form["Document.Availability.Windows[0].Start"] = "10:00";
        form["Document.Availability.Windows[0].End"] = "12:30";
        form = await form.PressAndReloadAsync(editor, "Command=add:Skills");
        form["Document.Skills[0]"] = "PostgreSQL";

        // Nothing was saved by the list buttons; saving stores it all.
        Assert.Equal(1, (await app.WithContentAsync(content => content.GetDraftAsync(key)))!.LatestVersionNumber);
        Assert.Equal($"/umbraco/content/{key}?status=saved", (await form.PressAsync(editor, "Save draft")).Headers.Location?.PathAndQuery());
        var stored = (ExpertProfile)(await app.WithContentAsync(content => content.GetDraftAsync(key)))!.Document;
        Assert.Equal("Typed before adding", stored.Role);
        Assert.Equal(["Third", "Second"], stored.Stats.Select(stat => stat.Label));
        Assert.Equal("Cut p99 latency by half", Assert.Single(Assert.Single(stored.TrackRecord).Contributions));
        Assert.Equal(new WeeklyWindow { Day = DayOfWeek.Wednesday, Start = "10:00", End = "12:30" }, Assert.Single(stored.Availability.Windows));
        Assert.Equal(["PostgreSQL"], stored.Skills);
        Assert.Equal("Europe/Berlin", stored.Availability.TimeZone);
    }

    [Fact]
    public async Task ValidationErrorsAreShownBesideTheirFieldsAndInASummaryAndNothingIsSaved()
    {
        var (key, _) = await PublishedExpertAsync("Valid", stats: [new() { Value = "1", Label = "One" }]);
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var form = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}");
        form["Document.Name"] = "";
        form["Document.Stats[0].Label"] = "";
        form["Document.Availability.SlotMinutes"] = "lots";
        form["Slug"] = "Not A Slug";

        var refused = await form.PressAndReloadAsync(editor, "Save draft");

        var summary = refused.Page.QuerySelector("#error-summary");
        Assert.NotNull(summary);
        var links = summary.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("#field-Name", links);
        Assert.Contains("#field-Stats-0-Label", links);
        Assert.Contains("#field-Availability-SlotMinutes", links);
        Assert.Contains("#field-Slug", links);
        var nameInput = refused.Page.QuerySelector("#field-Name")!;
        Assert.Equal("true", nameInput.GetAttribute("aria-invalid"));
        Assert.Contains("field-Name-error", nameInput.GetAttribute("aria-describedby"));
        Assert.False(string.IsNullOrWhiteSpace(refused.Page.QuerySelector("#field-Name-error")?.TextContent));
        Assert.Contains("whole number", refused.Page.QuerySelector("#field-Availability-SlotMinutes-error")?.TextContent);
        Assert.Equal("lots", refused["Document.Availability.SlotMinutes"]);
        Assert.Equal(1, (await app.WithContentAsync(content => content.GetDraftAsync(key)))!.LatestVersionNumber);
    }

    [Fact]
    public async Task AFormPostWithoutTheAntiforgeryTokenIsRefused()
    {
        var (key, _) = await PublishedExpertAsync("Protected");
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var form = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}");
        form["Document.Role"] = "Forged";
        form.Without("__RequestVerificationToken");

        var save = await form.PressAsync(editor, "Save draft");
        var publish = await form.PressAsync(editor, "Save and publish");

        Assert.Equal(HttpStatusCode.BadRequest, save.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, publish.StatusCode);
        Assert.Equal(1, (await app.WithContentAsync(content => content.GetDraftAsync(key)))!.LatestVersionNumber);
    }

    [Fact]
    public async Task TheMarkdownPreviewButtonRendersTheTypedMarkdownWithoutSaving()
    {
        var (key, _) = await PublishedExpertAsync("Markdown");
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        var form = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}");
        Assert.Equal("TEXTAREA", form.Page.QuerySelector("#field-Philosophy")?.TagName);
        form["Document.Philosophy"] = "Measure **first**, then <script>alert(1)</script> optimise.";

        var previewed = await form.PressAndReloadAsync(editor, "Command=preview:Philosophy");

        var preview = previewed.Page.QuerySelector("#field-Philosophy-preview");
        Assert.Equal("first", preview?.QuerySelector("strong")?.TextContent);
        Assert.Null(preview?.QuerySelector("script"));
        Assert.StartsWith("Measure **first**", previewed["Document.Philosophy"]);
        Assert.Equal(1, (await app.WithContentAsync(content => content.GetDraftAsync(key)))!.LatestVersionNumber);
    }

    [Fact]
    public async Task ThePreviewShowsTheDraftInThePublicTemplateMarkedAndNotIndexed()
    {
        var (key, slug) = await PublishedExpertAsync("Published text");
        await app.WithContentAsync(async content =>
        {
            var draft = (await content.GetDraftAsync(key))!;
            return await content.SaveDraftAsync(key, ((ExpertProfile)draft.Document) with { Role = "Draft text" }, slug, "test");
        });
        var (writer, _) = await app.SignedInAsync(BackofficeRoles.Writer);

        var response = await writer.GetAsync($"/umbraco/content/{key}/preview");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("noindex", response.Headers.GetValues("X-Robots-Tag").Single());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Draft text", page.QuerySelector(".profile-hero__role")?.TextContent);
        Assert.Contains("Preview — not published", page.QuerySelector(".preview-banner")?.TextContent);
        Assert.Equal($"/umbraco/content/{key}", page.QuerySelector(".preview-banner a")?.GetAttribute("href"));
        Assert.Equal("noindex", page.Meta("robots"));
        // The public page, even right after the preview, shows the published version.
        Assert.Contains("Published text", await TextOfAsync(app.CreateClient(), $"/team/{slug}"));
        Assert.StartsWith("/umbraco/login", (await app.CreateBrowser().GetAsync($"/umbraco/content/{key}/preview")).Headers.Location?.PathAndQuery());
    }

    [Fact]
    public async Task SchedulesAreEnteredInTheEditorsTimeZoneStoredInUtcAndShownBackInThatZone()
    {
        var (key, _) = await PublishedExpertAsync("Scheduled");
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var form = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}", "form[action*='handler=Schedule']");
        form["tz"] = "Europe/Berlin";
        form["PublishAt"] = "2026-11-20T10:00";

        var saved = await form.PressAsync(editor, "Save schedule");

        Assert.Equal($"/umbraco/content/{key}?status=scheduled&tz=Europe%2FBerlin", saved.Headers.Location?.PathAndQuery());
        var draft = (await app.WithContentAsync(content => content.GetDraftAsync(key)))!;
        Assert.Equal(new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc), draft.PublishAtUtc);
        var page = await editor.GetDocumentAsync(saved.Headers.Location!.PathAndQuery());
        Assert.Contains("Fri 20 Nov 2026, 10:00 Berlin time", page.QuerySelector("main")!.TextContent);
        Assert.Equal("2026-11-20T10:00", page.QuerySelector("#PublishAt")?.GetAttribute("value"));
        var entry = await app.WithDbAsync2(db => db.AuditEntries.Where(e => e.EntityId == key.ToString()).OrderBy(e => e.Id).Last());
        Assert.Equal(ContentAuditActions.Scheduled, entry.Action);

        var past = await EditorForm.OpenAsync(editor, $"/umbraco/content/{key}?tz=Europe%2FBerlin", "form[action*='handler=Schedule']");
        past["PublishAt"] = "2020-01-01T10:00";
        var refused = await past.PressAsync(editor, "Save schedule");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("in the future", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheTreeGroupsByTypeShowsStatesAndEditorsReorderAndDeleteWithConfirmation()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var (writer, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        var (key, slug) = await PublishedExpertAsync("To be deleted");

        var tree = await editor.GetDocumentAsync("/umbraco/content");
        Assert.NotNull(tree.QuerySelector("section#expertProfile h2"));
        Assert.NotNull(tree.QuerySelector("section#service h2"));
        Assert.Contains("Published", tree.QuerySelector("section#expertProfile")!.TextContent);
        Assert.NotNull(tree.QuerySelector("button[name=Move]"));
        var writersTree = await writer.GetDocumentAsync("/umbraco/content");
        Assert.Null(writersTree.QuerySelector("button[name=Move]"));
        Assert.Null(writersTree.QuerySelector($"a[href='/umbraco/content/{key}/delete']"));

        var services = (await app.WithContentAsync(content => content.ListAsync("service"))).Select(item => item.Key).ToList();
        var moved = await editor.PostFormAsync("/umbraco/content?handler=Move",
            [new("__RequestVerificationToken", await editor.AntiforgeryTokenAsync("/umbraco/content")), new("Move", $"down:{services[0]}")]);
        Assert.Equal("/umbraco/content?status=moved#service", moved.Headers.Location?.PathAndQuery());
        Assert.Equal([services[1], services[0], .. services.Skip(2)], (await app.WithContentAsync(content => content.ListAsync("service"))).Select(item => item.Key));
        var writerMove = await writer.PostFormAsync("/umbraco/content?handler=Move",
            [new("__RequestVerificationToken", await writer.AntiforgeryTokenAsync("/umbraco/content")), new("Move", $"down:{services[0]}")]);
        Assert.StartsWith("/umbraco/access-denied", writerMove.Headers.Location?.PathAndQuery());

        var confirmation = await editor.GetDocumentAsync($"/umbraco/content/{key}/delete");
        Assert.Contains("It goes to the recycle bin", confirmation.QuerySelector("main")!.TextContent);
        Assert.NotNull(await app.WithContentAsync(content => content.GetDraftAsync(key)));
        var deleted = await editor.SubmitAsync($"/umbraco/content/{key}/delete", []);
        Assert.Equal("/umbraco/content?status=deleted", deleted.Headers.Location?.PathAndQuery());
        Assert.Null(await app.WithContentAsync(content => content.GetDraftAsync(key)));
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/team/{slug}")).StatusCode);
        Assert.Contains(ContentAuditActions.Deleted, await app.WithDbAsync2(db => db.AuditEntries.Where(e => e.EntityId == key.ToString()).Select(e => e.Action).ToList()));
    }

    [Fact]
    public async Task ANewItemIsCreatedAsADraftFromTheSameEditor()
    {
        var (writer, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        var form = await EditorForm.OpenAsync(writer, "/umbraco/content/create?type=article");
        form["Document.Title"] = "Notes on Caching";
        form["Document.Summary"] = "What we learned.";
        form["Document.Body"] = "Cache **less**.";
        form["Document.PublishedOn"] = "2026-11-02";

        var created = await form.PressAsync(writer, "Create draft");

        Assert.True(created.StatusCode == HttpStatusCode.Redirect, string.Join("\n", app.Log.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(l => l.Message)));
        var key = Guid.Parse(created.Headers.Location!.PathAndQuery()["/umbraco/content/".Length..].Split('?')[0]);
        var draft = (await app.WithContentAsync(content => content.GetDraftAsync(key)))!;
        Assert.Equal("notes-on-caching", draft.Slug);
        Assert.False(draft.IsPublished);
        Assert.Equal(new DateOnly(2026, 11, 2), ((Article)draft.Document).PublishedOn);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/articles/notes-on-caching")).StatusCode);
    }

    [Fact]
    public async Task EveryItemOfEveryDocumentTypeOpensInTheEditorSavesUnchangedAndPreviewsInItsPage()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var items = await app.WithContentAsync(async content =>
        {
            var all = new List<ContentSummary>();
            foreach (var alias in DocumentTypeRegistry.ByAlias.Keys)
            {
                all.AddRange(await content.ListAsync(alias));
            }

            return all;
        });
        Assert.Equal(DocumentTypeRegistry.ByAlias.Count, items.Select(item => item.ContentType).Distinct().Count());

        foreach (var item in items.Where(item => !item.Slug.StartsWith("expert-", StringComparison.Ordinal)))
        {
            var form = await EditorForm.OpenAsync(editor, $"/umbraco/content/{item.Key}");
            var before = await app.WithContentAsync(content => content.GetDraftAsync(item.Key));

            // The form round-trips every property: saving it untouched stores nothing new.
            var saved = await form.PressAsync(editor, "Save draft");
            Assert.True(saved.StatusCode == HttpStatusCode.Redirect, $"{item.ContentType} {item.Slug}: {(int)saved.StatusCode}\n{await saved.Content.ReadAsStringAsync()}");
            Assert.Equal(before!.LatestVersionNumber, (await app.WithContentAsync(content => content.GetDraftAsync(item.Key)))!.LatestVersionNumber);

            var preview = await editor.GetAsync($"/umbraco/content/{item.Key}/preview");
            Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
            var page = Html.Parse(await preview.Content.ReadAsStringAsync());
            if (ContentPreviewRenderer.TargetOf(item.ContentType, item.Slug) is not null)
            {
                Assert.True(page.QuerySelector(".preview-banner") is not null, $"{item.ContentType} {item.Slug} previews without the banner.");
            }
        }
    }

    private async Task<(Guid Key, string Slug)> PublishedExpertAsync(string role, List<Stat>? stats = null)
    {
        var slug = "expert-" + Guid.NewGuid().ToString("N")[..8];
        var key = await app.WithContentAsync(async content =>
        {
            var created = await content.CreateAsync(new ExpertProfile
            {
                Name = "Test Expert " + slug,
                Role = role,
                Summary = "A summary.",
                Stats = stats ?? [],
            }, slug, "test");
            await content.PublishAsync(created.Key, "test");
            return created.Key;
        });
        return (key, slug);
    }

    private static async Task<string> TextOfAsync(HttpClient client, string path) =>
        (await client.GetDocumentAsync(path)).QuerySelector("main")!.TextContent;

    private static List<KeyValuePair<string, string>> FormValues(EditorForm form) =>
        [.. form.Names.Select(name => new KeyValuePair<string, string>(name, form[name] ?? ""))];
}
