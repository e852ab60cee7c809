using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portfolio.Web.Content;

/// <summary>
/// A general page at any path an editor chooses (<c>/about</c>, <c>/legal/privacy-notice</c>), built from blocks. Its
/// slug is the path without the leading slash; paths that belong to the app itself are refused (<see cref="PagePaths"/>).
/// </summary>
[DocumentType("page", RouteTemplate = "/{slug}", SlugIsPath = true)]
public sealed record ContentPage : IDocument
{
    [Required, StringLength(160)] public string Title { get; init; } = "";
    [Display(Name = "Introduction", Description = "The paragraph under the title.")]
    [StringLength(1500)] public string Intro { get; init; } = "";
    [StringLength(300)] public string MetaDescription { get; init; } = "";
    public List<Block> Blocks { get; init; } = [];
    [JsonIgnore] public string DisplayName => Title;
}

/// <summary>A client engagement at <c>/case-studies/{slug}</c>, linked from the experts and services involved.</summary>
[DocumentType("caseStudy", RouteTemplate = "/case-studies/{slug}")]
public sealed record CaseStudy : IDocument
{
    [Display(GroupName = "Story")]
    [Required, StringLength(160)] public string Title { get; init; } = "";
    [Required, StringLength(120)] public string Client { get; init; } = "";
    [StringLength(120)] public string Sector { get; init; } = "";
    /// <summary>The card's and the page's opening sentence.</summary>
    [Required, StringLength(500)] public string Summary { get; init; } = "";
    [Required, DataType(DocumentDataTypes.Markdown), StringLength(10000)] public string Challenge { get; init; } = "";
    [Required, DataType(DocumentDataTypes.Markdown), StringLength(10000)] public string Approach { get; init; } = "";
    [Display(Name = "Outcome figures", GroupName = "Outcomes and quote")]
    public List<Stat> Outcomes { get; init; } = [];
    [StringLength(1500)] public string Quote { get; init; } = "";
    [Display(Name = "Quote: who said it")]
    [StringLength(120)] public string QuoteAuthor { get; init; } = "";
    [Display(Name = "Quote: their role")]
    [StringLength(160)] public string QuoteRole { get; init; } = "";
    [Display(Name = "Experts involved", Description = "Slugs of the experts who worked on it (e.g. talha); their profiles link here.", GroupName = "Links and search")]
    public List<string> Experts { get; init; } = [];
    [Display(Name = "Services used", Description = "Slugs of the services it used (e.g. system-architecture); their pages link here.")]
    public List<string> Services { get; init; } = [];
    [StringLength(300)] public string MetaDescription { get; init; } = "";
    [JsonIgnore] public string DisplayName => Title;
}
