using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Content;
using Portfolio.Web.Content.Editing;
using Portfolio.Web.Search;

namespace Portfolio.Web.Site.Pages;

/// <summary>
/// Site search at <c>/search?q=…&amp;type=…</c>: a GET form (works without a script, results have their own address),
/// results from <see cref="SiteSearch"/>, links to narrow them to one type. Not output-cached: every query would be a
/// cache entry. Not indexed by search engines (results pages are thin duplicates of the pages they list).
/// </summary>
public sealed class SearchModel(SiteSearch search) : SitePageModel
{
    public const int MaxQueryLength = 200;

    public SearchResults Results { get; private set; } = SearchResults.Empty("", null);

    public string Query { get; private set; } = "";

    /// <summary>The type filter, a known document type's alias, or null for all.</summary>
    public string? Type { get; private set; }

    public async Task OnGetAsync([FromQuery] string? q, [FromQuery] string? type, CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        Query = (q ?? "").Trim();
        Query = Query.Length <= MaxQueryLength ? Query : Query[..MaxQueryLength];
        Type = type is not null && DocumentTypeRegistry.ByAlias.ContainsKey(type) ? type : null;
        Results = await search.SearchAsync(Query, Type, cancellationToken);
        // The database's part of the answer, for the benchmark (tests/bench/search.sh) and a browser's network panel.
        Response.Headers["Server-Timing"] = FormattableString.Invariant($"search;dur={Results.Elapsed.TotalMilliseconds:0.0}");
        Describe(Query.Length == 0 ? "Search" : $"Search: {Query}", "Search the site's experts, services and articles.", "/search");
        Meta.NoIndex = true;
    }

    /// <summary>"Articles", "Experts" …: what the editors call a type in the plural.</summary>
    public static string Plural(string alias) =>
        DocumentTypeRegistry.ByAlias.TryGetValue(alias, out var info) ? ContentTypeGroups.Plural(info) : alias;

    public static string Singular(string alias)
    {
        var singular = DocumentTypeRegistry.ByAlias.TryGetValue(alias, out var info) ? ContentTypeGroups.Singular(info) : alias;
        return singular.Length == 0 ? singular : char.ToUpperInvariant(singular[0]) + singular[1..];
    }
}
