using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Contact;

/// <summary>
/// The contact form's spam traps: a honeypot field people never see, and a signed timestamp of when the
/// form was rendered (a bot posts faster than a person types; a form older than a day is stale or
/// replayed). Failing a trap does not lose the message: it is stored as suspected spam with the reason.
/// </summary>
public sealed class ContactFormGuard(IDataProtectionProvider protection, TimeProvider clock, IOptionsMonitor<ContactOptions> options)
{
    /// <summary>Name of the honeypot input; hidden from people with CSS and from assistive tech with aria-hidden.</summary>
    public const string HoneypotField = "website";

    private readonly IDataProtector _protector = protection.CreateProtector("Portfolio.Contact.FormTimestamp.v1");

    public string IssueTimestamp() =>
        _protector.Protect(clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

    public SpamVerdict Check(string? honeypot, string? timestamp)
    {
        if (!string.IsNullOrWhiteSpace(honeypot))
        {
            return new SpamVerdict("The hidden honeypot field was filled in");
        }

        if (string.IsNullOrEmpty(timestamp))
        {
            return new SpamVerdict("The form's timestamp was missing");
        }

        long issuedMs;
        try
        {
            issuedMs = long.Parse(_protector.Unprotect(timestamp), CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or FormatException)
        {
            return new SpamVerdict("The form's timestamp was forged or damaged");
        }

        var elapsed = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(issuedMs);
        var settings = options.CurrentValue;
        if (elapsed < settings.MinimumFillTime)
        {
            return new SpamVerdict($"Sent {elapsed.TotalSeconds:0.0} s after the form was shown, faster than a person types");
        }

        return elapsed > settings.MaximumFormAge
            ? new SpamVerdict($"The form was {elapsed.TotalHours:0} hours old")
            : SpamVerdict.Clean;
    }
}
