using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages.Users;

/// <summary>One user: change the role, lock or unlock, reset two-factor, make a new set-password link, delete.</summary>
[Authorize(Policy = BackofficePolicies.UsersManage)]
[RequireRecentPassword]
public sealed class EditModel(BackofficeUserAdministration administration, TimeProvider clock) : BackofficePageModel
{
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["role-changed"] = "The role has been changed. It applies from the user's next click.",
        ["locked"] = "The user is locked out and has been signed out everywhere.",
        ["unlocked"] = "The user can sign in again.",
        ["two-factor-reset"] = "Two-factor sign-in is off for this user; they can set it up again after signing in.",
    };

    public BackofficeUserSummary? Account { get; private set; }

    public bool IsSelf { get; private set; }

    public DateTimeOffset Now { get; private set; }

    [BindProperty]
    public string Role { get; set; } = "";

    [BindProperty]
    public bool ConfirmDelete { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public string? StatusMessage => Status is not null && Messages.TryGetValue(Status, out var message) ? message : null;

    public string? InvitationLink { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostRoleAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => administration.ChangeRoleAsync(CurrentUserId, id, Role), "role-changed", cancellationToken);

    public Task<IActionResult> OnPostLockAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => administration.LockAsync(CurrentUserId, id), "locked", cancellationToken);

    public Task<IActionResult> OnPostUnlockAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => administration.UnlockAsync(CurrentUserId, id), "unlocked", cancellationToken);

    public Task<IActionResult> OnPostResetTwoFactorAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => administration.ResetTwoFactorAsync(CurrentUserId, id), "two-factor-reset", cancellationToken);

    public async Task<IActionResult> OnPostInvitationAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var token = await administration.IssueInvitationAsync(id);
        InvitationLink = token is null ? null : await UsersLinks.SetPasswordAsync(Url, Request, id, token);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!ConfirmDelete)
        {
            ModelState.AddModelError(nameof(ConfirmDelete), "Tick the box to confirm that this user should be deleted.");
            return Page();
        }

        var result = await administration.DeleteAsync(CurrentUserId, id);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", result.Error!);
            return Page();
        }

        return RedirectToPage("/Users/Index");
    }

    private async Task<IActionResult> ChangeAsync(string id, Func<Task<UserChange>> change, string status, CancellationToken cancellationToken)
    {
        var result = await change();
        if (result.Succeeded)
        {
            return RedirectToPage(new { id, status });
        }

        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        ModelState.AddModelError("", result.Error!);
        return Page();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        Account = await administration.GetAsync(id, cancellationToken);
        if (Account is null)
        {
            return false;
        }

        SetTitle(string.IsNullOrEmpty(Account.DisplayName) ? Account.Email : Account.DisplayName);
        IsSelf = Account.Id == CurrentUserId;
        Role = Account.Role ?? "";
        return true;
    }
}
