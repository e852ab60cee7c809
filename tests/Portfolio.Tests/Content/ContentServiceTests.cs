using System.Net;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Content;

/// <summary>The content engine's service API, observed through the public site where it shows.</summary>
public sealed class ContentServiceTests(EmptyPortfolioApp app) : IClassFixture<EmptyPortfolioApp>
{
    private const string Editor = "editor@example.com";

    private static Service NewService(string title) => new()
    {
        Title = title,
        Summary = $"Summary of {title}.",
        Body = $"## {title}\n\nWhat we do.",
        MetaDescription = $"About {title}.",
    };

    private static Article NewArticle(string title) => new()
    {
        Title = title,
        Summary = "A summary.",
        Body = "Some **markdown** text.",
        PublishedOn = new DateOnly(2026, 10, 1),
        Tags = ["testing"],
    };

    [Fact]
    public async Task DraftsStayInvisibleUntilPublished()
    {
        var client = app.CreateClient();
        var created = await app.WithContentAsync(content => content.CreateAsync(NewService("Draft Only Service"), "draft-only-service", Editor));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/services/draft-only-service")).StatusCode);

        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        var published = await client.GetStringAsync("/services/draft-only-service");
        Assert.Contains("Draft Only Service", published);

        // A newer draft does not replace what the public sees.
        await app.WithContentAsync(content => content.SaveDraftAsync(created.Key, NewService("Renamed In Draft"), "draft-only-service", Editor));
        var stillPublished = await client.GetStringAsync("/services/draft-only-service");
        Assert.Contains("Draft Only Service", stillPublished);
        Assert.DoesNotContain("Renamed In Draft", stillPublished);

        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        Assert.Contains("Renamed In Draft", await client.GetStringAsync("/services/draft-only-service"));
    }

    [Fact]
    public async Task UnpublishingTakesThePageOffline()
    {
        var client = app.CreateClient();
        var created = await app.WithContentAsync(content => content.CreateAsync(NewService("Short Lived"), "short-lived", Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/services/short-lived")).StatusCode);

        await app.WithContentAsync(async content =>
        {
            await content.UnpublishAsync(created.Key, Editor);
            return 0;
        });

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/services/short-lived")).StatusCode);
    }

    [Fact]
    public async Task ChangingAPublishedSlugRedirectsTheOldUrlPermanently()
    {
        var client = app.CreatePlainClient();
        var created = await app.WithContentAsync(content => content.CreateAsync(NewArticle("Moving Article"), "moving-article", Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));

        await app.WithContentAsync(content => content.SaveDraftAsync(created.Key, NewArticle("Moving Article"), "moved-article", Editor));
        // Until the new slug is published, the old URL is still the page.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/articles/moving-article")).StatusCode);

        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        var response = await client.GetAsync("/articles/moving-article?utm=x");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/articles/moved-article?utm=x", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/articles/moved-article")).StatusCode);

        // A second move points every old URL straight at the newest one (no chains).
        await app.WithContentAsync(content => content.SaveDraftAsync(created.Key, NewArticle("Moving Article"), "settled-article", Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        Assert.Equal("/articles/settled-article", (await client.GetAsync("/articles/moving-article")).Headers.Location?.OriginalString);
        Assert.Equal("/articles/settled-article", (await client.GetAsync("/articles/moved-article")).Headers.Location?.OriginalString);

        // Moving back to an old slug removes that slug's redirect instead of creating a loop.
        await app.WithContentAsync(content => content.SaveDraftAsync(created.Key, NewArticle("Moving Article"), "moving-article", Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/articles/moving-article")).StatusCode);
        Assert.Equal("/articles/moving-article", (await client.GetAsync("/articles/settled-article")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Finding02_AScheduledPublishPublishesTheScheduledVersionAndADraftSavedLaterStaysADraft()
    {
        var client = app.CreateClient();
        var created = await app.WithContentAsync(content => content.CreateAsync(NewService("Reviewed Launch"), "reviewed-launch", Editor));
        var now = app.Clock.GetUtcNow().UtcDateTime;
        // The editor schedules what they reviewed (version 1); a writer then saves a draft nobody has reviewed.
        await app.WithContentAsync(async content =>
        {
            await content.ScheduleAsync(created.Key, now.AddHours(1), null);
            return 0;
        });
        var later = await app.WithContentAsync(content => content.SaveDraftAsync(created.Key, NewService("Unreviewed Rewrite"), "reviewed-launch", "writer@example.com"));
        Assert.Equal(1, later.ScheduledVersionNumber);
        Assert.True(later.HasDraftAfterScheduledVersion);

        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await app.WithContentAsync(content => content.ApplySchedulesAsync()));

        var page = await client.GetStringAsync("/services/reviewed-launch");
        Assert.Contains("Reviewed Launch", page);
        Assert.DoesNotContain("Unreviewed Rewrite", page);
        var item = await app.WithContentAsync(content => content.GetDraftAsync(created.Key));
        Assert.Equal(1, item!.PublishedVersionNumber);
        Assert.Equal(2, item.LatestVersionNumber);
        Assert.True(item.HasUnpublishedChanges);
        Assert.Equal("Unreviewed Rewrite", item.Document.DisplayName);
        Assert.Null(item.PublishAtUtc);
        Assert.Null(item.ScheduledVersionNumber);
    }

    [Fact]
    public async Task ScheduledPublishAndUnpublishHappenWhenTheClockReachesThem()
    {
        var client = app.CreateClient();
        var created = await app.WithContentAsync(content => content.CreateAsync(NewService("Scheduled Service"), "scheduled-service", Editor));
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.WithContentAsync(async content =>
        {
            await content.ScheduleAsync(created.Key, now.AddHours(1), now.AddHours(3));
            return 0;
        });

        Assert.Equal(0, await app.WithContentAsync(content => content.ApplySchedulesAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/services/scheduled-service")).StatusCode);

        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await app.WithContentAsync(content => content.ApplySchedulesAsync()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/services/scheduled-service")).StatusCode);

        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await app.WithContentAsync(content => content.ApplySchedulesAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/services/scheduled-service")).StatusCode);

        var item = await app.WithContentAsync(content => content.GetDraftAsync(created.Key));
        Assert.Null(item!.PublishAtUtc);
        Assert.Null(item.UnpublishAtUtc);
    }

    [Fact]
    public async Task AnUnpublishTimeBeforeThePublishTimeIsRefused()
    {
        var created = await app.WithContentAsync(content => content.CreateAsync(NewService("Backwards"), "backwards", Editor));
        var now = app.Clock.GetUtcNow().UtcDateTime;

        await Assert.ThrowsAsync<DocumentValidationException>(() =>
            app.WithContentAsync(async content =>
            {
                await content.ScheduleAsync(created.Key, now.AddHours(2), now.AddHours(1));
                return 0;
            }));
    }

    [Fact]
    public async Task HistoryListsEveryVersionAndRollbackMakesAnOldOneTheNewestDraft()
    {
        var created = await app.WithContentAsync(content => content.CreateAsync(NewService("Version One"), "versioned", Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        await app.WithContentAsync(content => content.SaveDraftAsync(created.Key, NewService("Version Two"), "versioned", "writer@example.com"));

        var history = await app.WithContentAsync(content => content.GetHistoryAsync(created.Key));
        Assert.Equal([2, 1], history.Select(version => version.Number));
        Assert.True(history.Single(version => version.Number == 1).IsPublished);
        Assert.Equal("writer@example.com", history[0].CreatedBy);

        var rolledBack = await app.WithContentAsync(content => content.RollbackAsync(created.Key, 1, Editor));
        Assert.Equal(3, rolledBack.LatestVersionNumber);
        Assert.Equal("Version One", ((Service)rolledBack.Document).Title);
        Assert.Equal("Version Two", ((Service)await app.WithContentAsync(content => content.GetVersionDocumentAsync(created.Key, 2))).Title);
    }

    [Fact]
    public async Task SavingOverSomeoneElsesChangeIsRefused()
    {
        var created = await app.WithContentAsync(content => content.CreateAsync(NewService("Shared Edit"), "shared-edit", Editor));
        var openedAt = created.Revision;
        await app.WithContentAsync(content => content.SaveDraftAsync(created.Key, NewService("First Save"), "shared-edit", "a@example.com", openedAt));

        var stale = await Assert.ThrowsAsync<ContentConcurrencyException>(() =>
            app.WithContentAsync(content => content.SaveDraftAsync(created.Key, NewService("Second Save"), "shared-edit", "b@example.com", openedAt)));
        Assert.Equal(openedAt + 1, stale.ActualRevision);
        Assert.Equal("First Save", ((Service)(await app.WithContentAsync(content => content.GetDraftAsync(created.Key)))!.Document).Title);
    }

    [Fact]
    public async Task SlugsAreUniquePerTypeAndMustBeUrlSafe()
    {
        await app.WithContentAsync(content => content.CreateAsync(NewService("Taken"), "taken-slug", Editor));

        await Assert.ThrowsAsync<SlugConflictException>(() =>
            app.WithContentAsync(content => content.CreateAsync(NewService("Taken Again"), "taken-slug", Editor)));
        var invalid = await Assert.ThrowsAsync<DocumentValidationException>(() =>
            app.WithContentAsync(content => content.CreateAsync(NewService("Bad Slug"), "Bad Slug!", Editor)));
        Assert.Contains("Slug", invalid.Errors.Keys);

        // The same slug in another type is fine.
        await app.WithContentAsync(content => content.CreateAsync(NewArticle("Taken"), "taken-slug", Editor));
    }

    [Fact]
    public async Task InvalidDocumentsAreRefusedWithTheFieldsThatAreWrong()
    {
        var document = NewService("") with { Highlights = ["ok", " "] };

        var error = await Assert.ThrowsAsync<DocumentValidationException>(() =>
            app.WithContentAsync(content => content.CreateAsync(document, "no-title", Editor)));

        Assert.Contains("Title", error.Errors.Keys);
        Assert.Contains("Highlights[1]", error.Errors.Keys);
    }

    [Fact]
    public async Task ReorderingChangesTheOrderOfTheListing()
    {
        var first = await app.WithContentAsync(content => content.CreateAsync(NewService("Order A"), "order-a", Editor));
        var second = await app.WithContentAsync(content => content.CreateAsync(NewService("Order B"), "order-b", Editor));

        await app.WithContentAsync(async content =>
        {
            var keys = (await content.ListAsync("service")).Select(item => item.Key);
            var reordered = keys.Where(key => key != second.Key).Prepend(second.Key).ToList();
            await content.ReorderAsync("service", reordered);
            return 0;
        });

        await app.WithDbAsync(async db =>
        {
            var orders = await db.ContentItems.Where(item => item.Id == first.Key || item.Id == second.Key)
                .ToDictionaryAsync(item => item.Id, item => item.SortOrder);
            Assert.True(orders[second.Key] < orders[first.Key]);
        });
    }

    [Fact]
    public async Task PublishingRefreshesACachedPage()
    {
        var client = app.CreateClient();
        var created = await app.WithContentAsync(content => content.CreateAsync(NewService("Cached Title"), "cached-page", Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        Assert.Contains("Cached Title", await client.GetStringAsync("/services/cached-page"));
        Assert.Contains("Cached Title", await client.GetStringAsync("/services/cached-page"));

        await app.WithContentAsync(content => content.SaveDraftAsync(created.Key, NewService("Fresh Title"), "cached-page", Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));

        Assert.Contains("Fresh Title", await client.GetStringAsync("/services/cached-page"));
    }

    [Fact]
    public async Task ConcurrentPublishersDoNotCorruptTheItem()
    {
        var created = await app.WithContentAsync(content => content.CreateAsync(NewService("Race"), "race", Editor));

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(async i =>
        {
            try
            {
                await app.WithContentAsync(content => content.SaveDraftAsync(created.Key, NewService($"Race {i}"), "race", Editor));
                return true;
            }
            catch (DbUpdateException)
            {
                // The losing writers are told; nobody overwrites silently.
                return false;
            }
        }));

        var history = await app.WithContentAsync(content => content.GetHistoryAsync(created.Key));
        Assert.Equal(results.Count(ok => ok) + 1, history.Count);
        Assert.Equal(history.Count, history.Select(version => version.Number).Distinct().Count());
    }
}
