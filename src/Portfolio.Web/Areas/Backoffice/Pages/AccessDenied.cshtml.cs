using Microsoft.AspNetCore.Authorization;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages;

/// <summary>
/// Where a signed-in user lands when their role may not use a page. Anonymous, so it can never redirect
/// to itself; it shows nothing but the refusal.
/// </summary>
[AllowAnonymous]
[AllowWithoutTwoFactor]
public sealed class AccessDeniedModel : BackofficePageModel
{
    public void OnGet()
    {
        SetTitle("No access");
        Response.StatusCode = StatusCodes.Status403Forbidden;
    }
}
