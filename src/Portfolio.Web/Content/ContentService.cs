using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;
using Portfolio.Web.Webhooks;

namespace Portfolio.Web.Content;

/// <summary>An item as an editor sees it: its latest (possibly unpublished) document and its state.</summary>
public sealed record ContentDraft(
    Guid Key,
    string ContentType,
    string Slug,
    string? PublishedSlug,
    int SortOrder,
    int Revision,
    int LatestVersionNumber,
    int? PublishedVersionNumber,
    DateTime? PublishAtUtc,
    DateTime? UnpublishAtUtc,
    DateTime UpdatedUtc,
    IDocument Document,
    int? ScheduledVersionNumber = null)
{
    public bool IsPublished => PublishedVersionNumber is not null;
    public bool HasUnpublishedChanges => PublishedVersionNumber != LatestVersionNumber;

    /// <summary>A draft was saved after the version a scheduled publish will publish; the schedule leaves it a draft.</summary>
    public bool HasDraftAfterScheduledVersion => ScheduledVersionNumber is { } scheduled && scheduled < LatestVersionNumber;
}

/// <summary>An item in a list of items of one type (the backoffice tree, reordering).</summary>
public sealed record ContentSummary(
    Guid Key, string ContentType, string Slug, string Name, int SortOrder, bool IsPublished, bool HasUnpublishedChanges,
    DateTime UpdatedUtc, string UpdatedBy, DateTime? PublishAtUtc, DateTime? UnpublishAtUtc);

/// <summary>An item in the recycle bin: who binned it and when, and whether it was on the site then.</summary>
public sealed record BinnedContent(Guid Key, string ContentType, string Slug, string Name, int LatestVersionNumber, DateTime TrashedUtc, string TrashedBy);

/// <summary>A version in use (an item's latest or published one), as <see cref="ContentService.CurrentVersionsAsync"/> lists them.</summary>
public sealed record CurrentVersion(Guid ItemId, string ItemName, string ContentType, bool Published, string Json);

/// <summary>One entry of an item's history.</summary>
public sealed record ContentVersionInfo(int Number, string Slug, string Name, DateTime CreatedUtc, string CreatedBy, bool IsPublished);

/// <summary>
/// The content engine's service API: create, save drafts, publish, unpublish, schedule, roll back,
/// reorder, delete. The backoffice puts a UI on it; the sample-content import and the tests use it
/// directly. Every change that can alter the public site notifies <see cref="PublishedContentCache"/>.
/// </summary>
public sealed class ContentService(PortfolioDbContext db, PublishedContentCache cache, TimeProvider clock, PagePaths pagePaths,
    IEnumerable<IContentChangeListener> listeners, WebhookOutbox webhooks)
{
    /// <summary>Webhook events of the change being made, queued with it by <see cref="SaveWithEventsAsync"/>.</summary>
    private readonly List<WebhookEvent> _events = [];

    public async Task<ContentDraft> CreateAsync(IDocument document, string slug, string author,
        int? sortOrder = null, Guid? key = null, CancellationToken cancellationToken = default)
    {
        var type = DocumentTypeRegistry.Of(document);
        EnsureValid(type, document, slug);
        await EnsureSlugFreeAsync(type.Alias, slug, exceptKey: null, cancellationToken);
        if (type.Singleton && await db.ContentItems.AnyAsync(item => item.ContentType == type.Alias, cancellationToken))
        {
            throw new SlugConflictException(type.Alias, slug);
        }

        var now = Now;
        var item = new ContentItem
        {
            Id = key ?? Guid.CreateVersion7(),
            ContentType = type.Alias,
            Slug = slug,
            Name = Truncate(document.DisplayName),
            SortOrder = sortOrder ?? await NextSortOrderAsync(type.Alias, cancellationToken),
            LatestVersionNumber = 1,
            CreatedUtc = now,
            UpdatedUtc = now,
            UpdatedBy = Truncate(author),
            Revision = 1,
        };
        item.Versions.Add(NewVersion(item, 1, document, slug, author, now));
        db.ContentItems.Add(item);
        await SaveAsync(type.Alias, slug, item.Id, cancellationToken);
        return ToDraft(item, document);
    }

    /// <summary>Saves a new draft version. Pass the revision the editor loaded to detect concurrent edits.</summary>
    public async Task<ContentDraft> SaveDraftAsync(Guid key, IDocument document, string slug, string author,
        int? expectedRevision = null, CancellationToken cancellationToken = default)
    {
        var item = await FindAsync(key, cancellationToken);
        EnsureSameType(item, document);
        EnsureRevision(item, expectedRevision);
        EnsureValid(DocumentTypeRegistry.Of(document), document, slug);
        await EnsureSlugFreeAsync(item.ContentType, slug, item.Id, cancellationToken);

        var now = Now;
        item.LatestVersionNumber++;
        item.Slug = slug;
        item.Name = Truncate(document.DisplayName);
        item.UpdatedUtc = now;
        item.UpdatedBy = Truncate(author);
        item.Revision++;
        db.ContentVersions.Add(NewVersion(item, item.LatestVersionNumber, document, slug, author, now));
        await SaveAsync(item.ContentType, slug, item.Id, cancellationToken);
        return ToDraft(item, document);
    }

    /// <summary>Publishes the latest version (or a given one). A changed public URL leaves a 301 behind.</summary>
    public async Task<ContentDraft> PublishAsync(Guid key, string author, int? versionNumber = null,
        int? expectedRevision = null, CancellationToken cancellationToken = default)
    {
        var item = await FindAsync(key, cancellationToken);
        EnsureRevision(item, expectedRevision);
        var number = versionNumber ?? item.LatestVersionNumber;
        var version = await db.ContentVersions.SingleOrDefaultAsync(v => v.ItemId == key && v.Number == number, cancellationToken)
                      ?? throw new ContentNotFoundException(key);

        await PublishVersionAsync(item, version, cancellationToken);
        item.PublishAtUtc = null;
        item.ScheduledVersionNumber = null;
        item.UpdatedBy = Truncate(author);
        await SaveWithEventsAsync(cancellationToken);
        await ChangedAsync(key, cancellationToken);
        return ToDraft(item, DocumentTypeRegistry.Deserialize(item.ContentType, version.Json));
    }

    public async Task UnpublishAsync(Guid key, string author, int? expectedRevision = null, CancellationToken cancellationToken = default)
    {
        var item = await FindAsync(key, cancellationToken);
        EnsureRevision(item, expectedRevision);
        Unpublish(item);
        item.UpdatedBy = Truncate(author);
        await SaveWithEventsAsync(cancellationToken);
        await ChangedAsync(key, cancellationToken);
    }

    /// <summary>
    /// Sets (or clears, with null) the times at which the background job publishes or unpublishes. A scheduled publish
    /// publishes <paramref name="publishVersionNumber"/>, by default the latest version now: what the scheduling editor
    /// saw, never a draft saved later.
    /// </summary>
    public async Task ScheduleAsync(Guid key, DateTime? publishAtUtc, DateTime? unpublishAtUtc,
        int? expectedRevision = null, int? publishVersionNumber = null, CancellationToken cancellationToken = default)
    {
        if (publishAtUtc is not null && unpublishAtUtc is not null && unpublishAtUtc <= publishAtUtc)
        {
            throw new DocumentValidationException(new Dictionary<string, string[]>
            {
                ["UnpublishAt"] = ["The unpublish time must be after the publish time."],
            });
        }

        var item = await FindAsync(key, cancellationToken);
        EnsureRevision(item, expectedRevision);
        if (publishVersionNumber is { } number && (number < 1 || number > item.LatestVersionNumber))
        {
            throw new ContentNotFoundException(key);
        }

        item.PublishAtUtc = publishAtUtc?.ToUniversalTime();
        item.ScheduledVersionNumber = publishAtUtc is null ? null : publishVersionNumber ?? item.LatestVersionNumber;
        item.UnpublishAtUtc = unpublishAtUtc?.ToUniversalTime();
        item.Revision++;
        item.UpdatedUtc = Now;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Applies every schedule that is due now; returns how many items changed.</summary>
    public async Task<int> ApplySchedulesAsync(CancellationToken cancellationToken = default)
    {
        var now = Now;
        var due = await db.ContentItems
            .Where(item => (item.PublishAtUtc != null && item.PublishAtUtc <= now) ||
                           (item.UnpublishAtUtc != null && item.UnpublishAtUtc <= now))
            .ToListAsync(cancellationToken);
        foreach (var item in due)
        {
            if (item.PublishAtUtc <= now)
            {
                // The version that was scheduled, not the newest: a draft saved since stays a draft.
                var number = item.ScheduledVersionNumber ?? item.LatestVersionNumber;
                var version = await db.ContentVersions.SingleAsync(v => v.ItemId == item.Id && v.Number == number, cancellationToken);
                await PublishVersionAsync(item, version, cancellationToken);
                item.PublishAtUtc = null;
                item.ScheduledVersionNumber = null;
            }

            if (item.UnpublishAtUtc <= now)
            {
                Unpublish(item);
                item.UnpublishAtUtc = null;
            }
        }

        if (due.Count > 0)
        {
            await SaveWithEventsAsync(cancellationToken);
            await ChangedAsync(due.Select(item => item.Id).ToList(), cancellationToken);
        }

        return due.Count;
    }

    /// <summary>Makes an old version the newest draft again; publishing is a separate step.</summary>
    public async Task<ContentDraft> RollbackAsync(Guid key, int versionNumber, string author,
        int? expectedRevision = null, CancellationToken cancellationToken = default)
    {
        var old = await db.ContentVersions.AsNoTracking()
                      .SingleOrDefaultAsync(v => v.ItemId == key && v.Number == versionNumber, cancellationToken)
                  ?? throw new ContentNotFoundException(key);
        var item = await FindAsync(key, cancellationToken);
        var document = DocumentTypeRegistry.Deserialize(item.ContentType, old.Json);
        return await SaveDraftAsync(key, document, old.Slug, author, expectedRevision ?? item.Revision, cancellationToken);
    }

    public async Task<ContentDraft?> GetDraftAsync(Guid key, CancellationToken cancellationToken = default)
    {
        var item = await db.ContentItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == key && i.TrashedUtc == null, cancellationToken);
        if (item is null)
        {
            return null;
        }

        var json = await db.ContentVersions.AsNoTracking()
            .Where(v => v.ItemId == key && v.Number == item.LatestVersionNumber)
            .Select(v => v.Json)
            .SingleAsync(cancellationToken);
        return ToDraft(item, DocumentTypeRegistry.Deserialize(item.ContentType, json));
    }

    /// <summary>An item's row as the lists show it (translated to SQL: only the columns it names are read).</summary>
    private static readonly System.Linq.Expressions.Expression<Func<ContentItem, ContentSummary>> Summary = item => new ContentSummary(
        item.Id, item.ContentType, item.Slug, item.Name, item.SortOrder,
        item.PublishedVersionNumber != null, item.PublishedVersionNumber != item.LatestVersionNumber,
        item.UpdatedUtc, item.UpdatedBy, item.PublishAtUtc, item.UnpublishAtUtc);

    /// <summary>Every item of a type, in sort order, published or not.</summary>
    public async Task<IReadOnlyList<ContentSummary>> ListAsync(string contentType, CancellationToken cancellationToken = default) =>
        await db.ContentItems.AsNoTracking()
            .Where(item => item.ContentType == contentType && item.TrashedUtc == null)
            .OrderBy(item => item.SortOrder).ThenBy(item => item.Name)
            .Select(Summary)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// The backoffice search: items of any type (drafts too, not the recycle bin) whose name or slug holds the term,
    /// case-insensitively; most recently changed first.
    /// </summary>
    public async Task<IReadOnlyList<ContentSummary>> SearchAsync(string term, int limit, CancellationToken cancellationToken = default)
    {
        var lower = term.ToLowerInvariant();
        return await db.ContentItems.AsNoTracking()
            .Where(item => item.TrashedUtc == null && (item.Name.ToLower().Contains(lower) || item.Slug.ToLower().Contains(lower)))
            .OrderByDescending(item => item.UpdatedUtc).ThenBy(item => item.Id)
            .Take(limit)
            .Select(Summary)
            .ToListAsync(cancellationToken);
    }

    /// <summary>An item's row (no document), by type and slug; null when there is none.</summary>
    public Task<ContentItem?> FindItemAsync(string contentType, string slug, CancellationToken cancellationToken = default) =>
        db.ContentItems.AsNoTracking().SingleOrDefaultAsync(item => item.ContentType == contentType && item.Slug == slug && item.TrashedUtc == null, cancellationToken);

    /// <summary>An item's row (no document), by key if it is of the type; null when there is none.</summary>
    public Task<ContentItem?> FindItemAsync(Guid key, string contentType, CancellationToken cancellationToken = default) =>
        db.ContentItems.AsNoTracking().SingleOrDefaultAsync(item => item.Id == key && item.ContentType == contentType && item.TrashedUtc == null, cancellationToken);

    /// <summary>Whether any item exists (<paramref name="key"/> null), or the item with that key.</summary>
    public Task<bool> ExistsAsync(Guid? key = null, CancellationToken cancellationToken = default) =>
        key is { } id ? db.ContentItems.AnyAsync(item => item.Id == id, cancellationToken) : db.ContentItems.AnyAsync(cancellationToken);

    /// <summary>The rows (no documents) of every item with a publish or unpublish time set.</summary>
    public async Task<IReadOnlyList<ContentItem>> ScheduledAsync(CancellationToken cancellationToken = default) =>
        await db.ContentItems.AsNoTracking()
            .Where(item => item.PublishAtUtc != null || item.UnpublishAtUtc != null)
            .ToListAsync(cancellationToken);

    /// <summary>The documents in use: each item's latest draft and, when it differs, its published version, as JSON.</summary>
    public async Task<IReadOnlyList<CurrentVersion>> CurrentVersionsAsync(CancellationToken cancellationToken = default) =>
        await db.ContentVersions.AsNoTracking()
            .Where(version => version.Item!.LatestVersionNumber == version.Number || version.Item.PublishedVersionNumber == version.Number)
            .Select(version => new CurrentVersion(version.ItemId, version.Item!.Name, version.Item.ContentType,
                version.Item.PublishedVersionNumber == version.Number, version.Json))
            .ToListAsync(cancellationToken);

    public async Task<IDocument> GetVersionDocumentAsync(Guid key, int versionNumber, CancellationToken cancellationToken = default)
    {
        var row = await db.ContentVersions.AsNoTracking()
                      .Where(v => v.ItemId == key && v.Number == versionNumber)
                      .Select(v => new { v.Item!.ContentType, v.Json })
                      .SingleOrDefaultAsync(cancellationToken)
                  ?? throw new ContentNotFoundException(key);
        return DocumentTypeRegistry.Deserialize(row.ContentType, row.Json);
    }

    public async Task<IReadOnlyList<ContentVersionInfo>> GetHistoryAsync(Guid key, CancellationToken cancellationToken = default)
    {
        var item = await db.ContentItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == key, cancellationToken)
                   ?? throw new ContentNotFoundException(key);
        var versions = await db.ContentVersions.AsNoTracking()
            .Where(v => v.ItemId == key)
            .OrderByDescending(v => v.Number)
            .Select(v => new { v.Number, v.Slug, v.Name, v.CreatedUtc, v.CreatedBy })
            .ToListAsync(cancellationToken);
        return versions
            .Select(v => new ContentVersionInfo(v.Number, v.Slug, v.Name, v.CreatedUtc, v.CreatedBy, v.Number == item.PublishedVersionNumber))
            .ToList();
    }

    /// <summary>Puts the items of one type in the given order.</summary>
    public async Task ReorderAsync(string contentType, IReadOnlyList<Guid> keysInOrder, CancellationToken cancellationToken = default)
    {
        var items = await db.ContentItems.Where(item => item.ContentType == contentType).ToListAsync(cancellationToken);
        var position = keysInOrder.Select((key, index) => (key, index)).ToDictionary(pair => pair.key, pair => pair.index);
        foreach (var item in items)
        {
            item.SortOrder = position.TryGetValue(item.Id, out var index) ? index : keysInOrder.Count + item.SortOrder;
            item.Revision++;
        }

        await db.SaveChangesAsync(cancellationToken);
        await cache.InvalidateAsync(cancellationToken);
    }

    /// <summary>
    /// Deleting, as editors see it: the item goes to the recycle bin. It is unpublished (off the site, the sitemap, the
    /// caches and the search index) and its schedule is cleared, but its versions, redirects and slug stay, so that
    /// <see cref="RestoreAsync"/> gives it back whole. Allowed for an expert with bookings too: the bookings keep
    /// their expert's row; only <see cref="DeletePermanentlyAsync"/> is refused for them.
    /// </summary>
    public async Task MoveToRecycleBinAsync(Guid key, string author, CancellationToken cancellationToken = default)
    {
        var item = await FindAsync(key, cancellationToken);
        Unpublish(item);
        item.PublishAtUtc = null;
        item.ScheduledVersionNumber = null;
        item.UnpublishAtUtc = null;
        item.TrashedUtc = Now;
        item.TrashedBy = Truncate(author);
        item.UpdatedBy = Truncate(author);
        await SaveWithEventsAsync(cancellationToken);
        await ChangedAsync(key, cancellationToken);
    }

    /// <summary>What is in the recycle bin, most recently binned first.</summary>
    public async Task<IReadOnlyList<BinnedContent>> ListRecycleBinAsync(CancellationToken cancellationToken = default) =>
        (await db.ContentItems.AsNoTracking()
            .Where(item => item.TrashedUtc != null)
            .Select(item => new BinnedContent(item.Id, item.ContentType, item.Slug, item.Name, item.LatestVersionNumber, item.TrashedUtc!.Value, item.TrashedBy ?? ""))
            .ToListAsync(cancellationToken))
        .OrderByDescending(item => item.TrashedUtc).ThenBy(item => item.Name, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Takes an item out of the recycle bin as an unpublished draft, with every version and redirect it had. Not
    /// republished: what it said may be out of date by now, and going live again is a publisher's deliberate step
    /// (its published version is one click away in the history).
    /// </summary>
    public async Task<ContentDraft> RestoreAsync(Guid key, string author, CancellationToken cancellationToken = default)
    {
        var item = await db.ContentItems.SingleOrDefaultAsync(i => i.Id == key && i.TrashedUtc != null, cancellationToken)
                   ?? throw new ContentNotFoundException(key);
        item.TrashedUtc = null;
        item.TrashedBy = null;
        item.UpdatedUtc = Now;
        item.UpdatedBy = Truncate(author);
        item.Revision++;
        // Its sort order is kept: it comes back to its old place (ties with items reordered since go by name).
        await db.SaveChangesAsync(cancellationToken);
        await ChangedAsync(key, cancellationToken);
        return (await GetDraftAsync(key, cancellationToken))!;
    }

    /// <summary>
    /// Deletes a binned item for good: every version and redirect. Refused with <see cref="ContentInUseException"/> while
    /// another record restricts it (an expert's bookings); the item then stays in the bin, unchanged.
    /// </summary>
    public async Task DeletePermanentlyAsync(Guid key, CancellationToken cancellationToken = default)
    {
        var item = await db.ContentItems.SingleOrDefaultAsync(i => i.Id == key && i.TrashedUtc != null, cancellationToken)
                   ?? throw new ContentNotFoundException(key);
        db.ContentItems.Remove(item);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsForeignKeyViolation(exception))
        {
            // Bookings keep their expert (a restricting foreign key): the database says no, the editor gets told why.
            db.ChangeTracker.Clear();
            throw new ContentInUseException(key);
        }

        await ChangedAsync(key, cancellationToken);
    }

    /// <summary>Tells the published cache (and whoever else listens) that an item changed.</summary>
    private Task ChangedAsync(Guid key, CancellationToken cancellationToken) => ChangedAsync([key], cancellationToken);

    private async Task ChangedAsync(IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        await cache.InvalidateAsync(cancellationToken);
        foreach (var listener in listeners)
        {
            await listener.ContentChangedAsync(keys, cancellationToken);
        }
    }

    private async Task PublishVersionAsync(ContentItem item, ContentVersion version, CancellationToken cancellationToken)
    {
        var type = DocumentTypeRegistry.Get(item.ContentType);
        var oldUrl = item.PublishedSlug is null ? null : type.UrlFor(item.PublishedSlug);
        var newUrl = type.UrlFor(version.Slug);

        _events.Add(WebhookEvent.Content(WebhookEventTypes.ContentPublished, Now, item.Id, item.ContentType, version.Name, newUrl, version.Number));
        item.PublishedVersionNumber = version.Number;
        item.PublishedSlug = version.Slug;
        item.PublishedUtc = Now;
        item.UpdatedUtc = Now;
        item.Revision++;

        if (newUrl is null)
        {
            return;
        }

        // The new URL must not itself redirect anywhere any more. Tracked, not ExecuteDelete: the removal commits with
        // the publish in one SaveChanges, so a publish refused for a concurrent change leaves the redirect as it was.
        db.ContentRedirects.RemoveRange(await db.ContentRedirects.Where(r => r.FromPath == newUrl).ToListAsync(cancellationToken));
        if (oldUrl is not null && oldUrl != newUrl)
        {
            // Point older redirects straight at the new URL (no chains), then add the one for the old URL.
            var chained = await db.ContentRedirects.Where(r => r.ToPath == oldUrl).ToListAsync(cancellationToken);
            foreach (var redirect in chained)
            {
                redirect.ToPath = newUrl;
            }

            db.ContentRedirects.Add(new ContentRedirect { FromPath = oldUrl, ToPath = newUrl, ItemId = item.Id, CreatedUtc = Now });
        }
    }

    private void Unpublish(ContentItem item)
    {
        if (item.PublishedSlug is { } slug)
        {
            // Only what was on the site goes off it; the route is the one it had.
            _events.Add(WebhookEvent.Content(WebhookEventTypes.ContentUnpublished, Now, item.Id, item.ContentType, item.Name,
                DocumentTypeRegistry.Get(item.ContentType).UrlFor(slug), version: null));
        }

        item.PublishedVersionNumber = null;
        item.PublishedSlug = null;
        item.PublishedUtc = null;
        item.UpdatedUtc = Now;
        item.Revision++;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Saves the change with a delivery of each of its webhook events (<see cref="WebhookOutbox"/>), in one transaction.</summary>
    private async Task SaveWithEventsAsync(CancellationToken cancellationToken)
    {
        var events = _events.ToList();
        _events.Clear();
        foreach (var webhookEvent in events)
        {
            await WebhookOutbox.StageAsync(db, webhookEvent, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (events.Count > 0)
        {
            webhooks.Wake();
        }
    }

    private static ContentVersion NewVersion(ContentItem item, int number, IDocument document, string slug, string author, DateTime now) => new()
    {
        ItemId = item.Id,
        Number = number,
        Slug = slug,
        Name = Truncate(document.DisplayName),
        Json = DocumentTypeRegistry.Serialize(document),
        CreatedUtc = now,
        CreatedBy = Truncate(author),
    };

    private async Task<ContentItem> FindAsync(Guid key, CancellationToken cancellationToken) =>
        await db.ContentItems.SingleOrDefaultAsync(item => item.Id == key && item.TrashedUtc == null, cancellationToken) ?? throw new ContentNotFoundException(key);

    private static void EnsureSameType(ContentItem item, IDocument document)
    {
        if (DocumentTypeRegistry.Of(document).Alias != item.ContentType)
        {
            throw new DocumentValidationException(new Dictionary<string, string[]>
            {
                [""] = [$"This item is a {item.ContentType}, not a {DocumentTypeRegistry.Of(document).Alias}."],
            });
        }
    }

    private static void EnsureRevision(ContentItem item, int? expectedRevision)
    {
        if (expectedRevision is not null && expectedRevision != item.Revision)
        {
            throw new ContentConcurrencyException(item.Id, expectedRevision.Value, item.Revision);
        }
    }

    private void EnsureValid(DocumentTypeInfo type, IDocument document, string slug)
    {
        var errors = DocumentValidator.Validate(document).ToDictionary();
        if (Slugs.Problem(type, slug) is { } problem)
        {
            errors["Slug"] = [problem];
        }
        else if (type.SlugIsPath && pagePaths.Problem(slug) is { } taken)
        {
            errors["Slug"] = [taken];
        }

        if (errors.Count > 0)
        {
            throw new DocumentValidationException(errors);
        }
    }

    private async Task EnsureSlugFreeAsync(string contentType, string slug, Guid? exceptKey, CancellationToken cancellationToken)
    {
        var holder = await db.ContentItems.AsNoTracking()
            .Where(item => item.ContentType == contentType && item.Slug == slug && item.Id != exceptKey)
            .Select(item => new { Binned = item.TrashedUtc != null })
            .FirstOrDefaultAsync(cancellationToken);
        if (holder is not null)
        {
            throw new SlugConflictException(contentType, slug, holder.Binned);
        }
    }

    private async Task<int> NextSortOrderAsync(string contentType, CancellationToken cancellationToken) =>
        (await db.ContentItems.Where(item => item.ContentType == contentType).MaxAsync(item => (int?)item.SortOrder, cancellationToken) ?? -1) + 1;

    /// <summary>Saves; a unique-index violation that slipped past the check (a race) becomes a slug conflict.</summary>
    private async Task SaveAsync(string contentType, string slug, Guid key, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw;
        }
        catch (DbUpdateException)
        {
            if (await db.ContentItems.AsNoTracking().AnyAsync(item => item.ContentType == contentType && item.Slug == slug && item.Id != key, cancellationToken))
            {
                throw new SlugConflictException(contentType, slug);
            }

            throw;
        }
    }

    private static ContentDraft ToDraft(ContentItem item, IDocument document) => new(
        item.Id, item.ContentType, item.Slug, item.PublishedSlug, item.SortOrder, item.Revision, item.LatestVersionNumber,
        item.PublishedVersionNumber, item.PublishAtUtc, item.UnpublishAtUtc, item.UpdatedUtc, document, item.ScheduledVersionNumber);

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];
}
