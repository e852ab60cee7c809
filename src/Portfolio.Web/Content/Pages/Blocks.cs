using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

// Blocks live in the engine's namespace (not Content.Pages): the validator and the generic editor treat records of
// this namespace as nested values of a document, so errors come back per block field (Blocks[2].Heading).
namespace Portfolio.Web.Content;

/// <summary>
/// One block of a <see cref="ContentPage"/> (Umbraco's "block list" element types). Stored with a <c>$type</c>
/// discriminator so a list of blocks keeps each block's kind; an alias, once shipped, never changes.
/// A new kind: a record here, a <c>[JsonDerivedType]</c> line, an entry in <see cref="BlockTypes.All"/> and a case in
/// <c>Site/Pages/Shared/_Block.cshtml</c>; the backoffice editor needs nothing else.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = BlockTypes.Discriminator, UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(RichTextBlock), "richText")]
[JsonDerivedType(typeof(CallToActionBlock), "callToAction")]
[JsonDerivedType(typeof(QuoteBlock), "quote")]
[JsonDerivedType(typeof(FaqBlock), "faq")]
[JsonDerivedType(typeof(FeatureGridBlock), "featureGrid")]
[JsonDerivedType(typeof(FiguresBlock), "figures")]
[JsonDerivedType(typeof(CaseStudyTeaserBlock), "caseStudyTeaser")]
[JsonDerivedType(typeof(ExpertTeaserBlock), "expertTeaser")]
[JsonDerivedType(typeof(ImageBlock), "image")]
[JsonDerivedType(typeof(RetentionFiguresBlock), "retentionFigures")]
public abstract record Block;

/// <summary>Markdown text, rendered by the site's renderer (raw HTML is not allowed).</summary>
public sealed record RichTextBlock : Block
{
    [Required, DataType(DocumentDataTypes.Markdown), StringLength(20000)] public string Text { get; init; } = "";
}

/// <summary>A heading, a sentence and a button to a page of the site or another site.</summary>
public sealed record CallToActionBlock : Block, IValidatableObject
{
    [Required, StringLength(160)] public string Heading { get; init; } = "";
    [StringLength(1000)] public string Text { get; init; } = "";
    [Required, StringLength(60)] public string ButtonLabel { get; init; } = "";
    /// <summary>A path of this site (<c>/contact</c>) or a full https:// address.</summary>
    [Display(Name = "Button link", Description = "A path of this site, e.g. /contact, or a full address starting with https://.")]
    [Required, StringLength(500)] public string ButtonUrl { get; init; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ButtonUrl.Length > 0 && !BlockLinks.IsAllowed(ButtonUrl))
        {
            yield return new ValidationResult("Enter a path of this site starting with a single /, e.g. /contact, or a full address starting with https://.", [nameof(ButtonUrl)]);
        }
    }
}

/// <summary>A quotation or a client's testimonial.</summary>
public sealed record QuoteBlock : Block
{
    [Required, StringLength(1500)] public string Quote { get; init; } = "";
    [Display(Name = "Who said it")]
    [Required, StringLength(120)] public string Author { get; init; } = "";
    [Display(Name = "Their role and organisation")]
    [StringLength(160)] public string Role { get; init; } = "";
}

/// <summary>Questions and answers under an optional heading.</summary>
public sealed record FaqBlock : Block, IValidatableObject
{
    [StringLength(160)] public string Heading { get; init; } = "";
    public List<FaqEntry> Entries { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Entries.Count == 0)
        {
            yield return new ValidationResult("Add at least one question.", [nameof(Entries)]);
        }
    }
}

/// <summary>A grid of titled paragraphs: features, principles, competencies.</summary>
public sealed record FeatureGridBlock : Block, IValidatableObject
{
    [StringLength(160)] public string Heading { get; init; } = "";
    [StringLength(1500)] public string Intro { get; init; } = "";
    public List<Principle> Features { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Features.Count == 0)
        {
            yield return new ValidationResult("Add at least one feature.", [nameof(Features)]);
        }
    }
}

/// <summary>A band of headline figures, like the profile's stats.</summary>
public sealed record FiguresBlock : Block, IValidatableObject
{
    [StringLength(160)] public string Heading { get; init; } = "";
    public List<Stat> Figures { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Figures.Count == 0)
        {
            yield return new ValidationResult("Add at least one figure.", [nameof(Figures)]);
        }
    }
}

/// <summary>Cards of published case studies; none named shows them all.</summary>
public sealed record CaseStudyTeaserBlock : Block
{
    [StringLength(160)] public string Heading { get; init; } = "";
    [Display(Name = "Case studies", Description = "Slugs of the case studies to show, in order (e.g. payments-ledger-rebuild). Leave empty to show every published one.")]
    public List<string> CaseStudies { get; init; } = [];
}

/// <summary>Cards of experts from the roster; none named shows the whole roster.</summary>
public sealed record ExpertTeaserBlock : Block
{
    [StringLength(160)] public string Heading { get; init; } = "";
    [StringLength(1000)] public string Intro { get; init; } = "";
    [Display(Name = "Experts", Description = "Slugs of the experts to show, in order (e.g. talha). Leave empty to show the whole roster.")]
    public List<string> Experts { get; init; } = [];
}

/// <summary>
/// An uploaded image with a caption. The hook for the media work (SkiaSharp sizes, focal point, srcset): today the
/// image is shown as uploaded; <c>Site/Pages/Shared/_Block.cshtml</c>'s image case is the one place to give it
/// responsive sizes and dimensions.
/// </summary>
public sealed record ImageBlock : Block
{
    [Required, DataType(DataType.ImageUrl), StringLength(300)] public string ImageUrl { get; init; } = "";
    [Display(Name = "Text alternative", Description = "What the image shows, for people who cannot see it. Leave empty only for a purely decorative image.")]
    [StringLength(300)] public string Alt { get; init; } = "";
    [StringLength(500)] public string Caption { get; init; } = "";
}

/// <summary>
/// The retention periods the site really applies (the Retention settings and the log files' age), rendered live: a
/// privacy notice built from blocks cannot disagree with what the retention job deletes. The editor writes the words
/// around it; the figures are not content.
/// </summary>
public sealed record RetentionFiguresBlock : Block
{
    [StringLength(160)] public string Heading { get; init; } = "";
}

/// <summary>The kinds of block an editor can add, in the order the editor offers them.</summary>
public static class BlockTypes
{
    /// <summary>The JSON property (and the form field) that names a block's kind.</summary>
    public const string Discriminator = "$type";

    public sealed record Kind(string Alias, Type ClrType, string Label);

    public static IReadOnlyList<Kind> All { get; } =
    [
        new("richText", typeof(RichTextBlock), "Rich text"),
        new("callToAction", typeof(CallToActionBlock), "Call to action"),
        new("quote", typeof(QuoteBlock), "Quote or testimonial"),
        new("faq", typeof(FaqBlock), "FAQ"),
        new("featureGrid", typeof(FeatureGridBlock), "Feature grid"),
        new("figures", typeof(FiguresBlock), "Figures"),
        new("caseStudyTeaser", typeof(CaseStudyTeaserBlock), "Case-study teaser"),
        new("expertTeaser", typeof(ExpertTeaserBlock), "Expert teaser"),
        new("image", typeof(ImageBlock), "Image with caption"),
        new("retentionFigures", typeof(RetentionFiguresBlock), "Retention periods (live)"),
    ];

    public static Kind? ByAlias(string alias) => All.FirstOrDefault(kind => kind.Alias == alias);

    public static Kind Of(Block block) => All.First(kind => kind.ClrType == block.GetType());

    /// <summary>Whether <paramref name="type"/> is an abstract base whose items name their own kind (a list of blocks).</summary>
    public static bool IsPolymorphic(Type type) => type == typeof(Block);
}

/// <summary>Where a block's link may point: this site's paths, or https elsewhere (never javascript: or //host).</summary>
public static class BlockLinks
{
    public static bool IsAllowed(string url) =>
        (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
         && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0
            && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)));
}
