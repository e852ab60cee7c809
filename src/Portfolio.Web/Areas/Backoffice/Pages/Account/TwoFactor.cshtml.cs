using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages.Account;

/// <summary>
/// TOTP two-factor through Identity's authenticator provider: shows the shared key and the <c>otpauth://</c>
/// URI as text (type it or paste it into any authenticator app), turns it on only after a code verifies, and
/// hands out recovery codes once. Reachable before two-factor is set up, since that is what it is for.
/// </summary>
[Authorize(Policy = BackofficePolicies.Access)]
[AllowWithoutTwoFactor]
public sealed class TwoFactorModel(
    UserManager<BackofficeUser> users, SignInManager<BackofficeUser> signInManager, AuditLog audit, IOptions<BackofficeOptions> options)
    : BackofficePageModel
{
    private const int RecoveryCodeCount = 10;

    [BindProperty, Required(ErrorMessage = "Enter the 6-digit code from your authenticator app."), MaxLength(12), Display(Name = "Code from the app")]
    public string Code { get; set; } = "";

    public bool Enabled { get; private set; }

    /// <summary>Required by configuration for this user's role (administrators), so it cannot be turned off.</summary>
    public bool Required { get; private set; }

    public string SharedKey { get; private set; } = "";

    public string AuthenticatorUri { get; private set; } = "";

    public int RecoveryCodesLeft { get; private set; }

    /// <summary>Shown once, right after they were made.</summary>
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? LocalRedirect(BackofficeRoutes.Login) : Page();

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken)
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return LocalRedirect(BackofficeRoutes.Login);
        }

        if (Enabled)
        {
            return RedirectToPage();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Digits(Code)))
        {
            ModelState.AddModelError(nameof(Code), "That code did not match. Check that the app shows this account and enter its current code.");
            Code = "";
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        NewRecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        await signInManager.RefreshSignInAsync(user);
        await audit.RecordAsync(AuditActions.TwoFactorEnabled, AuditEntityTypes.User, user.Id, cancellationToken: cancellationToken);
        Enabled = true;
        RecoveryCodesLeft = NewRecoveryCodes.Count;
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync(CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var user = await LoadAsync();
        if (user is null || !Enabled)
        {
            return user is null ? LocalRedirect(BackofficeRoutes.Login) : RedirectToPage();
        }

        NewRecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        RecoveryCodesLeft = NewRecoveryCodes.Count;
        await audit.RecordAsync(AuditActions.RecoveryCodesGenerated, AuditEntityTypes.User, user.Id, cancellationToken: cancellationToken);
        return Page();
    }

    /// <summary>Turning it off takes a current code: a borrowed session alone cannot weaken the account.</summary>
    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken)
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return LocalRedirect(BackofficeRoutes.Login);
        }

        if (!Enabled || Required)
        {
            return RedirectToPage();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Digits(Code)))
        {
            ModelState.AddModelError(nameof(Code), "That code did not match. Two-factor sign-in is still on.");
            Code = "";
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        await users.ResetAuthenticatorKeyAsync(user);
        await signInManager.RefreshSignInAsync(user);
        await audit.RecordAsync(AuditActions.TwoFactorDisabled, AuditEntityTypes.User, user.Id, cancellationToken: cancellationToken);
        return RedirectToPage();
    }

    private async Task<BackofficeUser?> LoadAsync()
    {
        SetTitle("Two-factor sign-in");
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return null;
        }

        Enabled = user.TwoFactorEnabled;
        Required = options.Value.RequireTwoFactorForAdministrators && await users.IsInRoleAsync(user, BackofficeRoles.Administrator);
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return user;
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            // The new key changed the security stamp: keep this session valid.
            await signInManager.RefreshSignInAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        }

        SharedKey = Grouped(key);
        var issuer = Uri.EscapeDataString(options.Value.TwoFactorIssuer);
        var account = Uri.EscapeDataString(user.Email ?? user.UserName ?? user.Id);
        AuthenticatorUri = $"otpauth://totp/{issuer}:{account}?secret={key}&issuer={issuer}&digits=6&period=30";
        return user;
    }

    private static string Digits(string code) => new(code.Where(char.IsDigit).ToArray());

    /// <summary>Groups of four, lower-case: easier to type from the screen into a phone.</summary>
    private static string Grouped(string key)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            builder.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return builder.ToString().TrimEnd().ToLowerInvariant();
    }
}
