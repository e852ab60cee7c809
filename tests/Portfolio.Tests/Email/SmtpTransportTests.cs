using System.Net;
using System.Security.Cryptography;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Email;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Tests.Email;

/// <summary>
/// MailKit against a real SMTP server (aiosmtpd) the way operators configure it: STARTTLS that the server requires,
/// implicit TLS, a certificate that must validate (or be the one configured as trusted), a login, one connection for
/// every mail of a session, and DKIM signatures a receiver can verify.
/// </summary>
[ProviderIndependent]
public sealed class SmtpTransportTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portfolio-smtp-tls-").FullName;
    private readonly List<SmtpTestServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task WithUseStartTlsAMailGoesOverStartTlsToAServerThatRefusesPlainMail()
    {
        var tls = SmtpServerTls.CreateSelfSigned(_folder);
        var server = await StartAsync(tls: tls);
        var smtp = Settings(server, trusted: tls.CertificatePath); // UseStartTls defaults to true, as in appsettings

        var mail = await SendAsync(smtp, "starttls@example.com");

        var received = await server.WaitForAsync(mail.MessageId);
        Assert.Equal("starttls@example.com", received.Header("X-RcptTo"));
        Assert.Equal(SecureSocketOptions.StartTls, smtp.EffectiveSecurity);
    }

    [Fact]
    public async Task APlainConnectionToAServerThatRequiresStartTlsIsRefused()
    {
        var server = await StartAsync(tls: SmtpServerTls.CreateSelfSigned(_folder));
        var smtp = Settings(server);
        smtp.UseStartTls = false;

        // The proof that the test above really went over TLS: the same server refuses the mail in the clear.
        await Assert.ThrowsAsync<MailKit.ServiceNotAuthenticatedException>(() => SendAsync(smtp, "cleartext@example.com"));
    }

    [Fact]
    public async Task ACertificateThatDoesNotValidateIsRefusedUnlessItIsTheTrustedOne()
    {
        var tls = SmtpServerTls.CreateSelfSigned(_folder);
        var server = await StartAsync(tls: tls);
        var other = SmtpServerTls.CreateSelfSigned(Path.Combine(_folder, "other"));

        await Assert.ThrowsAsync<SslHandshakeException>(() => SendAsync(Settings(server), "untrusted@example.com"));
        await Assert.ThrowsAsync<SslHandshakeException>(() => SendAsync(Settings(server, trusted: other.CertificatePath), "wrong-pin@example.com"));
        var trusted = await SendAsync(Settings(server, trusted: tls.CertificatePath), "pinned@example.com");

        await server.WaitForAsync(trusted.MessageId);
        Assert.Single(server.ReadAll());
    }

    [Fact]
    public async Task ImplicitTlsSendsOverTlsFromTheFirstByte()
    {
        var tls = SmtpServerTls.CreateSelfSigned(_folder, @implicit: true);
        var server = await StartAsync(tls: tls);
        var smtp = Settings(server, trusted: tls.CertificatePath);
        smtp.Security = SecureSocketOptions.SslOnConnect;

        var mail = await SendAsync(smtp, "smtps@example.com");

        await server.WaitForAsync(mail.MessageId);
    }

    [Theory]
    [InlineData(465, true, null, SecureSocketOptions.SslOnConnect)]
    [InlineData(587, true, null, SecureSocketOptions.StartTls)]
    [InlineData(25, false, null, SecureSocketOptions.None)]
    [InlineData(465, true, SecureSocketOptions.StartTlsWhenAvailable, SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData(2525, false, SecureSocketOptions.SslOnConnect, SecureSocketOptions.SslOnConnect)]
    public void TheExistingUseStartTlsKeyKeepsItsMeaningAndPort465MeansImplicitTls(int port, bool useStartTls, SecureSocketOptions? security,
        SecureSocketOptions expected)
    {
        var smtp = new SmtpOptions { Port = port, UseStartTls = useStartTls, Security = security };

        Assert.Equal(expected, smtp.EffectiveSecurity);
    }

    [Fact]
    public async Task TheConfiguredLoginIsUsedAndAWrongPasswordIsRefused()
    {
        var tls = SmtpServerTls.CreateSelfSigned(_folder);
        var server = await StartAsync(tls: tls, login: new NetworkCredential("mailer", "s3cret-for-tests"));
        var smtp = Settings(server, trusted: tls.CertificatePath);
        smtp.Username = "mailer";

        smtp.Password = "wrong";
        await Assert.ThrowsAsync<AuthenticationException>(() => SendAsync(smtp, "wrong-login@example.com"));
        smtp.Password = "s3cret-for-tests";
        var mail = await SendAsync(smtp, "login@example.com");

        await server.WaitForAsync(mail.MessageId);
    }

    [Fact]
    public async Task EveryMailOfASessionGoesOverOneConnection()
    {
        var server = await StartAsync();
        var smtp = Settings(server);
        smtp.UseStartTls = false;
        var transport = Transport(smtp);
        var mails = Enumerable.Range(1, 4).Select(i => Row($"session{i}@example.com")).ToList();

        await using (var session = transport.OpenSession())
        {
            foreach (var mail in mails)
            {
                await session.SendAsync(Factory().Create(mail), CancellationToken.None);
            }
        }

        var received = await server.WaitForAllAsync(mails.Select(mail => mail.MessageId).ToList(), TimeSpan.FromSeconds(30));
        // aiosmtpd stamps each mail with the client's address and port (X-Peer): one port, one connection.
        Assert.Single(received.Select(mail => mail.Header("X-Peer")).Distinct());
    }

    [Fact]
    public async Task WithDkimConfiguredAReceiverVerifiesTheSignatureWithThePublishedKey()
    {
        using var key = RSA.Create(2048);
        var keyPath = Path.Combine(_folder, "dkim.pem");
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        var server = await StartAsync();
        var smtp = Settings(server);
        smtp.UseStartTls = false;
        var dkim = new DkimOptions { Domain = "example.com", Selector = "mail2026", PrivateKeyPath = keyPath };

        var mail = await SendAsync(smtp, "dkim@example.com", dkim);

        var received = (await server.WaitForAsync(mail.MessageId)).Message;
        var signature = received.Headers[received.Headers.IndexOf(HeaderId.DkimSignature)];
        Assert.Contains("d=example.com", signature.Value, StringComparison.Ordinal);
        Assert.Contains("s=mail2026", signature.Value, StringComparison.Ordinal);
        var verifier = new DkimVerifier(new PublishedKey($"v=DKIM1; k=rsa; p={Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())}"));
        Assert.True(await verifier.VerifyAsync(received, signature), "The signature does not verify with the published key.");

        // And the check can fail: a body changed on the way no longer matches the signature.
        var tampered = ReceivedMail.Parse(received.ToString().Replace("dkim@example.com", "dkim@example.org", StringComparison.Ordinal)).Message;
        Assert.False(await verifier.VerifyAsync(tampered, tampered.Headers[tampered.Headers.IndexOf(HeaderId.DkimSignature)]));
    }

    private async Task<SmtpTestServer> StartAsync(SmtpServerTls? tls = null, NetworkCredential? login = null)
    {
        var server = await SmtpTestServer.StartAsync(tls: tls, login: login);
        _servers.Add(server);
        return server;
    }

    private static SmtpOptions Settings(SmtpTestServer server, string trusted = "") =>
        new() { Host = server.Host, Port = server.Port, TimeoutSeconds = 10, TrustedCertificatePath = trusted };

    private async Task<EmailOutboxMessage> SendAsync(SmtpOptions smtp, string to, DkimOptions? dkim = null)
    {
        var mail = Row(to);
        await using var session = Transport(smtp).OpenSession();
        await session.SendAsync(Factory(dkim).Create(mail), CancellationToken.None);
        return mail;
    }

    private SmtpMailTransport Transport(SmtpOptions smtp) =>
        new(new StaticOptionsMonitor(new EmailOptions { Smtp = smtp }), new PortfolioPaths(_folder));

    private MimeMessageFactory Factory(DkimOptions? dkim = null) =>
        new(Options.Create(new EmailOptions { Dkim = dkim ?? new DkimOptions() }), new PortfolioPaths(_folder));

    private static EmailOutboxMessage Row(string to) => new()
    {
        MessageId = $"<{Guid.NewGuid():N}@example.com>",
        ToAddress = to,
        ToName = "Ada Lovelace",
        Subject = "Größenordnung: a test 🚀",
        TextBody = $"A mail to {to}.",
        HtmlBody = $"<p>A mail to {to}.</p>",
        Kind = "test",
        CreatedUtc = DateTime.UtcNow,
    };

    /// <summary>The DNS TXT record a receiver would look up at {selector}._domainkey.{domain}.</summary>
    private sealed class PublishedKey(string txtRecord) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey(txtRecord);

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector,
            CancellationToken cancellationToken = default) => Task.FromResult(GetPublicKey(txtRecord));
    }

    private sealed class StaticOptionsMonitor(EmailOptions value) : IOptionsMonitor<EmailOptions>
    {
        public EmailOptions CurrentValue => value;

        public EmailOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<EmailOptions, string?> listener) => null;
    }
}
