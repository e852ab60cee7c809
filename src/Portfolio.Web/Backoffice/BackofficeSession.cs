using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Backoffice;

/// <summary>
/// The backoffice session cookie and its lifetime rules:
/// <list type="bullet">
/// <item>idle timeout: the cookie's sliding expiration;</item>
/// <item>absolute timeout: a <see cref="SignedInAtClaim"/> set at sign-in and checked on every request;</item>
/// <item>sign-out and account changes: Identity's security stamp, checked on every request.</item>
/// </list>
/// The sign-in time is also kept in the ticket's properties, because Identity rebuilds the principal from
/// the database on a refresh (<c>RefreshSignInAsync</c>), which would otherwise drop the claim and restart the clock.
/// </summary>
public static class BackofficeSession
{
    /// <summary><c>__Host-</c>: the browser only accepts it over HTTPS, for Path=/, without a Domain.</summary>
    public const string CookieName = "__Host-portfolio-backoffice";
    public const string TwoFactorCookieName = "__Host-portfolio-backoffice-2fa";

    /// <summary>Unix seconds of the sign-in that started this session.</summary>
    public const string SignedInAtClaim = "backoffice:signed_in_at";

    private const string SignedInAtItem = "backoffice.signed-in-at";
    private const string PasswordConfirmedAtItem = "backoffice.password-confirmed-at";

    internal static void ConfigureApplicationCookie(CookieAuthenticationOptions cookie, BackofficeOptions options)
    {
        cookie.Cookie.Name = CookieName;
        SecureCookie(cookie);
        cookie.ExpireTimeSpan = options.IdleTimeout;
        cookie.SlidingExpiration = true;
        cookie.LoginPath = BackofficeRoutes.Login;
        cookie.LogoutPath = BackofficeRoutes.Logout;
        cookie.AccessDeniedPath = BackofficeRoutes.AccessDenied;
        cookie.ReturnUrlParameter = "returnUrl";
        cookie.Events.OnSigningIn = OnSigningIn;
        cookie.Events.OnValidatePrincipal = OnValidatePrincipal;
    }

    /// <summary>Identity's short-lived cookies (between password and two-factor code, external logins).</summary>
    internal static void ConfigureTransientCookie(CookieAuthenticationOptions cookie, string name)
    {
        cookie.Cookie.Name = name;
        SecureCookie(cookie);
    }

    private static void SecureCookie(CookieAuthenticationOptions cookie)
    {
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.Path = "/";
        cookie.Cookie.Domain = null;
        cookie.Cookie.IsEssential = true;
    }

    /// <summary>Keeps the sign-in time when Identity rebuilds the principal after checking the security stamp.</summary>
    internal static Task OnRefreshingPrincipal(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal?.FindFirst(SignedInAtClaim) is { } signedInAt &&
            context.NewPrincipal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == SignedInAtClaim))
        {
            identity.AddClaim(new Claim(SignedInAtClaim, signedInAt.Value, ClaimValueTypes.Integer64));
        }

        return Task.CompletedTask;
    }

    private static Task OnSigningIn(CookieSigningInContext context)
    {
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        // A refresh carries the original time in the properties; a new sign-in starts the clock.
        var signedInAt = context.Properties.Items.TryGetValue(SignedInAtItem, out var kept) && kept is not null
            ? kept
            : clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Properties.Items[SignedInAtItem] = signedInAt;
        if (context.Principal?.Identity is ClaimsIdentity identity)
        {
            foreach (var stale in identity.FindAll(SignedInAtClaim).ToList())
            {
                identity.RemoveClaim(stale);
            }

            identity.AddClaim(new Claim(SignedInAtClaim, signedInAt, ClaimValueTypes.Integer64));
        }

        return Task.CompletedTask;
    }

    private static async Task OnValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<BackofficeOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var signedInAt = SignedInAt(context.Principal);
        if (signedInAt is null || now - signedInAt.Value >= options.AbsoluteTimeout || signedInAt.Value > now.AddMinutes(5))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        // Then Identity's own check: a changed security stamp (sign-out, lock, role change, deletion) ends the session.
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    public static DateTimeOffset? SignedInAt(ClaimsPrincipal? principal) =>
        principal?.FindFirst(SignedInAtClaim)?.Value is { } value &&
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Records that the user re-entered their password now, in the session's own ticket.</summary>
    public static async Task MarkPasswordConfirmedAsync(HttpContext httpContext)
    {
        var result = await httpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!result.Succeeded || result.Properties is null)
        {
            return;
        }

        var now = httpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        result.Properties.Items[PasswordConfirmedAtItem] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await httpContext.SignInAsync(IdentityConstants.ApplicationScheme, result.Principal, result.Properties);
    }

    /// <summary>Whether the password was re-entered within <see cref="BackofficeOptions.PasswordConfirmationLifetime"/>.</summary>
    public static async Task<bool> HasRecentPasswordConfirmationAsync(HttpContext httpContext)
    {
        var result = await httpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!result.Succeeded || result.Properties?.Items.TryGetValue(PasswordConfirmedAtItem, out var value) != true ||
            !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        var services = httpContext.RequestServices;
        var lifetime = services.GetRequiredService<IOptions<BackofficeOptions>>().Value.PasswordConfirmationLifetime;
        var age = services.GetRequiredService<TimeProvider>().GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return age >= TimeSpan.Zero && age < lifetime;
    }
}

/// <summary>
/// Adds what the backoffice chrome needs to every principal (display name, whether two-factor is on), so
/// the layout needs no database query. The principal is rebuilt on every request (security stamp check),
/// so these stay current.
/// </summary>
public sealed class BackofficeClaimsPrincipalFactory(
    UserManager<BackofficeUser> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<BackofficeUser, IdentityRole>(userManager, roleManager, options)
{
    public const string DisplayNameClaim = "backoffice:display_name";
    public const string TwoFactorEnabledClaim = "backoffice:two_factor";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(BackofficeUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, user.Label));
        identity.AddClaim(new Claim(TwoFactorEnabledClaim, user.TwoFactorEnabled ? "true" : "false"));
        return identity;
    }
}

public static class BackofficePrincipalExtensions
{
    public static string DisplayName(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(BackofficeClaimsPrincipalFactory.DisplayNameClaim) ?? principal.Identity?.Name ?? "";

    public static string? UserId(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.NameIdentifier);

    public static bool HasTwoFactor(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(BackofficeClaimsPrincipalFactory.TwoFactorEnabledClaim) == "true";

    public static string? BackofficeRole(this ClaimsPrincipal principal) =>
        BackofficeRoles.All.FirstOrDefault(principal.IsInRole);
}
