using System.Collections.Frozen;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Web.Content;

/// <summary>A published document with the facts pages need about it.</summary>
public sealed record PublishedContent(
    Guid Key, string ContentType, string Slug, int SortOrder, int VersionNumber, DateTime PublishedUtc, DateTime UpdatedUtc, IDocument Document)
{
    public string? Url => DocumentTypeRegistry.Get(ContentType).UrlFor(Slug);
}

/// <summary>Everything the public site may show, read once from the database and shared by all requests.</summary>
public sealed class PublishedSnapshot
{
    private readonly FrozenDictionary<string, PublishedContent> _bySlug;
    private readonly FrozenDictionary<string, PublishedContent[]> _byType;

    public PublishedSnapshot(IEnumerable<PublishedContent> items, IEnumerable<KeyValuePair<string, string>> redirects)
    {
        var all = items.OrderBy(item => item.SortOrder).ThenBy(item => item.Slug, StringComparer.Ordinal).ToArray();
        _bySlug = all.ToFrozenDictionary(item => item.ContentType + "/" + item.Slug, StringComparer.Ordinal);
        _byType = all.GroupBy(item => item.ContentType).ToFrozenDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);
        Redirects = redirects.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Old public path → current public path (301).</summary>
    public FrozenDictionary<string, string> Redirects { get; }

    public PublishedContent? Find<TDocument>(string slug) where TDocument : IDocument =>
        _bySlug.GetValueOrDefault(DocumentTypeRegistry.Of<TDocument>().Alias + "/" + slug);

    public TDocument? Get<TDocument>(string slug) where TDocument : class, IDocument => Find<TDocument>(slug)?.Document as TDocument;

    /// <summary>All published items of a type, in sort order.</summary>
    public IReadOnlyList<PublishedContent> List<TDocument>() where TDocument : IDocument =>
        _byType.GetValueOrDefault(DocumentTypeRegistry.Of<TDocument>().Alias) ?? [];

    /// <summary>The one published item of a singleton type, if any.</summary>
    public TDocument? Singleton<TDocument>() where TDocument : class, IDocument =>
        List<TDocument>() is [var first, ..] ? first.Document as TDocument : null;

    public IEnumerable<PublishedContent> All => _byType.Values.SelectMany(items => items);
}

/// <summary>
/// Public pages read published content only through this cache. Any change that can alter the public
/// site calls <see cref="InvalidateAsync"/>, which drops the snapshot and evicts rendered pages from the
/// output cache; the next request rebuilds the snapshot with one query. Other instances on the same PostgreSQL are told
/// (<see cref="ContentChangeBroadcast"/>) and do the same.
/// </summary>
public sealed class PublishedContentCache(IServiceScopeFactory scopes, IOutputCacheStore outputCache, ContentChangeBroadcast broadcast)
{
    /// <summary>Output-cache tag on every page that shows content.</summary>
    public const string OutputCacheTag = "content";

    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private volatile PublishedSnapshot? _snapshot;
    private long _generation;

    public async ValueTask<PublishedSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = _snapshot;
        if (snapshot is not null)
        {
            return snapshot;
        }

        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } built)
            {
                return built;
            }

            var generation = Interlocked.Read(ref _generation);
            snapshot = await LoadAsync(cancellationToken);
            // Keep it only if nothing was invalidated while loading; otherwise the next call reloads.
            if (generation == Interlocked.Read(ref _generation))
            {
                _snapshot = snapshot;
            }

            return snapshot;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    /// <summary>After a committed change: drops this instance's copies and tells the other instances to drop theirs.</summary>
    public async Task InvalidateAsync(CancellationToken cancellationToken = default)
    {
        await InvalidateLocalAsync(cancellationToken);
        await broadcast.SendAsync(cancellationToken);
    }

    /// <summary>Drops this instance's snapshot and cached pages only (another instance made the change).</summary>
    internal async Task InvalidateLocalAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _generation);
        _snapshot = null;
        await outputCache.EvictByTagAsync(OutputCacheTag, cancellationToken);
    }

    private async Task<PublishedSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortfolioDbContext>();
        var rows = await db.ContentVersions.AsNoTracking()
            .Where(version => version.Item!.PublishedVersionNumber == version.Number)
            .Select(version => new
            {
                version.ItemId,
                version.Item!.ContentType,
                version.Slug,
                version.Item.SortOrder,
                version.Number,
                version.Item.PublishedUtc,
                version.Item.UpdatedUtc,
                version.Json,
            })
            .ToListAsync(cancellationToken);
        // A binned item's redirects are kept for its restore but not served meanwhile: they would lead to a 404.
        var redirects = await db.ContentRedirects.AsNoTracking()
            .Where(redirect => redirect.ItemId == null || db.ContentItems.Any(item => item.Id == redirect.ItemId && item.TrashedUtc == null))
            .Select(redirect => new KeyValuePair<string, string>(redirect.FromPath, redirect.ToPath))
            .ToListAsync(cancellationToken);

        var items = rows
            .Where(row => DocumentTypeRegistry.ByAlias.ContainsKey(row.ContentType))
            .Select(row => new PublishedContent(row.ItemId, row.ContentType, row.Slug, row.SortOrder, row.Number,
                row.PublishedUtc ?? row.UpdatedUtc, row.UpdatedUtc, DocumentTypeRegistry.Deserialize(row.ContentType, row.Json)));
        return new PublishedSnapshot(items, redirects);
    }
}
