using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Email;

/// <summary>
/// The app, configured as an operator would (<c>Email:Smtp:UseStartTls</c>, a trusted certificate), sending its queue to
/// a server that refuses mail without STARTTLS: every mail arrives, and each lane of a batch keeps one connection.
/// </summary>
public sealed class StartTlsDispatchTests(StartTlsDispatchTests.App app) : IClassFixture<StartTlsDispatchTests.App>
{
    [Fact]
    public async Task AQueuedBatchArrivesOverStartTlsWithOneConnectionPerLane()
    {
        var client = app.CreateClient();
        var senders = Enumerable.Range(1, 6).Select(i => $"tls.lane{i}@example.com").ToList();
        foreach (var sender in senders)
        {
            var body = ApiCalls.ContactMessage();
            body["email"] = sender;
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body))).StatusCode);
        }

        var queued = new List<EmailOutboxMessage>();
        foreach (var sender in senders)
        {
            queued.AddRange(await app.MailsAboutAsync(sender));
        }

        // The background dispatcher is off here: one run takes the whole queue as one batch.
        await app.Services.GetRequiredService<EmailDispatcher>().DispatchDueAsync(CancellationToken.None);

        var received = await app.Smtp.WaitForAllAsync(queued.Select(mail => mail.MessageId).ToList(), TimeSpan.FromSeconds(60));
        Assert.Equal(queued.Count, received.Count);
        // aiosmtpd stamps each mail with the client's address and port: at most one connection per lane.
        var connections = received.Select(mail => mail.Header("X-Peer")).Distinct().Count();
        Assert.InRange(connections, 1, App.Lanes);
        Assert.All(await Task.WhenAll(senders.Select(app.MailsAboutAsync)), mails => Assert.All(mails, mail => Assert.Equal(EmailStatus.Sent, mail.Status)));
    }

    public sealed class App : SmtpPortfolioApp
    {
        public const int Lanes = 2;

        private string? _certificateFolder;

        protected override async Task<SmtpTestServer> StartSmtpAsync()
        {
            _certificateFolder = Directory.CreateTempSubdirectory("portfolio-smtp-cert-").FullName;
            return await SmtpTestServer.StartAsync(tls: SmtpServerTls.CreateSelfSigned(_certificateFolder));
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Email:Smtp:UseStartTls", "true");
            builder.UseSetting("Email:Smtp:TrustedCertificatePath", Path.Combine(_certificateFolder!, "smtp-cert.pem"));
            builder.UseSetting("Email:Dispatcher:Enabled", "false");
            builder.UseSetting("Email:Dispatcher:Concurrency", Lanes.ToString(CultureInfo.InvariantCulture));
        }

        protected override async Task AfterAppStoppedAsync()
        {
            await base.AfterAppStoppedAsync();
            Directory.Delete(_certificateFolder!, recursive: true);
        }
    }
}
