using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Portfolio.Web.Content;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Media;

namespace Portfolio.Web.Delivery;

/// <summary>
/// The read-only content delivery API in the shape of Umbraco's Delivery API v2 (Umbraco 14–17): by id, by route,
/// several by id, and a query with fetch, filter, sort, skip/take, expand and fields. Published content only; a client
/// with the preview key (<c>Api-Key</c>) reads drafts with <c>Preview: true</c>. Answers carry a weak ETag (a hash of
/// the JSON, so any change of the content, of a linked item or of an image's focal point gives a new one) and a 304
/// for a matching If-None-Match.
/// </summary>
public static class DeliveryApi
{
    public const string Prefix = "/umbraco/delivery/api/v2/content";
    public const string CorsPolicy = "content-delivery";
    public const string PreviewHeader = "Preview";
    public const string ApiKeyHeader = "Api-Key";
    private const string Tag = "Content delivery";

    public static IEndpointRouteBuilder MapDeliveryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix)
            .WithTags(Tag)
            // The backoffice's pages under /umbraco need a signed-in user; this API is public, like Umbraco's.
            .AllowAnonymous()
            .RequireCors(CorsPolicy)
            .RequireRateLimiting(RateLimitingExtensions.Reads)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapGet("", QueryAsync)
            .WithName("DeliveryQueryContent")
            .WithSummary("Query published content")
            .WithDescription("fetch=children:{id|path} | descendants:… | ancestors:…; filter=contentType:{alias} (commas for several, ! to exclude) or name:{text}, repeatable; " +
                             "sort={createDate|updateDate|name|sortOrder|level}:{asc|desc}, repeatable; skip, take (default 10, at most Delivery:MaxTake); " +
                             "expand=properties[$all] or properties[alias,…] (nested: properties[alias[properties[$all]]]); fields=properties[alias,…]. " +
                             "Without sort: by route level, then route. Headers: Preview: true with Api-Key reads drafts.")
            .Produces<DeliveryPage>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem();

        group.MapGet("/item/{id:guid}", ByIdAsync)
            .WithName("DeliveryContentById")
            .WithSummary("A published content item by its id")
            .Produces<DeliveryContent>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/item/{**path}", ByPathAsync)
            .WithName("DeliveryContentByRoute")
            .WithSummary("A published content item by its route")
            .WithDescription("The item's public path, e.g. /case-studies/logistics-api-latency (a trailing slash, as Umbraco writes routes, is fine); the home page is /.")
            .Produces<DeliveryContent>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/items", ByIdsAsync)
            .WithName("DeliveryContentByIds")
            .WithSummary("Several published content items by id")
            .WithDescription("id=…&id=…; ids of items that are not published are left out.")
            .Produces<List<DeliveryContent>>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> QueryAsync(HttpContext context, string? fetch, string[]? filter, string[]? sort, string? skip, string? take,
        string? expand, string? fields, DeliveryContentSource source, IOptionsSnapshot<DeliveryOptions> options, CancellationToken cancellationToken)
    {
        var (query, errors) = DeliveryQuery.Parse(fetch, filter, sort, skip, take, expand, fields, options.Value.MaxTake);
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The query needs your attention.");
        }

        if (await IndexAsync(context, source, options.Value, cancellationToken) is not { } index)
        {
            return Unauthorized();
        }

        IEnumerable<DeliveryItem> items = index.All;
        if (query.FetchKind is not null)
        {
            var target = Guid.TryParse(query.FetchTarget, out var key) ? index.Find(key) : index.Find(query.FetchTarget!);
            if (target is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["fetch"] = ["There is no published item with that id or path."] },
                    title: "The query needs your attention.");
            }

            items = query.FetchKind switch
            {
                "children" => index.Children(target),
                "descendants" => index.Descendants(target),
                _ => index.Ancestors(target),
            };
        }

        var selected = query.Select(items).ToList();
        var writer = Writer(context, index);
        var page = new List<DeliveryContent>();
        foreach (var item in selected.Skip(query.Skip).Take(query.Take))
        {
            page.Add(await writer.ItemAsync(item, query.Expand, query.Fields, cancellationToken));
        }

        return Answer(context, new DeliveryPage(selected.Count, page));
    }

    private static Task<IResult> ByIdAsync(HttpContext context, Guid id, string? expand, string? fields, DeliveryContentSource source,
        IOptionsSnapshot<DeliveryOptions> options, CancellationToken cancellationToken) =>
        OneAsync(context, index => index.Find(id), expand, fields, source, options.Value, cancellationToken);

    private static Task<IResult> ByPathAsync(HttpContext context, string? path, string? expand, string? fields, DeliveryContentSource source,
        IOptionsSnapshot<DeliveryOptions> options, CancellationToken cancellationToken) =>
        OneAsync(context, index => index.Find(path ?? ""), expand, fields, source, options.Value, cancellationToken);

    private static async Task<IResult> OneAsync(HttpContext context, Func<DeliveryIndex, DeliveryItem?> find, string? expand, string? fields,
        DeliveryContentSource source, DeliveryOptions options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var expandSelection = DeliveryQuery.ParseSelection(expand, "expand", errors);
        var fieldsSelection = DeliveryQuery.ParseSelection(fields, "fields", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query needs your attention.");
        }

        if (await IndexAsync(context, source, options, cancellationToken) is not { } index)
        {
            return Unauthorized();
        }

        if (find(index) is not { } item)
        {
            return TypedResults.Problem(title: "There is no published content item there.", statusCode: StatusCodes.Status404NotFound);
        }

        return Answer(context, await Writer(context, index).ItemAsync(item, expandSelection, fieldsSelection, cancellationToken));
    }

    private static async Task<IResult> ByIdsAsync(HttpContext context, string[]? id, string? expand, string? fields, DeliveryContentSource source,
        IOptionsSnapshot<DeliveryOptions> options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var keys = new List<Guid>();
        foreach (var value in id ?? [])
        {
            if (Guid.TryParse(value, out var key))
            {
                keys.Add(key);
            }
            else
            {
                errors["id"] = [$"'{Shorten(value)}' is not an id (a GUID such as 628e4673-068f-4ed6-ab3a-193a416b581a)."];
            }
        }

        if (keys.Count > options.Value.MaxTake)
        {
            errors["id"] = [$"Ask for at most {options.Value.MaxTake} ids at once."];
        }

        var expandSelection = DeliveryQuery.ParseSelection(expand, "expand", errors);
        var fieldsSelection = DeliveryQuery.ParseSelection(fields, "fields", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query needs your attention.");
        }

        if (await IndexAsync(context, source, options.Value, cancellationToken) is not { } index)
        {
            return Unauthorized();
        }

        var writer = Writer(context, index);
        var items = new List<DeliveryContent>();
        foreach (var key in keys.Distinct())
        {
            if (index.Find(key) is { } item)
            {
                items.Add(await writer.ItemAsync(item, expandSelection, fieldsSelection, cancellationToken));
            }
        }

        return Answer(context, items);
    }

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;

    private static DeliveryWriter Writer(HttpContext context, DeliveryIndex index) =>
        new(index, context.RequestServices.GetRequiredService<MarkdownRenderer>(), context.RequestServices.GetRequiredService<MediaLibrary>());

    /// <summary>
    /// The published items, or with <c>Preview: true</c> and the right key the drafts; null when preview is asked for
    /// without the key (or while no key is configured, so preview is off).
    /// </summary>
    private static async Task<DeliveryIndex?> IndexAsync(HttpContext context, DeliveryContentSource source, DeliveryOptions options, CancellationToken cancellationToken)
    {
        if (!IsPreview(context.Request))
        {
            return await source.PublishedAsync(cancellationToken);
        }

        return KeyMatches(options.PreviewApiKey, context.Request.Headers[ApiKeyHeader]) ? await source.PreviewAsync(cancellationToken) : null;
    }

    private static bool IsPreview(HttpRequest request) =>
        request.Headers.TryGetValue(PreviewHeader, out var value) && string.Equals(value.ToString().Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Compares the key in constant time: both sides are hashed first, so neither the time nor the lengths compared
    /// tell anything about the configured key. No key configured: nothing matches.
    /// </summary>
    internal static bool KeyMatches(string configured, StringValues sent)
    {
        if (configured.Length == 0 || sent.Count != 1 || sent[0] is not { Length: > 0 } key)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(configured)), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    private static ProblemHttpResult Unauthorized() =>
        TypedResults.Problem(
            title: "Preview needs a valid API key.",
            detail: $"Send the preview key in the {ApiKeyHeader} header, or leave out {PreviewHeader}: true to read published content.",
            statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>
    /// The JSON with its ETag, or 304 when the client holds it already. Published answers may be stored by any cache but
    /// are revalidated (no-cache, or max-age when configured): a publish shows at once. Drafts are stored nowhere.
    /// </summary>
    private static IResult Answer<T>(HttpContext context, T value)
    {
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var body = JsonSerializer.SerializeToUtf8Bytes(value, json);
        // Weak: the compression middleware sends these bytes as br, gzip or plain, and a strong ETag promises identical bytes.
        var etag = new EntityTagHeaderValue("\"" + Convert.ToBase64String(SHA256.HashData(body), 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"", isWeak: true);
        var headers = context.Response.Headers;
        headers.ETag = etag.ToString();
        var preview = IsPreview(context.Request);
        var maxAge = context.RequestServices.GetRequiredService<IOptionsSnapshot<DeliveryOptions>>().Value.MaxAgeSeconds;
        headers.CacheControl = preview ? "no-store" : maxAge > 0 ? $"public, max-age={maxAge}" : "public, no-cache";
        // A draft and a published item share a URL: a cache must keep them apart (and never store a draft: no-store). The
        // CORS headers differ by Origin, and the framework adds Vary: Origin only when several origins are allowed.
        headers.Append(HeaderNames.Vary, PreviewHeader);
        headers.Append(HeaderNames.Vary, "Origin");
        if (preview)
        {
            headers["X-Robots-Tag"] = "noindex";
        }

        if (EntityTagHeaderValue.TryParseList(context.Request.Headers.IfNoneMatch.ToArray()!, out var sent)
            && sent.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(body, "application/json");
    }
}
