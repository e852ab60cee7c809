using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Areas.Backoffice.Pages.Login;

[AllowAnonymous]
[AllowWithoutTwoFactor]
[EnableRateLimiting(RateLimitingExtensions.SignIn)]
public sealed class IndexModel(BackofficeSignIn signIn, BackofficeSetup setup) : BackofficePageModel
{
    /// <summary>One message for every failure: it must not tell whether the account exists or is locked.</summary>
    public const string FailureMessage =
        "Sign-in failed. Check the e-mail address and password. After several failed attempts, sign-in is paused for a while.";

    [BindProperty, Required(ErrorMessage = "Enter your e-mail address."), MaxLength(256), Display(Name = "E-mail address")]
    public string Email { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Enter your password."), MaxLength(CommonPasswordValidator.MaxLength), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>The cookie is Secure (<c>__Host-</c>): over plain HTTP, except on localhost, the browser drops it.</summary>
    public bool InsecureConnection => !Request.IsHttps && !string.Equals(Request.Host.Host, "localhost", StringComparison.OrdinalIgnoreCase) &&
                                      Request.Host.Host != "127.0.0.1";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await setup.IsPendingAsync(cancellationToken))
        {
            return LocalRedirect(BackofficeRoutes.Setup);
        }

        if (User.Identity?.IsAuthenticated == true)
        {
            return RedirectToLocal(ReturnUrl);
        }

        SetTitle("Sign in");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        SetTitle("Sign in");
        if (!ModelState.IsValid)
        {
            return Page();
        }

        switch (await signIn.PasswordAsync(Email, Password, cancellationToken))
        {
            case SignInOutcome.Succeeded:
                return RedirectToLocal(ReturnUrl);
            case SignInOutcome.RequiresTwoFactor:
                return RedirectToPage("/Login/TwoFactor", new { area = BackofficeRoutes.Area, ReturnUrl });
            default:
                ModelState.AddModelError("", FailureMessage);
                Password = "";
                return Page();
        }
    }
}
