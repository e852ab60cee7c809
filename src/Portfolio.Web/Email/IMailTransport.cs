namespace Portfolio.Web.Email;

/// <summary>
/// Hands one mail to the outside world. System.Net.Mail stands in for MailKit (not served here);
/// a MailKit transport can replace <see cref="SmtpMailTransport"/> behind this seam.
/// </summary>
public interface IMailTransport
{
    Task SendAsync(EmailOutboxMessage mail, CancellationToken cancellationToken);
}
