using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages.Account;

/// <summary>The signed-in user's own account: who they are, two-factor status, changing the password.</summary>
[Authorize(Policy = BackofficePolicies.Access)]
public sealed class IndexModel(UserManager<BackofficeUser> users, SignInManager<BackofficeUser> signInManager, AuditLog audit)
    : BackofficePageModel
{
    [BindProperty, Required(ErrorMessage = "Enter your current password."), MaxLength(CommonPasswordValidator.MaxLength),
     DataType(DataType.Password), Display(Name = "Current password")]
    public string CurrentPassword { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Choose a new password."), MaxLength(CommonPasswordValidator.MaxLength),
     DataType(DataType.Password), Display(Name = "New password")]
    public string NewPassword { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public BackofficeUser Account { get; private set; } = new();

    public int RecoveryCodesLeft { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : LocalRedirect(BackofficeRoutes.Login);

    public async Task<IActionResult> OnPostChangePasswordAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync())
        {
            return LocalRedirect(BackofficeRoutes.Login);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await users.ChangePasswordAsync(Account, CurrentPassword, NewPassword);
        if (!result.Succeeded)
        {
            AddErrors(result, nameof(NewPassword));
            CurrentPassword = NewPassword = "";
            return Page();
        }

        // The new password changed the security stamp: re-issue this session's cookie (other sessions end).
        await signInManager.RefreshSignInAsync(Account);
        await audit.RecordAsync(AuditActions.PasswordChanged, AuditEntityTypes.User, Account.Id, cancellationToken: cancellationToken);
        return RedirectToPage(new { status = "password-changed" });
    }

    private async Task<bool> LoadAsync()
    {
        SetTitle("Your account");
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return false;
        }

        Account = user;
        RecoveryCodesLeft = user.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0;
        return true;
    }
}
