using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages;

/// <summary>Base of the backoffice pages: the page title and a few helpers every page needs.</summary>
public abstract class BackofficePageModel : PageModel
{
    /// <summary>The current user's id; every page but the sign-in pages runs for a signed-in user.</summary>
    protected string CurrentUserId => User.UserId() ?? throw new InvalidOperationException("No signed-in user.");

    protected void SetTitle(string title) => ViewData["Title"] = title;

    /// <summary>Only back into this site (never to another host): an open redirect would help phishing.</summary>
    protected IActionResult RedirectToLocal(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : LocalRedirect(BackofficeRoutes.Dashboard);

    protected void AddErrors(IdentityResult result, string field = "")
    {
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError(field, error.Description);
        }
    }
}
