using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Areas.Backoffice.Pages.Login;

/// <summary>The second step without the phone: one of the recovery codes, each usable once.</summary>
[AllowAnonymous]
[AllowWithoutTwoFactor]
[EnableRateLimiting(RateLimitingExtensions.SignIn)]
public sealed class RecoveryCodeModel(BackofficeSignIn signIn) : BackofficePageModel
{
    [BindProperty, Required(ErrorMessage = "Enter one of your recovery codes."), MaxLength(40), Display(Name = "Recovery code")]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        SetTitle("Sign in with a recovery code");
        return await signIn.IsBetweenStepsAsync() ? Page() : LocalRedirect(BackofficeRoutes.Login);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        SetTitle("Sign in with a recovery code");
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!await signIn.IsBetweenStepsAsync())
        {
            return LocalRedirect(BackofficeRoutes.Login);
        }

        if (await signIn.RecoveryCodeAsync(Code, cancellationToken) == SignInOutcome.Succeeded)
        {
            return RedirectToLocal(ReturnUrl);
        }

        ModelState.AddModelError("", "That recovery code did not work. Each code works once.");
        Code = "";
        return Page();
    }
}
