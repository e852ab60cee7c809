using System.Collections.Frozen;
using Microsoft.AspNetCore.Identity;

namespace Portfolio.Web.Backoffice;

/// <summary>
/// Length over composition (NIST SP 800-63B): no "one digit, one symbol" rules, but a password is refused
/// when it is a common one — also when a common password is merely decorated with digits or symbols at
/// either end ("Password2024!") or repeated ("passwordpassword") — when it is one character repeated, or
/// when it contains the user's e-mail name. The list ships with the app as an embedded resource.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<BackofficeUser>
{
    public const string ResourceName = "Portfolio.Web.Backoffice.common-passwords.txt";
    public const int MaxLength = 256;

    private static readonly Lazy<FrozenSet<string>> CommonPasswords = new(Load);

    public static IdentityError Refused { get; } = new()
    {
        Code = "CommonPassword",
        Description = "This password is too common or too easy to guess. Try a few unrelated words.",
    };

    public static int Count => CommonPasswords.Value.Count;

    public Task<IdentityResult> ValidateAsync(UserManager<BackofficeUser> manager, BackofficeUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success);
        }

        if (password.Length > MaxLength)
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordTooLong",
                Description = $"Passwords must be at most {MaxLength} characters.",
            }));
        }

        return Task.FromResult(IsGuessable(password, user.Email) ? IdentityResult.Failed(Refused) : IdentityResult.Success);
    }

    public static bool IsGuessable(string password, string? email = null)
    {
        var lowered = password.Trim().ToLowerInvariant();
        var set = CommonPasswords.Value;
        if (lowered.Distinct().Count() <= 2 || set.Contains(lowered))
        {
            return true;
        }

        // "Password2024!" and "!!monkey123456": the common word is the whole secret.
        var core = lowered.Trim("0123456789!@#$%^&*()-_=+.,;:?'\"~` ".ToCharArray());
        if (core.Length > 0 && set.Contains(core))
        {
            return true;
        }

        // "passwordpassword", "abcabcabcabc": a short unit repeated.
        for (var unit = 1; unit <= lowered.Length / 2; unit++)
        {
            if (lowered.Length % unit == 0 && string.Concat(Enumerable.Repeat(lowered[..unit], lowered.Length / unit)) == lowered)
            {
                return true;
            }
        }

        var mailbox = email?.Split('@')[0].ToLowerInvariant();
        return mailbox is { Length: >= 4 } && lowered.Contains(mailbox, StringComparison.Ordinal);
    }

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var passwords = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                passwords.Add(line.Trim().ToLowerInvariant());
            }
        }

        return passwords.ToFrozenSet(StringComparer.Ordinal);
    }
}
