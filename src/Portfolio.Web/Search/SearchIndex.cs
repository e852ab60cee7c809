using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Content;
using Portfolio.Web.Data;

namespace Portfolio.Web.Search;

/// <summary>
/// The public search index: one row per published document that has a page, in the database's own full-text index
/// (SQLite FTS5 with the Porter stemmer; PostgreSQL a tsvector of the English configuration with a GIN index; both made
/// by the AddSiteSearchIndex migrations). The only code that writes those tables. It follows the content: the content
/// service tells it what changed (<see cref="IContentChangeListener"/>) and it reads the item's current state, so a
/// draft, an unpublished or a binned item is never in it; <see cref="RebuildAsync"/> on start covers anything missed
/// (a crash between a publish's commit and the index update) and changes to what counts as searchable text.
/// </summary>
public sealed partial class SearchIndex(PortfolioDbContext db, MarkdownRenderer markdown, ILogger<SearchIndex> logger) : IContentChangeListener
{
    public async Task ContentChangedAsync(IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            try
            {
                var entry = (await PublishedAsync(key, cancellationToken)).SingleOrDefault();
                // A publish may run inside the caller's transaction (the availability editor's): the index row then
                // commits with it.
                await db.ExecuteAtomicallyOrInTransactionAsync(entry is null ? [Delete(key)] : [Delete(key), Insert(entry)], cancellationToken);
            }
            catch (Exception exception) when (exception is DbUpdateException or System.Data.Common.DbException)
            {
                // The content change is committed already: the editor's publish succeeded and must not read as a failure.
                // Search results are also checked against the published snapshot, and the next start rebuilds the index.
                LogIndexUpdateFailed(logger, exception, key);
            }
        }
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Error, Message = "Search index not updated for content item {Key}; it is rebuilt on the next start")]
    private static partial void LogIndexUpdateFailed(ILogger logger, Exception exception, Guid key);

    /// <summary>Empties the index and fills it again from the published content, in one transaction.</summary>
    public async Task<int> RebuildAsync(CancellationToken cancellationToken = default)
    {
        var entries = await PublishedAsync(null, cancellationToken);
        List<FormattableString> statements = [$"DELETE FROM \"SearchEntries\""];
        statements.AddRange(entries.Select(Insert));
        await db.ExecuteAtomicallyAsync(statements, cancellationToken);
        return entries.Count;
    }

    private sealed record Entry(Guid Key, string ContentType, string Url, SearchableDocument Text);

    /// <summary>The published, unbinned items with a public page (one, or all when <paramref name="key"/> is null).</summary>
    private async Task<List<Entry>> PublishedAsync(Guid? key, CancellationToken cancellationToken)
    {
        var rows = await db.ContentVersions.AsNoTracking()
            .Where(version => version.Item!.PublishedVersionNumber == version.Number && version.Item.TrashedUtc == null)
            .Where(version => key == null || version.ItemId == key)
            .Select(version => new { version.ItemId, version.Item!.ContentType, version.Slug, version.Json })
            .ToListAsync(cancellationToken);
        return rows
            .Where(row => DocumentTypeRegistry.ByAlias.ContainsKey(row.ContentType))
            .Select(row => (row, url: DocumentTypeRegistry.Get(row.ContentType).UrlFor(row.Slug)))
            .Where(pair => pair.url is not null)
            .Select(pair => new Entry(pair.row.ItemId, pair.row.ContentType, pair.url!,
                SearchableText.Of(DocumentTypeRegistry.Deserialize(pair.row.ContentType, pair.row.Json), markdown)))
            .ToList();
    }

    // SQLite's FTS5 table has no types and no keys: the item's key is stored as text in one spelling, the one Delete uses.
    private FormattableString Delete(Guid key) => db.Database.IsNpgsql()
        ? (FormattableString)$"DELETE FROM \"SearchEntries\" WHERE \"ItemId\" = {key}"
        : (FormattableString)$"DELETE FROM \"SearchEntries\" WHERE \"ItemId\" = {key.ToString("D")}";

    private FormattableString Insert(Entry entry) => db.Database.IsNpgsql()
        ? (FormattableString)$"INSERT INTO \"SearchEntries\" (\"ItemId\", \"ContentType\", \"Url\", \"Title\", \"Body\") VALUES ({entry.Key}, {entry.ContentType}, {entry.Url}, {entry.Text.Title}, {entry.Text.Body}) ON CONFLICT (\"ItemId\") DO UPDATE SET \"ContentType\" = excluded.\"ContentType\", \"Url\" = excluded.\"Url\", \"Title\" = excluded.\"Title\", \"Body\" = excluded.\"Body\""
        : (FormattableString)$"INSERT INTO \"SearchEntries\" (\"ItemId\", \"ContentType\", \"Url\", \"Title\", \"Body\") VALUES ({entry.Key.ToString("D")}, {entry.ContentType}, {entry.Url}, {entry.Text.Title}, {entry.Text.Body})";
}
