using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using StandardWebhooks;

namespace Portfolio.Web.Webhooks;

/// <summary>
/// Signing secrets: made here (<c>whsec_</c> and 32 random bytes in base64, as Standard Webhooks' libraries expect them),
/// stored encrypted with Data Protection, and used to sign each attempt as the Standard Webhooks spec says:
/// HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c>, sent as <c>webhook-signature: v1,{base64}</c>.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Portfolio.Webhooks.SigningSecret.v1");

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    /// <summary>The <c>webhook-signature</c> header's value for one attempt.</summary>
    public static string Sign(string secret, string eventId, DateTimeOffset timestamp, string body) =>
        new StandardWebhook(secret).Sign(eventId, timestamp, body);
}
