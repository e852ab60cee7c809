using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Content;
using Portfolio.Web.Data;

namespace Portfolio.Web.Delivery;

/// <summary>One content item as the delivery API sees it: published, or a draft in preview.</summary>
public sealed record DeliveryItem(
    Guid Key, string ContentType, string Slug, string Name, string? Path, int SortOrder, int Version,
    DateTime CreatedUtc, DateTime UpdatedUtc, IDocument Document)
{
    /// <summary>How deep the item's route is: <c>/</c> is 0, <c>/about</c> 1, <c>/team/talha</c> 2; an item without a route is 0.</summary>
    public int Level => Path is null or "/" ? 0 : Path.Count(c => c == '/');
}

/// <summary>
/// The items a request may read, by key and by route, with the tree the routes make: the parent of
/// <c>/case-studies/acme</c> is <c>/case-studies</c>, of <c>/about</c> the home page <c>/</c>.
/// </summary>
public sealed class DeliveryIndex
{
    private readonly FrozenDictionary<Guid, DeliveryItem> _byKey;
    private readonly FrozenDictionary<string, DeliveryItem> _byPath;

    public DeliveryIndex(IEnumerable<DeliveryItem> items)
    {
        All = items.OrderBy(item => item.Level).ThenBy(item => item.Path ?? "\uffff", StringComparer.Ordinal)
            .ThenBy(item => item.ContentType, StringComparer.Ordinal).ThenBy(item => item.SortOrder).ToArray();
        _byKey = All.ToFrozenDictionary(item => item.Key);
        // Two items cannot share a route on the site (the page catch-all comes last): the first, as routing would pick, wins.
        _byPath = All.Where(item => item.Path is not null).GroupBy(item => item.Path!, StringComparer.Ordinal)
            .ToFrozenDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        Home = All.FirstOrDefault(item => item.ContentType == DocumentTypeRegistry.Of<HomePage>().Alias);
    }

    /// <summary>Every item, by level, then route, then type and sort order: the default order of a query.</summary>
    public IReadOnlyList<DeliveryItem> All { get; }

    /// <summary>The root of the routes (Umbraco's start item).</summary>
    public DeliveryItem? Home { get; }

    public DeliveryItem? Find(Guid key) => _byKey.GetValueOrDefault(key);

    /// <summary>The item at a route, with or without the leading and trailing slash Umbraco's clients write (<c>/about/</c>).</summary>
    public DeliveryItem? Find(string path) => _byPath.GetValueOrDefault(DeliveryRoutes.Normalize(path));

    /// <summary>An item by its type and slug (the references documents hold), or null when that item is not readable here.</summary>
    public DeliveryItem? FindBySlug(string contentType, string slug) =>
        All.FirstOrDefault(item => item.ContentType == contentType && string.Equals(item.Slug, slug, StringComparison.Ordinal));

    public IEnumerable<DeliveryItem> Children(DeliveryItem parent) =>
        parent.Path is null ? [] : All.Where(item => item.Path is not null && item.Path != "/" && DeliveryRoutes.ParentOf(item.Path) == parent.Path);

    public IEnumerable<DeliveryItem> Descendants(DeliveryItem ancestor) =>
        ancestor.Path is null ? [] : All.Where(item => item.Path is not null && item.Path != ancestor.Path
            && (ancestor.Path == "/" || item.Path.StartsWith(ancestor.Path + "/", StringComparison.Ordinal)));

    public IEnumerable<DeliveryItem> Ancestors(DeliveryItem item)
    {
        for (var path = item.Path is null ? null : DeliveryRoutes.ParentOf(item.Path); path is not null; path = DeliveryRoutes.ParentOf(path))
        {
            if (_byPath.GetValueOrDefault(path) is { } ancestor)
            {
                yield return ancestor;
            }
        }
    }
}

/// <summary>Where each document type is on the site, as the public pages answer it.</summary>
public static class DeliveryRoutes
{
    /// <summary>
    /// The public address of an item, or null for a type without a page of its own (the site settings). Types with a
    /// route template say it themselves; the others are the site's fixed pages (see <c>Site/Pages</c>).
    /// </summary>
    public static string? PathOf(string contentType, string slug)
    {
        if (DocumentTypeRegistry.Get(contentType).UrlFor(slug) is { } url)
        {
            return url;
        }

        return contentType switch
        {
            "homePage" => "/",
            // team, services, articles, case-studies: the listing's slug is its page's path.
            "listingPage" => "/" + slug,
            "engineeringPage" => "/engineering",
            "contactPage" => "/contact",
            _ => null,
        };
    }

    public static string Normalize(string path)
    {
        var trimmed = path.Trim('/');
        return "/" + trimmed;
    }

    /// <summary><c>/a/b</c> → <c>/a</c>, <c>/a</c> → <c>/</c>, <c>/</c> → null.</summary>
    public static string? ParentOf(string path)
    {
        if (path == "/")
        {
            return null;
        }

        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}

/// <summary>
/// Reads the published items from <see cref="PublishedContentCache"/>'s snapshot (built once per publish and shared
/// with the public pages), and drafts straight from the database for a preview.
/// </summary>
public sealed class DeliveryContentSource(PublishedContentCache cache, IServiceScopeFactory scopes)
{
    // One index per snapshot: a publish makes a new snapshot, and with it a new index; the old one goes with it.
    private readonly ConditionalWeakTable<PublishedSnapshot, DeliveryIndex> _indexes = new();

    public async Task<DeliveryIndex> PublishedAsync(CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(cancellationToken);
        if (_indexes.TryGetValue(snapshot, out var index))
        {
            return index;
        }

        // The snapshot holds no creation dates; one small query per publish adds them.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortfolioDbContext>();
        var created = await db.ContentItems.AsNoTracking().Where(item => item.PublishedVersionNumber != null)
            .Select(item => new { item.Id, item.CreatedUtc }).ToDictionaryAsync(item => item.Id, item => item.CreatedUtc, cancellationToken);
        index = new DeliveryIndex(snapshot.All.Select(content => new DeliveryItem(
            content.Key, content.ContentType, content.Slug, content.Document.DisplayName, DeliveryRoutes.PathOf(content.ContentType, content.Slug),
            content.SortOrder, content.VersionNumber, Utc(created.GetValueOrDefault(content.Key, content.PublishedUtc)), Utc(content.UpdatedUtc), content.Document)));
        return _indexes.GetValue(snapshot, _ => index);
    }

    /// <summary>The latest version of every item not in the recycle bin, published or not: what an editor would publish next.</summary>
    public async Task<DeliveryIndex> PreviewAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortfolioDbContext>();
        var rows = await db.ContentVersions.AsNoTracking()
            .Where(version => version.Item!.LatestVersionNumber == version.Number && version.Item.TrashedUtc == null)
            .Select(version => new
            {
                version.ItemId,
                version.Item!.ContentType,
                version.Slug,
                version.Item.SortOrder,
                version.Number,
                version.Item.CreatedUtc,
                version.Item.UpdatedUtc,
                version.Json,
            })
            .ToListAsync(cancellationToken);
        return new DeliveryIndex(rows.Where(row => DocumentTypeRegistry.ByAlias.ContainsKey(row.ContentType)).Select(row =>
        {
            var document = DocumentTypeRegistry.Deserialize(row.ContentType, row.Json);
            return new DeliveryItem(row.ItemId, row.ContentType, row.Slug, document.DisplayName, DeliveryRoutes.PathOf(row.ContentType, row.Slug),
                row.SortOrder, row.Number, Utc(row.CreatedUtc), Utc(row.UpdatedUtc), document);
        }));
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
