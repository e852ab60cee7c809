using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Email;

/// <summary>The switchable SMTP app whose dispatcher probes an unreachable server every half second.</summary>
public sealed class ProbingSmtpPortfolioApp : SwitchableSmtpPortfolioApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:Dispatcher:ProbeInterval", "00:00:00.500");
    }
}

/// <summary>After an SMTP outage the waiting mails go as soon as the server answers, not after their backoff.</summary>
public sealed class DispatcherProbeTests(ProbingSmtpPortfolioApp app) : IClassFixture<ProbingSmtpPortfolioApp>
{
    [Fact]
    public async Task AMailThatFailedWhileTheServerWasAwayGoesAsSoonAsItAnswersWithoutWaitingForItsBackoff()
    {
        app.PointAtClosedPort();
        var address = $"probe.{Guid.NewGuid():N}@example.com";
        var body = ApiCalls.ContactMessage();
        body["email"] = address;
        Assert.Equal(HttpStatusCode.Accepted, (await app.CreateClient().PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body))).StatusCode);
        var failed = await SmtpPortfolioApp.WaitUntilAsync(() => MailAsync(address), mail => mail.Attempts >= 1 && mail.LockedBy is null);
        Assert.True(failed.NextAttemptUtc > app.Clock.GetUtcNow().UtcDateTime, "The failed mail waits for its backoff.");

        // The server is back; the clock does not move, so the backoff has not passed: only the probe can send it.
        app.PointAtServer();
        var sent = await SmtpPortfolioApp.WaitUntilAsync(() => MailAsync(address), mail => mail.Status == EmailStatus.Sent, TimeSpan.FromSeconds(30));

        Assert.Equal(2, sent.Attempts);
        await app.Smtp.WaitForAsync(sent.MessageId);
    }

    private async Task<EmailOutboxMessage> MailAsync(string address) => Assert.Single(await app.MailsAboutAsync(address));
}

/// <summary>The app's background dispatcher sending through its own slow SMTP server, one mail at a time.</summary>
public sealed class SlowDispatchingSmtpPortfolioApp : SmtpPortfolioApp
{
    public EmailDispatcher Dispatcher => Services.GetRequiredService<EmailDispatcher>();

    protected override async Task<SmtpTestServer> StartSmtpAsync()
    {
        var smtp = await SmtpTestServer.StartAsync(slow: true);
        await smtp.SetDelayAsync(TimeSpan.FromSeconds(2));
        return smtp;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:Dispatcher:Concurrency", "1");
        builder.UseSetting("Email:Dispatcher:PollInterval", "01:00:00");
    }
}

/// <summary>A graceful stop finishes the mail on the wire and gives back the leases of the rest of its batch.</summary>
public sealed class DispatcherShutdownTests(SlowDispatchingSmtpPortfolioApp app) : IClassFixture<SlowDispatchingSmtpPortfolioApp>
{
    [Fact]
    public async Task OnAGracefulStopTheMailBeingSentIsRecordedAndTheClaimedButUnsentMailsAreReleasedAtOnce()
    {
        var client = app.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            var body = ApiCalls.ContactMessage();
            body["email"] = $"shutdown.{i}.{Guid.NewGuid():N}@example.com";
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body))).StatusCode);
        }

        // One mail on the wire (2 s each) and at least one more claimed behind it in the same batch.
        await SmtpPortfolioApp.WaitUntilAsync(() => ClaimedAsync(), claimed => claimed.Count >= 2, TimeSpan.FromSeconds(30));

        await app.Dispatcher.StopAsync(CancellationToken.None);

        var mails = await app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().EmailOutbox.AsNoTracking().ToListAsync());
        Assert.All(mails, mail => Assert.Null(mail.LockedBy));
        Assert.Contains(mails, mail => mail.Status == EmailStatus.Sent && mail.Attempts == 1);
        Assert.Contains(mails, mail => mail.Status == EmailStatus.Pending && mail.Attempts == 0);
        // Nothing was cut off midway: every attempt that began has its outcome.
        Assert.All(mails.Where(mail => mail.Attempts > 0), mail => Assert.Equal(EmailStatus.Sent, mail.Status));
    }

    private Task<List<EmailOutboxMessage>> ClaimedAsync() =>
        app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().EmailOutbox.AsNoTracking()
            .Where(mail => mail.LockedBy != null && mail.Status == EmailStatus.Pending).ToListAsync());
}

/// <summary>The slow-SMTP app on PostgreSQL through a relay the test can cut (see <see cref="TcpRelay"/>).</summary>
public sealed class RelayedSlowSmtpPortfolioApp : SmtpPortfolioApp
{
    public TcpRelay? Relay { get; private set; }

    protected override async Task<SmtpTestServer> StartSmtpAsync()
    {
        var smtp = await SmtpTestServer.StartAsync(slow: true);
        await smtp.SetDelayAsync(TimeSpan.FromSeconds(2));
        return smtp;
    }

    protected override async Task BeforeAppStartsAsync()
    {
        await base.BeforeAppStartsAsync();
        if (Database.IsPostgres)
        {
            Relay = TcpRelay.InFrontOfPostgres(Database.ConnectionString);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:Dispatcher:Concurrency", "1");
        if (Relay is not null)
        {
            builder.UseSetting("ConnectionStrings:Portfolio", Relay.Relayed(Database.ConnectionString));
        }
    }

    protected override async Task AfterAppStoppedAsync()
    {
        await base.AfterAppStoppedAsync();
        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }
    }
}

/// <summary>
/// PostgreSQL restarting while a mail is on the wire: its outcome is written once the database is back, so the mail
/// is not sent a second time when its lease runs out (fault injection sent such mails twice).
/// </summary>
public sealed class DispatcherDatabaseOutageTests(RelayedSlowSmtpPortfolioApp app) : IClassFixture<RelayedSlowSmtpPortfolioApp>
{
    [SkippableFact]
    public async Task AMailSentWhileTheDatabaseRestartsIsRecordedAsSentOnceItIsBackAndNeverSentAgain()
    {
        Skip.IfNot(app.Database.IsPostgres, "The database server going away: PostgreSQL only.");
        var address = $"outage.{Guid.NewGuid():N}@example.com";
        var body = ApiCalls.ContactMessage();
        body["email"] = address;
        Assert.Equal(HttpStatusCode.Accepted, (await app.CreateClient().PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body))).StatusCode);
        var mail = await SmtpPortfolioApp.WaitUntilAsync(() => MailAsync(address), m => m.LockedBy is not null, TimeSpan.FromSeconds(30));

        // The server holds the mail 2 s; the database is away from then until after the server has taken it. (Cutting
        // as soon as the mail is claimed raced the dispatcher's lease renewal, which then failed and sent nothing.)
        await app.Smtp.WaitUntilHoldingAsync(mail.MessageId, TimeSpan.FromSeconds(30));
        app.Relay!.Cut();
        await app.Smtp.WaitForAsync(mail.MessageId, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));
        app.Relay.Restore();

        var sent = await SmtpPortfolioApp.WaitUntilAsync(() => MailAsync(address), m => m.Status == EmailStatus.Sent, TimeSpan.FromSeconds(60));
        Assert.Equal(1, sent.Attempts);

        // Past the lease: nothing is left to send again.
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await app.Services.GetRequiredService<EmailDispatcher>().DispatchDueAsync(CancellationToken.None);
        Assert.Equal(1, app.Smtp.CountByMessageId().GetValueOrDefault(mail.MessageId));
    }

    private async Task<EmailOutboxMessage> MailAsync(string address) => Assert.Single(await app.MailsAboutAsync(address));
}
