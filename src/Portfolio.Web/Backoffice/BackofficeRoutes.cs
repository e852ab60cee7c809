using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Portfolio.Web.Backoffice;

/// <summary>
/// The backoffice pages are the Razor Pages area <c>Backoffice</c> (<c>Areas/Backoffice/Pages</c>), served under
/// <c>/umbraco</c> as Umbraco's backoffice is: <c>Users/Edit.cshtml</c> answers <c>/umbraco/users/edit/{id}</c>,
/// <c>Account/TwoFactor.cshtml</c> answers <c>/umbraco/account/two-factor</c>. Every page of the area needs the
/// <see cref="BackofficePolicies.Access"/> policy before its own, and runs the backoffice's page filters.
/// </summary>
public static partial class BackofficeRoutes
{
    public const string Area = "Backoffice";
    public const string Prefix = "umbraco";

    public const string Dashboard = "/umbraco";
    public const string Login = "/umbraco/login";
    public const string LoginTwoFactor = "/umbraco/login/two-factor";
    public const string Logout = "/umbraco/logout";
    public const string Setup = "/umbraco/setup";
    public const string AccessDenied = "/umbraco/access-denied";
    public const string ConfirmPassword = "/umbraco/confirm-password";
    public const string TwoFactorSetup = "/umbraco/account/two-factor";
    public const string SetPassword = "/umbraco/set-password";

    internal static void Apply(PageConventionCollection conventions)
    {
        conventions.AddAreaFolderRouteModelConvention(Area, "/", MapUnderPrefix);
        conventions.AuthorizeAreaFolder(Area, "/", BackofficePolicies.Access);
        conventions.AddAreaFolderApplicationModelConvention(Area, "/", page =>
        {
            page.Filters.Add(new BackofficeResponseFilter());
            page.Filters.Add(new TwoFactorEnrollmentFilter());
        });
    }

    /// <summary><c>Backoffice/Account/TwoFactor/{id?}</c> → <c>umbraco/account/two-factor/{id?}</c>; the duplicate <c>…/Index</c> routes go.</summary>
    private static void MapUnderPrefix(PageRouteModel model)
    {
        var selectors = model.Selectors.Where(selector => selector.AttributeRouteModel?.Template is not null).ToList();
        foreach (var selector in selectors)
        {
            var template = selector.AttributeRouteModel!.Template!;
            var segments = template.Split('/');
            if (segments.Length > 1 && segments[^1] == "Index" && selectors.Count > 1)
            {
                model.Selectors.Remove(selector);
                continue;
            }

            segments[0] = segments[0] == Area ? Prefix : segments[0];
            selector.AttributeRouteModel.Template = string.Join('/', segments.Select(KebabCase));
        }
    }

    private static string KebabCase(string segment) =>
        segment.StartsWith('{') ? segment : WordBoundary().Replace(segment, "-").ToLowerInvariant();

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex WordBoundary();
}

/// <summary>Backoffice pages hold personal data and drafts: never cached, never indexed, not compressed over HTTPS (BREACH: see <see cref="Site.SiteDelivery"/>).</summary>
internal sealed class BackofficeResponseFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        Site.SiteDelivery.DoNotCompress(context.HttpContext);
        return next();
    }
}
