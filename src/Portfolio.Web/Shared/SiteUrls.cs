using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Portfolio.Web.Content;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Shared;

/// <summary>The <c>Site</c> configuration section: the address the public knows the site by.</summary>
public sealed class SiteOptions
{
    public const string SectionName = "Site";

    /// <summary>
    /// The site's public address, e.g. <c>https://www.example.com</c>: every link the site hands out (mails, calendar
    /// invitations, the booking API's manage URL, canonical and og:url, sitemap, feed, robots.txt) starts with it, and
    /// by default only its host is answered. It overrides the content's <see cref="SiteSettings.BaseUrl"/>. Required
    /// outside Development and Testing.
    /// </summary>
    [PublicUrl]
    public string? PublicUrl { get; set; }

    /// <summary>The configured URL without its trailing slash, or null when none is set.</summary>
    public string? Configured => PublicUrlAttribute.Parse(PublicUrl)?.AbsoluteUri.TrimEnd('/');
}

[OptionsValidator]
public sealed partial class SiteOptionsValidator : IValidateOptions<SiteOptions>;

/// <summary>Empty, or an absolute http(s) URL without user info, query or fragment (a path is allowed: a site under a prefix).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PublicUrlAttribute : ValidationAttribute
{
    public PublicUrlAttribute()
        : base("The field {0} must be the site's public address, an absolute http:// or https:// URL without query or fragment, such as https://www.example.com.")
    {
    }

    public override bool IsValid(object? value) => value is not string text || string.IsNullOrWhiteSpace(text) || Parse(text) is not null;

    internal static Uri? Parse(string? value) =>
        !string.IsNullOrWhiteSpace(value) && Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) &&
        url.Scheme is "http" or "https" && url.UserInfo.Length == 0 && url.Query.Length == 0 && url.Fragment.Length == 0 && url.Host.Length > 0
            ? url
            : null;
}

/// <summary>
/// The one place absolute URLs come from. In order: <c>Site:PublicUrl</c>; else the content's
/// <see cref="SiteSettings.BaseUrl"/>; else, in Development and Testing only, the request's own scheme and host. A link
/// that leaves the site (a mail's manage link, a canonical URL) must never follow a Host header a client chose: anyone
/// could have a victim's genuine confirmation mail point at their own server (issue 13, finding 1).
/// </summary>
public sealed class SiteUrls(IOptions<SiteOptions> options, IHostEnvironment environment)
{
    private readonly string? _configured = options.Value.Configured;
    private readonly bool _mayUseRequestHost = MayUseRequestHost(environment);

    /// <summary>Where the request's Host may stand in for a configured address: a developer's machine and the tests.</summary>
    public static bool MayUseRequestHost(IHostEnvironment environment) => environment.IsDevelopment() || environment.IsEnvironment("Testing");

    /// <summary>The site's base URL without a trailing slash, e.g. <c>https://www.example.com</c>.</summary>
    public string BaseUrl(HttpRequest request, SiteSettings? settings)
    {
        if (_configured is not null)
        {
            return _configured;
        }

        if (PublicUrlAttribute.Parse(settings?.BaseUrl) is { } fromContent)
        {
            return fromContent.AbsoluteUri.TrimEnd('/');
        }

        // Unreachable elsewhere: the start refuses an environment without Site:PublicUrl (AddSiteUrls).
        return _mayUseRequestHost
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : throw new InvalidOperationException($"The site has no public address: set {SiteOptions.SectionName}:PublicUrl.");
    }

    /// <summary>Absolute URL for a site path; an absolute http(s) URL is returned as it is.</summary>
    public string Absolute(HttpRequest request, SiteSettings? settings, string path)
    {
        if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            return path;
        }

        return BaseUrl(request, settings) + (path.StartsWith('/') ? path : "/" + path);
    }
}

public static class SiteUrlsExtensions
{
    /// <summary>
    /// Loopback names the site answers besides the public host. Health probes from inside the container or host
    /// (the Dockerfile's HEALTHCHECK, a compose or systemd check with curl) send <c>Host: localhost</c> or
    /// <c>127.0.0.1</c>; answering them costs nothing, because no link is ever built from a request's Host once
    /// Site:PublicUrl is set. A probe that sends the container's IP (a Kubernetes httpGet probe without a Host header)
    /// needs <c>httpHeaders: [{name: Host, value: localhost}]</c>, or AllowedHosts listing what it sends.
    /// </summary>
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    public static WebApplicationBuilder AddSiteUrls(this WebApplicationBuilder builder)
    {
        var mayUseRequestHost = SiteUrls.MayUseRequestHost(builder.Environment);
        builder.Services.AddValidatedOptions<SiteOptions, SiteOptionsValidator>(SiteOptions.SectionName)
            .Validate(site => mayUseRequestHost || !string.IsNullOrWhiteSpace(site.PublicUrl),
                $"{SiteOptions.SectionName}:PublicUrl is not set. Outside Development it must be the address visitors use, such as " +
                "https://www.example.com: links in mails and pages are built from it, never from a request's Host header.");
        builder.Services.AddSingleton<SiteUrls>();

        // The framework's host filtering (always in the pipeline, first; AllowedHosts "*" switches it off) is given the
        // public host when the operator has not listed hosts: a request for another host gets 400 before any code runs.
        builder.Services.AddOptions<HostFilteringOptions>().Configure<IOptions<SiteOptions>, IConfiguration>((filtering, site, configuration) =>
        {
            var listed = (configuration["AllowedHosts"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (listed.Any(host => host != "*") || PublicUrlAttribute.Parse(site.Value.PublicUrl) is not { } url)
            {
                // The operator's own list (the framework reads it), or nothing to derive from.
                return;
            }

            // HostFilteringOptions wants IDN names in punycode and IPv6 addresses in brackets.
            var host = url.HostNameType == UriHostNameType.Dns ? url.IdnHost : url.Host;
            filtering.AllowedHosts = [host, .. LoopbackHosts.Where(loopback => !loopback.Equals(host, StringComparison.OrdinalIgnoreCase))];
        });
        return builder;
    }
}
