using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Portfolio.Web.Content;

/// <summary>
/// Which paths a general page (<see cref="ContentPage"/>) may take. The public page route is a catch-all that routing
/// tries last, so a page can never shadow the app's own routes at request time; a page at such a path would simply
/// never be shown. Refusing those paths when the editor saves says so at once: a page's first level must not be the
/// first level of any route of the app (<c>/umbraco</c>, <c>/api</c>, <c>/health</c>, <c>/bookings</c>, <c>/team</c>,
/// <c>/case-studies</c> …), found from the app's endpoints so a new route is covered without a list to update, nor a
/// folder or file of wwwroot.
/// </summary>
public sealed class PagePaths(EndpointDataSource endpoints, IWebHostEnvironment environment)
{
    /// <summary>Reserved even before the endpoints are built (a start-up import) and for what is not an endpoint.</summary>
    private static readonly string[] AlwaysReserved = ["umbraco", "api", "health", "media", "css", "js", "img", "fonts", "openapi", "error", "preview"];

    /// <summary>Why <paramref name="path"/> (a valid page path, no leading slash) is taken by the app, or null when it is free.</summary>
    public string? Problem(string path)
    {
        var first = path.Split('/')[0];
        return IsReserved(first)
            ? $"/{first} belongs to the site itself (its own pages, the backoffice, the API or files); a page there would never be shown. Choose another path."
            : null;
    }

    /// <summary>A first level that is the app's whatever its endpoints (the API, the backoffice, health, files).</summary>
    public static bool IsAlwaysReserved(string first) => AlwaysReserved.Contains(first, StringComparer.OrdinalIgnoreCase);

    private bool IsReserved(string first) =>
        IsAlwaysReserved(first)
        || FirstLiterals().Contains(first)
        || environment.WebRootFileProvider.GetFileInfo(first).Exists
        || environment.WebRootFileProvider.GetDirectoryContents(first).Exists;

    /// <summary>The literal first segments of every route (computed per call: saving a page is rare, endpoints may change).</summary>
    private HashSet<string> FirstLiterals()
    {
        var literals = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.RoutePattern.PathSegments is [{ Parts: [RoutePatternLiteralPart literal, ..] }, ..])
            {
                literals.Add(literal.Content);
            }
        }

        return literals;
    }
}

/// <summary>
/// Keeps the page route's catch-all off the app's own first levels at request time: a request to <c>/api/…</c> that no
/// API endpoint takes (a POST without JSON, say) must end as that endpoint's 415 or 405 or the API's 404, never as a
/// page lookup's 404 HTML; the router only reports those when no other endpoint matches.
/// </summary>
public sealed class PagePathRouteConstraint : IRouteConstraint, IParameterLiteralNodeMatchingPolicy
{
    // Asked when the router builds its tables: the catch-all is left out of the branches of /api, /umbraco … altogether,
    // so that a request there that no endpoint of theirs takes still gets their 415/405 (a constraint checked at
    // request time comes too late: the router has already preferred the catch-all over those answers).
    public bool MatchesLiteral(string parameterName, string literal) => !PagePaths.IsAlwaysReserved(literal);

    public const string Name = "pagepath";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        if (!values.TryGetValue(routeKey, out var value) || value?.ToString() is not { Length: > 0 } path)
        {
            return false;
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return !PagePaths.IsAlwaysReserved(slash < 0 ? path : path[..slash]);
    }
}
