using Portfolio.Web.Content;

namespace Portfolio.Web.Site.Seo;

/// <summary>Schema.org objects for search engines (written by the layout as JSON-LD data blocks).</summary>
public static class JsonLd
{
    public static object Organization(SiteSettings settings, Func<string, string> absolute) => new Dictionary<string, object?>
    {
        ["@context"] = "https://schema.org",
        ["@type"] = "Organization",
        ["name"] = settings.SiteName,
        ["description"] = settings.OrganizationDescription,
        ["url"] = absolute("/"),
        ["email"] = NullIfEmpty(settings.ContactEmail),
        ["sameAs"] = settings.SocialLinks.Count == 0 ? null : settings.SocialLinks.Select(link => link.Url).ToArray(),
    };

    public static object Person(ExpertProfile expert, string url, SiteSettings settings, Func<string, string> absolute) => new Dictionary<string, object?>
    {
        ["@context"] = "https://schema.org",
        ["@type"] = "Person",
        ["name"] = expert.Name,
        ["jobTitle"] = expert.Role,
        ["description"] = expert.Summary,
        ["url"] = absolute(url),
        ["image"] = string.IsNullOrEmpty(expert.PhotoUrl) ? null : absolute(expert.PhotoUrl),
        ["knowsAbout"] = expert.Skills.ToArray(),
        ["worksFor"] = new Dictionary<string, object?> { ["@type"] = "Organization", ["name"] = NullIfEmpty(expert.Company) ?? settings.SiteName },
        ["alumniOf"] = expert.Education.Count == 0 ? null : expert.Education
            .Select(education => new Dictionary<string, object?> { ["@type"] = "EducationalOrganization", ["name"] = education.Institution })
            .ToArray(),
    };

    public static object Article(Article article, PublishedContent content, ExpertProfile? author, string? authorUrl,
        SiteSettings settings, Func<string, string> absolute) => new Dictionary<string, object?>
    {
        ["@context"] = "https://schema.org",
        ["@type"] = "Article",
        ["headline"] = article.Title,
        ["description"] = article.Summary,
        ["datePublished"] = article.PublishedOn.ToString("yyyy-MM-dd"),
        ["dateModified"] = content.UpdatedUtc.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["keywords"] = article.Tags.Count == 0 ? null : string.Join(", ", article.Tags),
        ["mainEntityOfPage"] = absolute(content.Url ?? "/"),
        ["author"] = author is null ? null : new Dictionary<string, object?>
        {
            ["@type"] = "Person",
            ["name"] = author.Name,
            ["url"] = authorUrl is null ? null : absolute(authorUrl),
        },
        ["publisher"] = new Dictionary<string, object?> { ["@type"] = "Organization", ["name"] = settings.SiteName },
    };

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
