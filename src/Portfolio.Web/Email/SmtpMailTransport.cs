using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Email;

/// <summary>
/// Sends through an SMTP server with MailKit: implicit TLS or STARTTLS (<see cref="SmtpOptions.EffectiveSecurity"/>),
/// the server's certificate validated (or matched against one trusted certificate), optional authentication, a timeout
/// per operation. A session connects on its first mail and keeps the connection for the next ones.
/// </summary>
public sealed class SmtpMailTransport(IOptionsMonitor<EmailOptions> options, PortfolioPaths paths) : IMailTransport
{
    /// <summary>The certificate of <see cref="SmtpOptions.TrustedCertificatePath"/>, read once per path (not per session).</summary>
    private TrustedCertificateFile? _trusted;

    public IMailSession OpenSession() => new Session(options.CurrentValue.Smtp, TrustedCertificate(options.CurrentValue.Smtp));

    // A server that answered with an error code (SmtpCommandException) or refused the login is there: only the
    // connection itself failing means it is not.
    public bool IsUnreachable(Exception exception) => exception is System.Net.Sockets.SocketException or IOException
        or MailKit.Net.Smtp.SmtpProtocolException or ServiceNotConnectedException or TimeoutException or OperationCanceledException
        || (exception.InnerException is { } inner && IsUnreachable(inner));

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await using var session = new Session(options.CurrentValue.Smtp, TrustedCertificate(options.CurrentValue.Smtp));
        await session.ProbeAsync(cancellationToken);
    }

    private X509Certificate2? TrustedCertificate(SmtpOptions settings)
    {
        if (string.IsNullOrWhiteSpace(settings.TrustedCertificatePath))
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(paths.ContentRoot, settings.TrustedCertificatePath));
        if (_trusted is { } cached && cached.Path == path)
        {
            return cached.Certificate;
        }

        // Replaced as a whole (one reference); a certificate read twice by two lanes at once is harmless.
        var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        _trusted = new TrustedCertificateFile(path, certificate);
        return certificate;
    }

    private sealed record TrustedCertificateFile(string Path, X509Certificate2 Certificate);

    private sealed class Session(SmtpOptions settings, X509Certificate2? trusted) : IMailSession
    {
        private SmtpClient? _client;

        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            try
            {
                var client = await ConnectedAsync(cancellationToken);
                await client.SendAsync(message, cancellationToken);
            }
            catch
            {
                // Whatever went wrong (a refused recipient, a dropped connection, a timeout), the next mail starts on a
                // fresh connection rather than on one in an unknown state; failures are rare, so this costs nothing.
                await CloseAsync(quit: false);
                throw;
            }
        }

        public async Task ProbeAsync(CancellationToken cancellationToken)
        {
            try
            {
                await (await ConnectedAsync(cancellationToken)).NoOpAsync(cancellationToken);
            }
            catch
            {
                await CloseAsync(quit: false);
                throw;
            }
        }

        private async Task<SmtpClient> ConnectedAsync(CancellationToken cancellationToken)
        {
            if (_client is { IsConnected: true })
            {
                return _client;
            }

            _client?.Dispose();
            _client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
            if (trusted is not null)
            {
                _client.ServerCertificateValidationCallback = IsTrusted;
            }

            await _client.ConnectAsync(settings.Host, settings.Port, settings.EffectiveSecurity, cancellationToken);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await _client.AuthenticateAsync(settings.Username, settings.Password, cancellationToken);
            }

            return _client;
        }

        /// <summary>A certificate that validates as usual, or exactly the one configured as trusted.</summary>
        private bool IsTrusted(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
            errors == SslPolicyErrors.None
            || (certificate is not null && trusted is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(trusted.RawData));

        private async ValueTask CloseAsync(bool quit)
        {
            if (_client is null)
            {
                return;
            }

            try
            {
                if (quit && _client.IsConnected)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _client.DisconnectAsync(quit: true, timeout.Token);
                }
            }
            catch (Exception exception) when (exception is IOException or MailKit.Net.Smtp.SmtpProtocolException or ServiceNotConnectedException
                                                  or OperationCanceledException or SmtpCommandException)
            {
                // The mails are sent; a server that does not answer QUIT politely changes nothing.
            }
            finally
            {
                _client.Dispose();
                _client = null;
            }
        }

        public ValueTask DisposeAsync() => CloseAsync(quit: true);
    }
}

/// <summary>
/// Writes each mail as an <c>.eml</c> file into the pickup folder (under <c>umbraco/Data</c> by default),
/// so a fresh clone "sends" mail without any server and a developer can open what went out.
/// </summary>
public sealed class PickupDirectoryMailTransport(IOptionsMonitor<EmailOptions> options, PortfolioPaths paths) : IMailTransport, IMailSession
{
    /// <summary>CRLF line ends, as on the wire (MimeKit's default follows the platform: LF here).</summary>
    private static readonly FormatOptions WireFormat = CreateWireFormat();

    public string Directory => Path.GetFullPath(Path.Combine(paths.ContentRoot, options.CurrentValue.PickupDirectory));

    public IMailSession OpenSession() => this;

    // A folder is always there; a full disk is a failure of the mail, retried with its backoff.
    public bool IsUnreachable(Exception exception) => false;

    public Task ProbeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var folder = Directory;
        System.IO.Directory.CreateDirectory(folder);
        // Written beside and moved in, so whoever watches the folder never reads half a mail.
        var name = Guid.NewGuid().ToString("N");
        var partial = Path.Combine(folder, name + ".tmp");
        await message.WriteToAsync(WireFormat, partial, cancellationToken);
        File.Move(partial, Path.Combine(folder, name + ".eml"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static FormatOptions CreateWireFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
