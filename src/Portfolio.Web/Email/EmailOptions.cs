using System.ComponentModel.DataAnnotations;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Email;

public enum EmailTransportKind
{
    /// <summary>Write <c>.eml</c> files into a folder (the default when no SMTP host is set).</summary>
    Pickup,
    Smtp,
}

/// <summary>The <c>Email</c> configuration section.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary><c>Pickup</c> or <c>Smtp</c>; when not set, <c>Smtp</c> if <see cref="SmtpOptions.Host"/> is set, else <c>Pickup</c>.</summary>
    [EnumDataType(typeof(EmailTransportKind))]
    public EmailTransportKind? Transport { get; set; }

    [ValidateObjectMembers]
    public SmtpOptions Smtp { get; set; } = new();

    [ValidateObjectMembers]
    public DkimOptions Dkim { get; set; } = new();

    /// <summary>Sender of every mail, e.g. <c>TechNext &lt;no-reply@example.com&gt;</c>.</summary>
    [Required, MailAddress]
    public string From { get; set; } = "TechNext <no-reply@example.com>";

    /// <summary>Who is told about new messages and bookings.</summary>
    [Required, MailAddress]
    public string OwnerAddress { get; set; } = "owner@example.com";

    /// <summary>Folder for <c>.eml</c> files; relative paths are under the content root. Default <c>umbraco/Data/mail-pickup</c>.</summary>
    [Required]
    public string PickupDirectory { get; set; } = "umbraco/Data/mail-pickup";

    [ValidateObjectMembers]
    public DispatcherOptions Dispatcher { get; set; } = new();

    public EmailTransportKind EffectiveTransport =>
        Transport ?? (string.IsNullOrWhiteSpace(Smtp.Host) ? EmailTransportKind.Pickup : EmailTransportKind.Smtp);
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>
    /// Upgrade the connection with STARTTLS (the key System.Net.Mail's EnableSsl was bound to, kept so no operator's
    /// settings change meaning). <see cref="Security"/>, when set, wins.
    /// </summary>
    public bool UseStartTls { get; set; } = true;

    /// <summary>
    /// How the connection is secured, as MailKit names it: <c>None</c>, <c>StartTls</c> (required),
    /// <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c> (implicit TLS, port 465) or <c>Auto</c>. Not set: from
    /// <see cref="UseStartTls"/>, and implicit TLS on port 465.
    /// </summary>
    public SecureSocketOptions? Security { get; set; }

    /// <summary>
    /// A certificate file (PEM or DER) that is trusted as the server's certificate even when it does not chain to a
    /// trusted root or names another host: for a private relay with a self-signed certificate, and for tests. Every
    /// other certificate is validated as usual.
    /// </summary>
    public string TrustedCertificatePath { get; set; } = "";

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>How long one SMTP operation (connect, a command, sending one message) may take.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    public SecureSocketOptions EffectiveSecurity =>
        Security ?? (!UseStartTls ? SecureSocketOptions.None
            : Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls);
}

/// <summary>
/// DKIM signing (RFC 6376) of every outgoing mail, on when <see cref="PrivateKeyPath"/> is set. Publish the public key
/// as a TXT record at <c>{Selector}._domainkey.{Domain}</c>.
/// </summary>
public sealed class DkimOptions
{
    /// <summary>Empty (not set) or dot-separated DNS labels: both end up in a DNS name the receiver looks up.</summary>
    private const string DnsName = @"^$|^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$";

    /// <summary>The signing domain (<c>d=</c>), usually the domain of <c>Email:From</c>.</summary>
    [RegularExpression(DnsName, ErrorMessage = "Email:Dkim:Domain must be a domain name, e.g. example.com.")]
    public string Domain { get; set; } = "";

    /// <summary>The selector (<c>s=</c>) under which the public key is published.</summary>
    [RegularExpression(DnsName, ErrorMessage = "Email:Dkim:Selector must be DNS labels (letters, digits, hyphens, dots), e.g. mail2026.")]
    public string Selector { get; set; } = "";

    /// <summary>The RSA private key, a PEM file; relative paths are under the content root.</summary>
    public string PrivateKeyPath { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(PrivateKeyPath);
}

public sealed class DispatcherOptions
{
    /// <summary>
    /// Whether this instance runs the dispatcher (read at start). With several instances on one PostgreSQL
    /// database, mail can be sent from only some of them; with none enabled, mail stays queued, durable, until
    /// an instance with the dispatcher starts. The API benchmark queues mail this way before timing delivery.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Fallback poll when nothing wakes the dispatcher (new mail wakes it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Mails sent at the same time by one instance.</summary>
    [Range(1, 32)]
    public int Concurrency { get; set; } = 4;

    /// <summary>After this many failed attempts a mail is dead.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay after the first failure; doubles each time, with jitter, up to <see cref="MaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a claimed mail is held; a dispatcher that dies lets go when it runs out. It is renewed right before
    /// each send, so it has to outlast one send: keep it above <c>Email:Smtp:TimeoutSeconds</c> (the app warns at
    /// start otherwise), or a mail whose send is slow may be taken over by another instance and go twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// After a send failed because the SMTP server could not be reached, how often the dispatcher checks whether it
    /// answers again; once it does, the mails that failed meanwhile go at once instead of after their backoff.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(10);
}

[OptionsValidator]
public sealed partial class EmailOptionsValidator : IValidateOptions<EmailOptions>;

/// <summary>One mailbox as MimeKit reads it, with or without a display name (<c>Name &lt;a@b.c&gt;</c>), with a domain.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MailAddressAttribute : ValidationAttribute
{
    public MailAddressAttribute()
        : base("The field {0} is not an e-mail address (name@example.com or Name <name@example.com>).")
    {
    }

    public override bool IsValid(object? value) => value is null || (value is string text && MimeKit.MailboxAddress.TryParse(text, out var mailbox) && mailbox.Domain.Length > 0);
}
