using Portfolio.Web.Content;

namespace Portfolio.Web.Site;

/// <summary>
/// Answers 301 for an old public URL (recorded when a published slug changed). The lookup is a
/// dictionary in the published snapshot, so requests for live pages pay next to nothing.
/// </summary>
public sealed class ContentRedirectMiddleware(RequestDelegate next, PublishedContentCache cache)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            var path = context.Request.Path.Value;
            if (path is { Length: > 1 })
            {
                var snapshot = await cache.GetAsync(context.RequestAborted);
                if (snapshot.Redirects.Count > 0 && snapshot.Redirects.TryGetValue(path.TrimEnd('/'), out var target))
                {
                    context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                    context.Response.Headers.Location = target + context.Request.QueryString;
                    return;
                }
            }
        }

        await next(context);
    }
}
