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

    /// <summary>
    /// Whether a send failed because the server could not be reached at all (refused, dropped, timed out), rather than
    /// because it refused this mail: then every waiting mail would fail the same way, and <see cref="ProbeAsync"/> tells
    /// when it is worth trying them again.
    /// </summary>
    bool IsUnreachable(Exception exception);

    /// <summary>Checks that the server answers (connects, says hello, logs in, quits); throws when it does not.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}

/// <summary>Sends mails one at a time; not thread-safe. Disposing it ends the session (SMTP: QUIT).</summary>
public interface IMailSession : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
