using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Content;
using Portfolio.Web.Data;

namespace Portfolio.Web.Search;

/// <summary>One result: the page, its title and an excerpt as safe HTML (the text escaped, then the matches marked).</summary>
public sealed record SearchHit(Guid Key, string ContentType, string Url, string TitleHtml, string ExcerptHtml);

public sealed record SearchResults(string Query, string? Type, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, int> CountsByType, TimeSpan Elapsed)
{
    public static SearchResults Empty(string query, string? type) => new(query, type, [], new Dictionary<string, int>(), TimeSpan.Zero);

    public int Total => CountsByType.Values.Sum();
}

/// <summary>
/// Searches the public index (<see cref="SearchIndex"/>) with the database's own full-text search: stemmed words all
/// of which must occur, ranked with the title weighing more than the text (FTS5's bm25; PostgreSQL's ts_rank_cd with the
/// title as weight A), an excerpt around the matches, optionally one type only. Hits are checked against the published
/// snapshot too, so an index a moment behind never shows a page that is gone.
/// </summary>
public sealed partial class SiteSearch(PortfolioDbContext db, PublishedContentCache cache)
{
    public const int MaxResults = 30;
    private const int MaxTerms = 8;

    /// <summary>The words of a query: letters and digits only, so nothing a visitor types is query syntax.</summary>
    public static IReadOnlyList<string> Terms(string? query) =>
        query is null ? [] : Word().Matches(query).Select(match => match.Value.ToLowerInvariant()).Where(term => term.Length <= 64).Distinct().Take(MaxTerms).ToList();

    public async Task<SearchResults> SearchAsync(string? query, string? type, CancellationToken cancellationToken = default)
    {
        var terms = Terms(query);
        var shown = (query ?? "").Trim();
        if (terms.Count == 0)
        {
            return SearchResults.Empty(shown, type);
        }

        var started = Stopwatch.GetTimestamp();
        var published = await cache.GetAsync(cancellationToken);
        var live = published.All.Select(item => item.Key).ToHashSet();
        List<(Guid Key, string Type, string Url, string Title, string Excerpt)> rows;
        List<(string Type, int Count)> counts;
        if (db.Database.IsNpgsql())
        {
            var text = string.Join(' ', terms);
            const string options = "StartSel=\u27E6, StopSel=\u27E7, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"";
            rows = await db.QueryRowsAsync($"""
                SELECT "ItemId", "ContentType", "Url",
                       ts_headline('english', "Title", q, 'HighlightAll=true, StartSel=⟦, StopSel=⟧'),
                       ts_headline('english', "Body", q, {options})
                FROM "SearchEntries", plainto_tsquery('english', {text}) AS q
                WHERE "Document" @@ q AND ({type ?? ""} = '' OR "ContentType" = {type ?? ""})
                ORDER BY ts_rank_cd("Document", q) DESC, "Title"
                LIMIT {MaxResults}
                """, reader => (reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)), cancellationToken);
            counts = await db.QueryRowsAsync($"""
                SELECT "ContentType", count(*)::int FROM "SearchEntries", plainto_tsquery('english', {text}) AS q
                WHERE "Document" @@ q GROUP BY "ContentType"
                """, reader => (reader.GetString(0), reader.GetInt32(1)), cancellationToken);
        }
        else
        {
            // Each word quoted: FTS5 stems it (porter) and reads nothing in it as syntax; words side by side must all match.
            var match = string.Join(' ', terms.Select(term => $"\"{term}\""));
            rows = await db.QueryRowsAsync($"""
                SELECT "ItemId", "ContentType", "Url",
                       highlight("SearchEntries", 3, '⟦', '⟧'),
                       snippet("SearchEntries", 4, '⟦', '⟧', '…', 28)
                FROM "SearchEntries"
                WHERE "SearchEntries" MATCH {match} AND ({type ?? ""} = '' OR "ContentType" = {type ?? ""})
                ORDER BY bm25("SearchEntries", 0, 0, 0, 10.0, 1.0), "Title"
                LIMIT {MaxResults}
                """, reader => (Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)), cancellationToken);
            counts = await db.QueryRowsAsync($"""
                SELECT "ContentType", count(*) FROM "SearchEntries" WHERE "SearchEntries" MATCH {match} GROUP BY "ContentType"
                """, reader => (reader.GetString(0), reader.GetInt32(1)), cancellationToken);
        }

        var hits = rows.Where(row => live.Contains(row.Key))
            .Select(row => new SearchHit(row.Key, row.Type, row.Url, MarkedHtml(row.Title), MarkedHtml(row.Excerpt)))
            .ToList();
        return new SearchResults(shown, type, hits, counts.ToDictionary(pair => pair.Type, pair => pair.Count), Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The database's excerpt as HTML: every piece of text HTML-escaped first, then the database's marks (which the index
    /// never holds, see <see cref="SearchableText.Clean"/>) turned into <c>&lt;mark&gt;</c>, always closed.
    /// </summary>
    public static string MarkedHtml(string marked)
    {
        var html = new StringBuilder(marked.Length + 32);
        var open = false;
        var start = 0;
        for (var i = 0; i <= marked.Length; i++)
        {
            if (i < marked.Length && marked[i] is not (SearchableText.MarkStart or SearchableText.MarkEnd))
            {
                continue;
            }

            html.Append(HtmlEncoder.Default.Encode(marked[start..i]));
            if (i < marked.Length)
            {
                var opens = marked[i] == SearchableText.MarkStart;
                if (opens != open)
                {
                    html.Append(opens ? "<mark>" : "</mark>");
                    open = opens;
                }
            }

            start = i + 1;
        }

        return open ? html.Append("</mark>").ToString() : html.ToString();
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
