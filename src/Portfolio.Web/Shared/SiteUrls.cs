using Portfolio.Web.Content;

namespace Portfolio.Web.Shared;

public static class SiteUrls
{
    /// <summary>
    /// Absolute URL for a site path. The configured <see cref="SiteSettings.BaseUrl"/> wins, so canonical
    /// links do not depend on the Host header a client sent; without one, the request's scheme and host.
    /// </summary>
    public static string Absolute(HttpRequest request, SiteSettings settings, string path)
    {
        if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            return path;
        }

        var baseUrl = string.IsNullOrWhiteSpace(settings.BaseUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : settings.BaseUrl.TrimEnd('/');
        return baseUrl + (path.StartsWith('/') ? path : "/" + path);
    }
}
