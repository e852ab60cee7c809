using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace Portfolio.Web.Backoffice;

public enum SignInOutcome
{
    Succeeded,
    RequiresTwoFactor,
    /// <summary>Wrong password, unknown account, locked account: deliberately one outcome, so the page cannot tell them apart.</summary>
    Failed,
}

/// <summary>
/// Signing in and out, audited. Failures look the same from outside whatever the reason, and every password
/// sign-in costs exactly one password-hash check (a dummy hash when there is no password to check: an unknown
/// address, a locked account, an invitation not yet accepted), so neither the message nor the timing tells
/// whether an account exists or what state it is in.
/// </summary>
public sealed class BackofficeSignIn(
    SignInManager<BackofficeUser> signInManager,
    UserManager<BackofficeUser> users,
    IPasswordHasher<BackofficeUser> hasher,
    AuditLog audit,
    TimeProvider clock)
{
    private static readonly BackofficeUser DummyUser = new() { Id = "dummy", UserName = "dummy" };
    private static string? _dummyHash;

    public async Task<SignInOutcome> PasswordAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        var user = email.Length == 0 ? null : await users.FindByEmailAsync(email);
        if (user is null || !await ChecksThePasswordAsync(user))
        {
            // Identity answers an unknown, locked, refused or password-less account without hashing anything
            // (microseconds), a wrong password only after a hash (tens of milliseconds): without this one check
            // against a dummy hash, the time would tell which addresses exist and which are locked.
            SpendAsMuchTimeAsAPasswordCheck(password);
        }

        if (user is null)
        {
            await audit.RecordAsync(AuditActions.SignInFailed, AuditEntityTypes.Session, null, details: "Unknown e-mail address.",
                actor: new AuditActor(null, email), cancellationToken: cancellationToken);
            return SignInOutcome.Failed;
        }

        var result = await signInManager.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        return await RecordAsync(user, result, "password", cancellationToken);
    }

    /// <summary>The second step, with the user remembered between the steps by Identity's short-lived cookie.</summary>
    public async Task<SignInOutcome> AuthenticatorCodeAsync(string code, CancellationToken cancellationToken = default)
    {
        var user = await signInManager.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return SignInOutcome.Failed;
        }

        var normalized = new string(code.Where(char.IsDigit).ToArray());
        var result = await signInManager.TwoFactorAuthenticatorSignInAsync(normalized, isPersistent: false, rememberClient: false);
        return await RecordAsync(user, result, "authenticator code", cancellationToken);
    }

    public async Task<SignInOutcome> RecoveryCodeAsync(string code, CancellationToken cancellationToken = default)
    {
        var user = await signInManager.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return SignInOutcome.Failed;
        }

        var result = await signInManager.TwoFactorRecoveryCodeSignInAsync(code.Replace(" ", "", StringComparison.Ordinal).Trim());
        var outcome = await RecordAsync(user, result, "recovery code", cancellationToken);
        if (outcome == SignInOutcome.Succeeded)
        {
            await audit.RecordAsync(AuditActions.RecoveryCodeUsed, AuditEntityTypes.User, user.Id,
                details: $"{await users.CountRecoveryCodesAsync(user)} recovery codes left.", actor: AuditActor.Of(user), cancellationToken: cancellationToken);
        }

        return outcome;
    }

    /// <summary>True while the user is between password and second factor.</summary>
    public async Task<bool> IsBetweenStepsAsync() => await signInManager.GetTwoFactorAuthenticationUserAsync() is not null;

    /// <summary>
    /// Ends the session for good: a new security stamp makes every copy of the cookie worthless (this signs the
    /// user out on their other devices too), then the cookie is removed.
    /// </summary>
    public async Task SignOutAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var user = await users.GetUserAsync(principal);
        if (user is not null)
        {
            await users.UpdateSecurityStampAsync(user);
            await audit.RecordAsync(AuditActions.SignedOut, AuditEntityTypes.Session, user.Id, actor: AuditActor.Of(user),
                cancellationToken: cancellationToken);
        }

        await signInManager.SignOutAsync();
    }

    private async Task<SignInOutcome> RecordAsync(BackofficeUser user, SignInResult result, string method, CancellationToken cancellationToken)
    {
        var actor = AuditActor.Of(user);
        if (result.Succeeded)
        {
            user.LastSignInUtc = clock.GetUtcNow().UtcDateTime;
            await users.UpdateAsync(user);
            await audit.RecordAsync(AuditActions.SignedIn, AuditEntityTypes.Session, user.Id, details: $"With {method}.", actor: actor,
                cancellationToken: cancellationToken);
            return SignInOutcome.Succeeded;
        }

        if (result.RequiresTwoFactor)
        {
            return SignInOutcome.RequiresTwoFactor;
        }

        var lockedOut = result.IsLockedOut;
        await audit.RecordAsync(lockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed, AuditEntityTypes.Session, user.Id,
            details: lockedOut ? $"Refused: the account is locked ({method})." : $"Wrong {method}.", actor: actor,
            cancellationToken: cancellationToken);
        return SignInOutcome.Failed;
    }

    /// <summary>
    /// Whether <see cref="SignInManager{TUser}.PasswordSignInAsync(TUser, string, bool, bool)"/> gets as far as
    /// hashing the password: not for a locked account, one that may not sign in, or one without a password yet
    /// (an invitation not accepted).
    /// </summary>
    private async Task<bool> ChecksThePasswordAsync(BackofficeUser user) =>
        user.PasswordHash is not null && !await users.IsLockedOutAsync(user) && await signInManager.CanSignInAsync(user);

    private void SpendAsMuchTimeAsAPasswordCheck(string password)
    {
        _dummyHash ??= hasher.HashPassword(DummyUser, "a password nobody has: " + Guid.NewGuid());
        hasher.VerifyHashedPassword(DummyUser, _dummyHash, password);
    }
}
