using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Backoffice;

/// <summary>The <c>Backoffice</c> configuration section. Defaults are safe for production.</summary>
public sealed class BackofficeOptions
{
    public const string SectionName = "Backoffice";

    /// <summary>Administrators must set up an authenticator app before they can use anything else.</summary>
    public bool RequireTwoFactorForAdministrators { get; set; }

    /// <summary>A session with no request for this long ends (sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after sign-in, however busy it is.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long re-entering the password keeps sensitive pages (user management) open.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan PasswordConfirmationLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed sign-ins (password or two-factor code) in a row before the account is locked.</summary>
    [Range(3, 20)]
    public int MaxFailedSignInAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an invitation (or password reset) link works.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "14.00:00:00")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The name authenticator apps show next to the account.</summary>
    [Required, MaxLength(60)]
    public string TwoFactorIssuer { get; set; } = "Portfolio backoffice";

    /// <summary>For unattended deploys: the first administrator, created on start while none exists.</summary>
    [ValidateObjectMembers]
    public InitialAdministratorOptions InitialAdmin { get; set; } = new();
}

[OptionsValidator]
public sealed partial class BackofficeOptionsValidator : IValidateOptions<BackofficeOptions>;

/// <summary><c>Backoffice:InitialAdmin</c>. Ignored once an administrator exists.</summary>
public sealed class InitialAdministratorOptions
{
    /// <summary>Also checked to be an address on start (BackofficeExtensions).</summary>
    [MaxLength(254)]
    public string? Email { get; set; }

    /// <summary>Checked by the password policy when the administrator is created.</summary>
    public string? Password { get; set; }

    [MaxLength(100)]
    public string? DisplayName { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Email) && !string.IsNullOrEmpty(Password);
}
