namespace Portfolio.Web.Site;

/// <summary>
/// What the layout puts in a page's &lt;head&gt;: a unique title and description, the canonical URL,
/// OpenGraph tags and JSON-LD. Every public page model fills one in.
/// </summary>
public sealed class PageMeta
{
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>Site-relative path of the canonical URL, e.g. <c>/team/talha</c>.</summary>
    public string CanonicalPath { get; set; } = "/";
    /// <summary>OpenGraph type: <c>website</c>, <c>profile</c> or <c>article</c>.</summary>
    public string OpenGraphType { get; set; } = "website";
    /// <summary>Absolute or site-relative image for link previews; empty for none.</summary>
    public string ImageUrl { get; set; } = "";
    /// <summary>Tell search engines not to index this page (previews, error pages, forms' results).</summary>
    public bool NoIndex { get; set; }
    /// <summary>Schema.org objects written as <c>application/ld+json</c> data blocks.</summary>
    public List<object> JsonLd { get; } = [];
}
