using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages;

/// <summary>Signing out is a POST (a link or an image cannot sign anyone out); GET only asks.</summary>
[Authorize(Policy = BackofficePolicies.Access)]
[AllowWithoutTwoFactor]
public sealed class LogoutModel(BackofficeSignIn signIn) : BackofficePageModel
{
    public void OnGet() => SetTitle("Sign out");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await signIn.SignOutAsync(User, cancellationToken);
        return LocalRedirect($"{BackofficeRoutes.Login}?status=signed-out");
    }
}
