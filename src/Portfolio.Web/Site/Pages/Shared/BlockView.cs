using Portfolio.Web.Content;

namespace Portfolio.Web.Site.Pages.Shared;

/// <summary>What <c>_Block</c> renders: one block of a page, its position (for unique heading ids) and the published site.</summary>
public sealed record BlockView(Block Block, int Index, PublishedSnapshot Published)
{
    public string HeadingId => $"block-{Index + 1}-heading";
}
