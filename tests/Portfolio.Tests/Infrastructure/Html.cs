using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Portfolio.Tests.Infrastructure;

/// <summary>Parses pages the way a browser would, so tests assert on elements, not on strings.</summary>
public static class Html
{
    private static readonly HtmlParser Parser = new();

    public static IDocument Parse(string html) => Parser.ParseDocument(html);

    public static async Task<IDocument> GetDocumentAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}.");
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static string? Meta(this IDocument document, string name) =>
        document.QuerySelector($"meta[name='{name}']")?.GetAttribute("content") ??
        document.QuerySelector($"meta[property='{name}']")?.GetAttribute("content");

    /// <summary>The JSON-LD objects of the page, with their @type.</summary>
    public static IEnumerable<System.Text.Json.JsonElement> JsonLd(this IDocument document) =>
        document.QuerySelectorAll("script[type='application/ld+json']")
            .Select(script => System.Text.Json.JsonDocument.Parse(script.TextContent).RootElement);
}
