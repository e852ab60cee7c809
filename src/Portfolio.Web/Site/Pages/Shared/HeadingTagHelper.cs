using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Portfolio.Web.Site.Pages.Shared;

/// <summary>
/// <c>&lt;site-heading level="3"&gt;</c> renders <c>&lt;h3&gt;</c>. Cards appear under an h1 on listing pages
/// and under an h2 on the home page; the caller passes the level so headings never skip one.
/// </summary>
[HtmlTargetElement("site-heading")]
public sealed class HeadingTagHelper : TagHelper
{
    /// <summary>2 to 6; anything else is clamped.</summary>
    public int Level { get; set; } = 2;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.TagName = "h" + Math.Clamp(Level, 2, 6).ToString(System.Globalization.CultureInfo.InvariantCulture);
        output.TagMode = TagMode.StartTagAndEndTag;
    }
}
