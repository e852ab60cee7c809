using System.Net;
using Portfolio.Tests.Api;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Email;

/// <summary>
/// The mail queue when SMTP is down: nothing is lost, every attempt and its error is recorded, retries
/// back off, a mail comes through with its original Message-ID once the server is back, and a mail that
/// fails every attempt ends up dead (kept, not dropped).
/// </summary>
public sealed class MailFaultTests(SwitchableSmtpPortfolioApp app) : IClassFixture<SwitchableSmtpPortfolioApp>
{
    [Fact]
    public async Task WhileSmtpIsDownAMailStaysQueuedAndOnceItIsBackItArrivesWithTheSameMessageId()
    {
        app.PointAtClosedPort();

        var queued = await SendContactMessageAsync("smtp.down@example.com");

        // The dispatcher was woken by the commit and tried once: the error and the attempt are on record.
        var failed = await WaitForAttemptsAsync("smtp.down@example.com", 1);
        Assert.Equal(EmailStatus.Pending, failed.Status);
        Assert.False(string.IsNullOrWhiteSpace(failed.LastError));
        Assert.True(failed.NextAttemptUtc > Now, "The retry must wait (backoff)");
        var attempt = Assert.Single(failed.DeliveryAttempts);
        Assert.False(attempt.Succeeded);
        Assert.Equal(1, attempt.Number);
        Assert.False(string.IsNullOrWhiteSpace(attempt.Error));
        Assert.Null(failed.LockedBy);

        // Not due yet: a dispatch run now leaves it alone.
        await app.Dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Equal(1, (await MailAsync("smtp.down@example.com")).Attempts);

        app.PointAtServer();
        app.Clock.Set(failed.NextAttemptUtc.AddSeconds(1));
        await app.Dispatcher.DispatchDueAsync(CancellationToken.None);

        var sent = await MailAsync("smtp.down@example.com");
        Assert.Equal(EmailStatus.Sent, sent.Status);
        Assert.Equal(2, sent.Attempts);
        Assert.Null(sent.LastError);
        Assert.Equal(queued.MessageId, sent.MessageId);
        Assert.Equal([false, true], sent.DeliveryAttempts.OrderBy(a => a.Number).Select(a => a.Succeeded));
        var received = await app.Smtp.WaitForAsync(queued.MessageId);
        Assert.Equal(queued.Subject, received.Header("Subject"));
    }

    [Fact]
    public async Task AfterItsLastAttemptFailsAMailIsDeadWithEveryAttemptRecorded()
    {
        app.PointAtClosedPort();
        await SendContactMessageAsync("smtp.dead@example.com");
        var mail = await WaitForAttemptsAsync("smtp.dead@example.com", 1);
        var delays = new List<TimeSpan> { mail.NextAttemptUtc - mail.DeliveryAttempts.Single().StartedUtc };

        while (mail.Attempts < SwitchableSmtpPortfolioApp.MaxAttempts)
        {
            Assert.Equal(EmailStatus.Pending, mail.Status);
            app.Clock.Set(mail.NextAttemptUtc.AddSeconds(1));
            await app.Dispatcher.DispatchDueAsync(CancellationToken.None);
            var next = await MailAsync("smtp.dead@example.com");
            Assert.Equal(mail.Attempts + 1, next.Attempts);
            if (next.Status == EmailStatus.Pending)
            {
                delays.Add(next.NextAttemptUtc - Now);
            }

            mail = next;
        }

        Assert.Equal(EmailStatus.Dead, mail.Status);
        Assert.False(string.IsNullOrWhiteSpace(mail.LastError));
        Assert.Equal(Enumerable.Range(1, SwitchableSmtpPortfolioApp.MaxAttempts), mail.DeliveryAttempts.Select(a => a.Number).Order());
        Assert.All(mail.DeliveryAttempts, a => Assert.False(a.Succeeded));
        // Exponential backoff with jitter around a 30-second base: 15-30 s, then 30-60 s.
        Assert.InRange(delays[0].TotalSeconds, 15, 30);
        Assert.InRange(delays[1].TotalSeconds, 30, 60);

        // Dead is final: later runs, even with the server back, leave it alone.
        app.PointAtServer();
        app.Clock.Advance(TimeSpan.FromDays(1));
        await app.Dispatcher.DispatchDueAsync(CancellationToken.None);
        var after = await MailAsync("smtp.dead@example.com");
        Assert.Equal(EmailStatus.Dead, after.Status);
        Assert.Equal(SwitchableSmtpPortfolioApp.MaxAttempts, after.Attempts);
    }

    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    private async Task<EmailOutboxMessage> SendContactMessageAsync(string email)
    {
        var body = ApiCalls.ContactMessage();
        body["email"] = email;
        var response = await app.CreateClient().PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await MailAsync(email);
    }

    private async Task<EmailOutboxMessage> MailAsync(string email) => Assert.Single(await app.MailsAboutAsync(email));

    private Task<EmailOutboxMessage> WaitForAttemptsAsync(string email, int attempts) =>
        SmtpPortfolioApp.WaitUntilAsync(() => MailAsync(email), mail => mail.Attempts >= attempts && mail.LockedBy is null);
}
