using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages;

/// <summary>Re-authentication before sensitive pages: wrong passwords count towards the lockout like at sign-in.</summary>
[Authorize(Policy = BackofficePolicies.Access)]
public sealed class ConfirmPasswordModel(
    UserManager<BackofficeUser> users, SignInManager<BackofficeUser> signInManager, BackofficeSignIn signIn, AuditLog audit,
    IOptions<BackofficeOptions> options) : BackofficePageModel
{
    [BindProperty, Required(ErrorMessage = "Enter your password."), MaxLength(CommonPasswordValidator.MaxLength), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public int LifetimeMinutes => Math.Max(1, (int)options.Value.PasswordConfirmationLifetime.TotalMinutes);

    public void OnGet() => SetTitle("Confirm your password");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        SetTitle("Confirm your password");
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return LocalRedirect(BackofficeRoutes.Login);
        }

        var result = await signInManager.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await BackofficeSession.MarkPasswordConfirmedAsync(HttpContext);
            await audit.RecordAsync(AuditActions.PasswordConfirmed, AuditEntityTypes.Session, user.Id, cancellationToken: cancellationToken);
            return RedirectToLocal(ReturnUrl);
        }

        if (result.IsLockedOut)
        {
            await audit.RecordAsync(AuditActions.LockedOut, AuditEntityTypes.Session, user.Id, details: "Wrong passwords when confirming.",
                cancellationToken: cancellationToken);
            await signIn.SignOutAsync(User, cancellationToken);
            return LocalRedirect(BackofficeRoutes.Login);
        }

        ModelState.AddModelError(nameof(Password), "That is not your password.");
        Password = "";
        return Page();
    }
}
