using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Email;

/// <summary>Sends through an SMTP server with System.Net.Mail: STARTTLS, credentials, a timeout.</summary>
public sealed class SmtpMailTransport(IOptionsMonitor<EmailOptions> options) : IMailTransport
{
    public async Task SendAsync(EmailOutboxMessage mail, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        using var message = MailMessageFactory.Create(mail, settings.From);
        using var client = new SmtpClient(settings.Smtp.Host, settings.Smtp.Port)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = settings.Smtp.UseStartTls,
            Timeout = settings.Smtp.TimeoutSeconds * 1000,
        };
        if (!string.IsNullOrEmpty(settings.Smtp.Username))
        {
            client.Credentials = new NetworkCredential(settings.Smtp.Username, settings.Smtp.Password);
        }

        await client.SendMailAsync(message, cancellationToken);
    }
}

/// <summary>
/// Writes each mail as an <c>.eml</c> file into the pickup folder (under <c>umbraco/Data</c> by default),
/// so a fresh clone "sends" mail without any server and a developer can open what went out.
/// </summary>
public sealed class PickupDirectoryMailTransport(IOptionsMonitor<EmailOptions> options, Infrastructure.PortfolioPaths paths) : IMailTransport
{
    public string Directory => Path.GetFullPath(Path.Combine(paths.ContentRoot, options.CurrentValue.PickupDirectory));

    public async Task SendAsync(EmailOutboxMessage mail, CancellationToken cancellationToken)
    {
        var folder = Directory;
        System.IO.Directory.CreateDirectory(folder);
        using var message = MailMessageFactory.Create(mail, options.CurrentValue.From);
        using var client = new SmtpClient
        {
            DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory,
            PickupDirectoryLocation = folder,
        };
        await client.SendMailAsync(message, cancellationToken);
    }
}
