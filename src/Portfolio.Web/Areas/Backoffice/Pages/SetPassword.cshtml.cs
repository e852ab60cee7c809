using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages;

/// <summary>
/// Where an invitation (or a reset) link leads: the user chooses their own password, so no administrator ever
/// knows it. The token works once and expires (see <see cref="BackofficeOptions.InvitationLifetime"/>).
/// </summary>
[AllowAnonymous]
[AllowWithoutTwoFactor]
public sealed class SetPasswordModel(UserManager<BackofficeUser> users, AuditLog audit) : BackofficePageModel
{
    private const string LinkRefused = "This link has expired or has been used already. Ask an administrator for a new one.";

    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty, Required(ErrorMessage = "Choose a password."), MaxLength(CommonPasswordValidator.MaxLength), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public string? Email { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        SetTitle("Choose your password");
        var user = await FindAsync();
        if (user is null || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider,
                UserManager<BackofficeUser>.ResetPasswordTokenPurpose, Token!))
        {
            ModelState.AddModelError("", LinkRefused);
            return Page();
        }

        Email = user.Email;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        SetTitle("Choose your password");
        var user = await FindAsync();
        if (user is null)
        {
            ModelState.AddModelError("", LinkRefused);
            return Page();
        }

        Email = user.Email;
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, Token!, Password);
        if (!result.Succeeded)
        {
            var invalidToken = result.Errors.Any(error => error.Code == nameof(IdentityErrorDescriber.InvalidToken));
            if (invalidToken)
            {
                ModelState.AddModelError("", LinkRefused);
            }
            else
            {
                AddErrors(result, nameof(Password));
            }

            Password = "";
            return Page();
        }

        // The new password starts with a clean count of failed attempts.
        await users.ResetAccessFailedCountAsync(user);
        await audit.RecordAsync(AuditActions.PasswordSet, AuditEntityTypes.User, user.Id, details: "Through an invitation or reset link.",
            actor: AuditActor.Of(user), cancellationToken: cancellationToken);
        return LocalRedirect($"{BackofficeRoutes.Login}?status=password-set");
    }

    private async Task<BackofficeUser?> FindAsync() =>
        string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Token) ? null : await users.FindByIdAsync(UserId);
}
