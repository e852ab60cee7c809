using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Routing;

namespace Portfolio.Web.Site;

/// <summary>
/// Every Razor Page (public and backoffice) answers GET, HEAD and POST only. Razor Pages would otherwise run a page for
/// any method (TRACE and PUT render the template without a handler, OPTIONS answers an empty 200); with the methods in
/// the route's metadata, routing answers anything else with 405 and an <c>Allow</c> header before the page runs.
/// The error page is left open: the status-code and exception pages re-execute it with the failed request's method.
/// </summary>
public sealed class PageHttpMethodsConvention : IPageRouteModelConvention
{
    public static readonly IReadOnlyList<string> Allowed = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post];

    /// <summary>The page that must take every method (see the summary).</summary>
    public const string ErrorPage = "/Error";

    /// <summary>
    /// The pages built from blocks: a catch-all route, so GET and HEAD only. A POST that no other endpoint takes (an API
    /// call without JSON) must get that endpoint's 415 from the router, which it answers only when no endpoint at all
    /// takes the request.
    /// </summary>
    public const string ContentPage = "/ContentPage";

    public static readonly IReadOnlyList<string> ReadOnly = [HttpMethods.Get, HttpMethods.Head];

    public void Apply(PageRouteModel model)
    {
        if (model.AreaName is null && model.ViewEnginePath == ErrorPage)
        {
            return;
        }

        var methods = model.AreaName is null && model.ViewEnginePath == ContentPage ? ReadOnly : Allowed;
        foreach (var selector in model.Selectors)
        {
            selector.EndpointMetadata.Add(new HttpMethodMetadata(methods));
        }
    }
}
