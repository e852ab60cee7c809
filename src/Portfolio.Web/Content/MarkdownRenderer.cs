using System.Collections.Concurrent;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Markdig;
using Microsoft.AspNetCore.Html;

namespace Portfolio.Web.Content;

/// <summary>
/// Renders editors' Markdown to safe HTML. Markdig runs with raw HTML disabled, then an allow-list pass
/// with AngleSharp (HtmlSanitizer is not served here) keeps only known elements and attributes and only
/// http(s), mailto and site-relative links. Results are memoised: the same text renders once.
/// </summary>
public sealed class MarkdownRenderer
{
    private static readonly HashSet<string> AllowedElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "span",
    };

    private static readonly Dictionary<string, HashSet<string>> AllowedAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["a"] = new(StringComparer.OrdinalIgnoreCase) { "href", "title" },
        ["img"] = new(StringComparer.OrdinalIgnoreCase) { "src", "alt", "title" },
        ["ol"] = new(StringComparer.OrdinalIgnoreCase) { "start" },
        ["th"] = new(StringComparer.OrdinalIgnoreCase) { "align" },
        ["td"] = new(StringComparer.OrdinalIgnoreCase) { "align" },
        ["code"] = new(StringComparer.OrdinalIgnoreCase) { "class" },
    };

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    private readonly HtmlParser _parser = new();
    private readonly ConcurrentDictionary<string, HtmlString> _rendered = new(StringComparer.Ordinal);

    public HtmlString Render(string markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return HtmlString.Empty;
        }

        if (_rendered.Count > 2000)
        {
            _rendered.Clear();
        }

        return _rendered.GetOrAdd(markdown, text => new HtmlString(Sanitize(Markdown.ToHtml(text, _pipeline))));
    }

    /// <summary>Plain text of the Markdown, e.g. for summaries and word counts.</summary>
    public string ToPlainText(string markdown) => Markdown.ToPlainText(markdown ?? "", _pipeline);

    /// <summary>Minutes to read at 220 words a minute, at least one.</summary>
    public int ReadingMinutes(string markdown)
    {
        var words = ToPlainText(markdown).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        return Math.Max(1, (int)Math.Round(words / 220.0, MidpointRounding.AwayFromZero));
    }

    internal string Sanitize(string html)
    {
        var document = _parser.ParseDocument("<body></body>");
        var body = document.Body!;
        body.InnerHtml = html;
        foreach (var element in body.QuerySelectorAll("*").ToList())
        {
            if (!AllowedElements.Contains(element.LocalName))
            {
                // Keep the text, drop the element.
                element.Replace([.. element.ChildNodes]);
                continue;
            }

            foreach (var attribute in element.Attributes.ToList())
            {
                var allowed = AllowedAttributes.TryGetValue(element.LocalName, out var names) && names.Contains(attribute.Name);
                if (!allowed || (attribute.Name is "href" or "src" && !IsSafeUrl(attribute.Value)))
                {
                    element.RemoveAttribute(attribute.Name);
                }
            }

            if (element.LocalName == "a" && element.GetAttribute("href") is { } href && href.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            {
                element.SetAttribute("rel", "noopener noreferrer");
            }
        }

        return body.InnerHtml;
    }

    private static bool IsSafeUrl(string url)
    {
        var trimmed = url.Trim();
        if (trimmed.StartsWith('/') && !trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            return true;
        }

        if (trimmed.StartsWith('#'))
        {
            return true;
        }

        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) &&
               (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeMailto);
    }
}
