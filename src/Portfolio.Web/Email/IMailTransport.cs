using MimeKit;

namespace Portfolio.Web.Email;

/// <summary>Hands mail to the outside world: an SMTP server (<see cref="SmtpMailTransport"/>) or a folder.</summary>
public interface IMailTransport
{
    /// <summary>
    /// A session for sending several mails one after the other. The dispatcher opens one per lane of a batch, so an
    /// SMTP server sees one connection (one TLS handshake, one login) for many mails instead of one per mail.
    /// </summary>
    IMailSession OpenSession();
}

/// <summary>Sends mails one at a time; not thread-safe. Disposing it ends the session (SMTP: QUIT).</summary>
public interface IMailSession : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
