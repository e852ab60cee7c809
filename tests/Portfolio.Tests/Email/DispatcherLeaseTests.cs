using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Email;

/// <summary>
/// A claimed mail's lease is renewed when its own send starts, not only when its batch was claimed: a mail far
/// down a batch behind a slow SMTP server would otherwise lose its lease before it is sent, and another instance
/// could take it and send it a second time.
/// </summary>
public sealed class DispatcherLeaseTests(SlowSmtpPortfolioApp app) : IClassFixture<SlowSmtpPortfolioApp>
{
    [Fact]
    public async Task EachMailOfABatchGetsAFreshLeaseWhenItsSendStarts()
    {
        var addresses = new[] { "lease.first@example.com", "lease.second@example.com" };
        foreach (var address in addresses)
        {
            var body = ApiCalls.ContactMessage($"lease renewal test for {address}");
            body["email"] = address;
            var response = await app.CreateClient().PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var second = Assert.Single(await app.MailsAboutAsync(addresses[1]));
        var claimedAt = app.Clock.GetUtcNow().UtcDateTime;
        var firstLeaseEnd = claimedAt + SlowSmtpPortfolioApp.Lease;

        // One batch, one mail at a time, each held up 1.5 s by the server; while the first is on the wire the
        // (manual) clock moves on 90 s, most of the lease the batch was claimed with.
        var run = app.Dispatcher.DispatchDueAsync(CancellationToken.None);
        await SmtpPortfolioApp.WaitUntilAsync(() => LeaseOfAsync(second.Id), lease => lease.LockedUntilUtc is not null, TimeSpan.FromSeconds(30));
        app.Clock.Advance(TimeSpan.FromSeconds(90));

        var renewed = await SmtpPortfolioApp.WaitUntilAsync(
            () => LeaseOfAsync(second.Id),
            lease => lease.Status != EmailStatus.Pending || lease.LockedUntilUtc > firstLeaseEnd,
            TimeSpan.FromSeconds(30));
        await run;

        Assert.Equal(EmailStatus.Pending, renewed.Status); // seen while it was being sent, not only afterwards
        Assert.Equal(claimedAt + TimeSpan.FromSeconds(90) + SlowSmtpPortfolioApp.Lease, renewed.LockedUntilUtc);
        foreach (var address in addresses)
        {
            Assert.Equal(EmailStatus.Sent, Assert.Single(await app.MailsAboutAsync(address)).Status);
        }
    }

    private Task<(EmailStatus Status, DateTime? LockedUntilUtc)> LeaseOfAsync(long id) =>
        app.WithScopeAsync(async services =>
        {
            var mail = await services.GetRequiredService<PortfolioDbContext>().EmailOutbox.AsNoTracking().SingleAsync(m => m.Id == id);
            return (mail.Status, mail.LockedUntilUtc);
        });
}

/// <summary>
/// The app sending through its own slow SMTP server, one mail at a time, with the background dispatcher off so
/// the test runs each batch itself.
/// </summary>
public sealed class SlowSmtpPortfolioApp : SmtpPortfolioApp
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public EmailDispatcher Dispatcher => Services.GetRequiredService<EmailDispatcher>();

    /// <summary>A private server: slowing the shared one down would slow every other test's mail.</summary>
    protected override async Task<SmtpTestServer> StartSmtpAsync()
    {
        var smtp = await SmtpTestServer.StartAsync(slow: true);
        await smtp.SetDelayAsync(TimeSpan.FromSeconds(1.5));
        return smtp;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:Dispatcher:Enabled", "false");
        builder.UseSetting("Email:Dispatcher:Concurrency", "1");
        builder.UseSetting("Email:Dispatcher:Lease", Lease.ToString("c", CultureInfo.InvariantCulture));
    }
}
