using Portfolio.Web.Content;

namespace Portfolio.Web.Site;

/// <summary>
/// A backoffice preview of unpublished content: while a request carries one, public pages read
/// <see cref="Snapshot"/> (the published site with the draft in it) instead of the published cache, tell search
/// engines not to index the page and show a "Preview — not published" banner linking back to the editor.
/// Only the backoffice sets it (after its own authorization); public requests never do.
/// </summary>
public sealed record SitePreview(PublishedSnapshot Snapshot, string EditorUrl)
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, SitePreview preview) => context.Items[Key] = preview;

    public static SitePreview? Get(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? value as SitePreview : null;
}
