using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Areas.Backoffice.Pages.Login;

/// <summary>The second step: a code from the authenticator app.</summary>
[AllowAnonymous]
[AllowWithoutTwoFactor]
[EnableRateLimiting(RateLimitingExtensions.SignIn)]
public sealed class TwoFactorModel(BackofficeSignIn signIn) : BackofficePageModel
{
    [BindProperty, Required(ErrorMessage = "Enter the 6-digit code from your authenticator app."), MaxLength(12), Display(Name = "Authentication code")]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        SetTitle("Two-factor sign-in");
        return await signIn.IsBetweenStepsAsync() ? Page() : LocalRedirect(BackofficeRoutes.Login);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        SetTitle("Two-factor sign-in");
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!await signIn.IsBetweenStepsAsync())
        {
            return LocalRedirect(BackofficeRoutes.Login);
        }

        if (await signIn.AuthenticatorCodeAsync(Code, cancellationToken) == SignInOutcome.Succeeded)
        {
            return RedirectToLocal(ReturnUrl);
        }

        ModelState.AddModelError("", "That code did not work. Enter the current code from your authenticator app; after several wrong codes, sign-in is paused for a while.");
        Code = "";
        return Page();
    }
}
