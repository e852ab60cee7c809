using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Media;

public static class MediaExtensions
{
    /// <summary>The media library service and its options (<c>Media</c> section).</summary>
    public static WebApplicationBuilder AddMediaLibrary(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MediaOptions, MediaOptionsValidator>(MediaOptions.SectionName);
        builder.Services.AddScoped<MediaLibrary>();
        builder.Services.AddScoped<MediaLookup>();
        builder.Services.AddSingleton<ImageSizeCache>();
        builder.Services.AddSingleton<ShareCards>();
        return builder;
    }

    /// <summary><c>GET /media/{name}</c>: the library's files, public, as pages show them.</summary>
    public static WebApplication MapMediaLibrary(this WebApplication app)
    {
        app.MapGet(MediaUrls.Prefix + "{name}", ServeAsync)
            .WithName("GetMediaFile")
            .WithSummary("An image from the media library")
            .ExcludeFromDescription();
        app.MapGet(ImageSize.Prefix + "{name}", ServeSizeAsync).ExcludeFromDescription();
        app.MapGet(PortraitPlaceholder.Prefix + "{initials}.svg", ServePortrait).ExcludeFromDescription();
        app.MapGet(ShareCards.Prefix + "{name}", ServeShareCardAsync).ExcludeFromDescription();
        return app;
    }

    private static void CacheForAYear(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "public, max-age=31536000, immutable";
        headers.ContentDisposition = "inline";
        headers.XContentTypeOptions = "nosniff";
    }

    /// <summary>
    /// A size of a library image, made on first request (<see cref="ImageSizeCache"/>). Only the current focal point's
    /// sizes, and only WebP and the image's fallback format, are made: a URL cannot make the server draw more.
    /// </summary>
    private static async Task<Results<PhysicalFileHttpResult, NotFound>> ServeSizeAsync(string name, MediaLibrary library,
        ImageSizeCache sizes, HttpContext context, CancellationToken cancellationToken)
    {
        if (!ImageSize.TryParse(name, out var size) || await library.FindAsync(size.MediaId, cancellationToken) is not { } item
            || item.FocalX != size.FocalX || item.FocalY != size.FocalY
            || (size.Format != ImageFormat.WebP && size.Format != ResponsiveImages.FallbackFormat(item)))
        {
            return TypedResults.NotFound();
        }

        var source = library.PathOf(item.StoredName);
        if (!File.Exists(source))
        {
            return TypedResults.NotFound();
        }

        var path = await sizes.GetAsync(size, source, cancellationToken);
        CacheForAYear(context);
        return TypedResults.PhysicalFile(path, size.Format.ContentType, lastModified: item.UploadedUtc,
            entityTag: new EntityTagHeaderValue($"\"{Path.GetFileNameWithoutExtension(size.FileName)}\""));
    }

    /// <summary>The generated portrait of an expert without a photo; SVG we write, with a policy that runs nothing.</summary>
    private static IResult ServePortrait(string initials, HttpContext context)
    {
        if (!PortraitPlaceholder.IsInitials(initials))
        {
            return TypedResults.NotFound();
        }

        CacheForAYear(context);
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        return TypedResults.Text(PortraitPlaceholder.Svg(initials), "image/svg+xml", System.Text.Encoding.UTF8);
    }

    /// <summary>A page's generated share card; the name carries the signed title (<see cref="ShareCards"/>).</summary>
    private static async Task<Results<PhysicalFileHttpResult, NotFound>> ServeShareCardAsync(string name, ShareCards cards,
        Content.PublishedContentCache content, HttpContext context, CancellationToken cancellationToken)
    {
        if (cards.TitleOf(name) is not { } title)
        {
            return TypedResults.NotFound();
        }

        var siteName = (await content.GetAsync(cancellationToken)).Singleton<Content.SiteSettings>()?.SiteName ?? "";
        var path = await cards.GetAsync(title, siteName, cancellationToken);
        CacheForAYear(context);
        return TypedResults.PhysicalFile(path, ImageFormat.Png.ContentType);
    }

    /// <summary>
    /// Only names the library made (32 hex digits and an extension) and that it still knows are served, so no path
    /// can reach outside <c>umbraco/media/</c>. The content type is the one detected at upload; the name never
    /// changes for other bytes, so browsers and proxies may keep the file for a year.
    /// </summary>
    private static async Task<Results<PhysicalFileHttpResult, NotFound>> ServeAsync(string name, MediaLibrary library,
        HttpContext context, ILogger<MediaLibrary> logger, CancellationToken cancellationToken)
    {
        var item = await library.FindByStoredNameAsync(name, cancellationToken);
        if (item is null)
        {
            return TypedResults.NotFound();
        }

        var path = library.PathOf(item.StoredName);
        if (!File.Exists(path))
        {
            logger.LogWarning("Media {MediaId} has no file {StoredName}", item.Id, item.StoredName);
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.CacheControl = "public, max-age=31536000, immutable";
        headers.ContentDisposition = "inline";
        headers.XContentTypeOptions = "nosniff";
        return TypedResults.PhysicalFile(path, item.ContentType, lastModified: item.UploadedUtc,
            entityTag: new EntityTagHeaderValue($"\"{item.Id:N}\""));
    }
}

/// <summary>
/// The upload form's request limits, from <see cref="MediaOptions.MaxUploadBytes"/> (attributes such as
/// <c>[RequestSizeLimit]</c> take only constants). Runs before the antiforgery check, which is the first to read
/// the form: a request that announces more than the limit is answered with the upload page and a field error,
/// not with a 413 error page, and its body is never read.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class MediaUploadLimitsAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
{
    /// <summary>The query string that tells the page to show the "too large" error.</summary>
    public const string TooLargeQuery = "problem=too-large";

    // The antiforgery filter has order 1000; authorization (the page's policy) has already run.
    public int Order => 900;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return;
        }

        var limit = http.RequestServices.GetRequiredService<IOptions<MediaOptions>>().Value.MaxRequestBytes;
        if (http.Request.ContentLength > limit)
        {
            // Post/redirect/get: the browser shows the upload page with the error, and a reload does not resend.
            context.Result = new Microsoft.AspNetCore.Mvc.LocalRedirectResult($"{http.Request.PathBase}{http.Request.Path}?{TooLargeQuery}");
            return;
        }

        // Requests without a length (chunked) are cut off by the server at the same size.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        if (http.Features.Get<IFormFeature>()?.Form is null)
        {
            http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = limit }));
        }
    }
}
