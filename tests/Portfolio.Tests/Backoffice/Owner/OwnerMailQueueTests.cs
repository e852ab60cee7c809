using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Backoffice.Owner;

/// <summary>The mail queue at /umbraco/mail: states, attempts, the last error (encoded), the history, and "retry now".</summary>
public sealed class OwnerMailQueueTests(OwnerApp app) : IClassFixture<OwnerApp>
{
    [Fact]
    public async Task RetryNowMakesADeadMailPendingAndDueAtOnce()
    {
        var (owner, user) = await app.SignedInAsync(BackofficeRoles.Owner);
        var dead = await app.AddMailAsync($"dead-{Guid.NewGuid():N}@example.com", EmailStatus.Dead, attempts: 8, lastError: "550 mailbox unavailable");

        var deadTab = await owner.GetDocumentAsync("/umbraco/mail?state=dead");
        var row = deadTab.QuerySelectorAll("main tbody tr").Single(tr => tr.TextContent.Contains(dead.ToAddress, StringComparison.Ordinal));
        Assert.Contains("550 mailbox unavailable", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("8", row.QuerySelectorAll("td")[2].TextContent, StringComparison.Ordinal);

        var retried = await owner.SubmitAsync("/umbraco/mail?state=dead", [], $"form[action*='id={dead.Id}']");
        Assert.Equal("/umbraco/mail?state=pending&status=retried", retried.Headers.Location?.PathAndQuery());

        var stored = await app.QueryAsync(db => db.EmailOutbox.AsNoTracking().SingleAsync(mail => mail.Id == dead.Id));
        Assert.Equal(EmailStatus.Pending, stored.Status);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, stored.NextAttemptUtc);
        Assert.Equal(8, stored.Attempts);
        var audit = await app.QueryAsync(db => db.AuditEntries.SingleAsync(e => e.Action == OwnerAudit.MailRetried && e.EntityId == dead.Id.ToString()));
        Assert.Equal(user.Id, audit.UserId);
        // It now shows among the failed mails (pending, with earlier attempts), and a sent mail cannot be retried.
        Assert.Contains((await owner.GetDocumentAsync("/umbraco/mail?state=failed")).QuerySelectorAll("main tbody tr"),
            tr => tr.TextContent.Contains(dead.ToAddress, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDetailsShowEveryAttemptAndTheErrorsAreShownAsText()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var failed = await app.AddMailAsync($"failed-{Guid.NewGuid():N}@example.com", EmailStatus.Pending, attempts: 2,
            lastError: "<img src=x onerror=alert(1)> connection refused");

        var response = await owner.GetAsync($"/umbraco/mail/{failed.Id}");
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        var page = Html.Parse(html);
        var attempts = page.QuerySelectorAll("table tbody tr");
        Assert.Equal(2, attempts.Length);
        Assert.All(attempts, tr => Assert.Contains("<img src=x onerror=alert(1)> connection refused", tr.TextContent, StringComparison.Ordinal));
        Assert.NotNull(page.QuerySelector("form[action*='handler=Retry']"));

        var sent = await app.AddMailAsync($"sent-{Guid.NewGuid():N}@example.com", EmailStatus.Sent, attempts: 1);
        Assert.Null((await owner.GetDocumentAsync($"/umbraco/mail/{sent.Id}")).QuerySelector("form[action*='handler=Retry']"));
        var refused = await owner.PostFormAsync($"/umbraco/mail/{sent.Id}?handler=Retry", [new("__RequestVerificationToken", await owner.AntiforgeryTokenAsync())]);
        Assert.Equal($"/umbraco/mail/{sent.Id}?status=not-retried", refused.Headers.Location?.PathAndQuery());
        Assert.Equal(EmailStatus.Sent, await app.QueryAsync(db => db.EmailOutbox.Where(m => m.Id == sent.Id).Select(m => m.Status).SingleAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/umbraco/mail/999999999")).StatusCode);
    }

    /// <summary>
    /// Finding 5 of issue 13: the client's mail needs its manage link until it is sent; the owner reading the outbox never
    /// needs the token, and once the mail is sent its row keeps none.
    /// </summary>
    [Fact]
    public async Task Finding05_TheOwnerNeverSeesAManageTokenAndASentMailsRowKeepsNone()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var email = $"finding05-{Guid.NewGuid():N}@example.com";
        var token = await app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            var expert = (await bookings.FindExpertAsync("talha", default))!;
            var slot = (await bookings.FreeSlotsAsync(expert, app.Clock.GetUtcNow().UtcDateTime.Date, 28, default))[^1];
            var result = await bookings.BookAsync(
                new BookingRequest("talha", slot.StartUtc, "Grace Hopper", email, null, "Database scaling review", null, "Europe/Berlin"),
                "https://localhost", null, default);
            return Assert.IsType<BookingResult.Created>(result).ManageToken;
        });
        var queued = await app.QueryAsync(db => db.EmailOutbox.AsNoTracking().SingleAsync(mail => mail.ToAddress == email));
        Assert.Contains(token, queued.TextBody, StringComparison.Ordinal); // waiting to be sent: the client needs it

        var pendingDetail = await (await owner.GetAsync($"/umbraco/mail/{queued.Id}")).Content.ReadAsStringAsync();
        var pendingList = await (await owner.GetAsync("/umbraco/mail?state=pending")).Content.ReadAsStringAsync();
        await app.Services.GetRequiredService<EmailDispatcher>().DispatchDueAsync(CancellationToken.None);
        var sent = await app.QueryAsync(db => db.EmailOutbox.AsNoTracking().SingleAsync(mail => mail.Id == queued.Id));
        var sentDetail = await (await owner.GetAsync($"/umbraco/mail/{sent.Id}")).Content.ReadAsStringAsync();
        var delivered = await MailPickup.WaitForAsync(MailPickup.Folder(app.ContentRoot), mail => mail.MessageId == queued.MessageId, "to " + email);

        Assert.DoesNotContain(token, pendingDetail, StringComparison.Ordinal);
        Assert.Contains("https://localhost/bookings/manage/", Html.Parse(pendingDetail).QuerySelector(".bo-message")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(email, pendingList, StringComparison.Ordinal);
        Assert.DoesNotContain(token, pendingList, StringComparison.Ordinal);
        Assert.Equal(EmailStatus.Sent, sent.Status);
        Assert.Equal(queued.Subject, sent.Subject);
        Assert.Equal(email, sent.ToAddress);
        foreach (var stored in new[] { sent.TextBody, sent.HtmlBody, sent.Calendar! })
        {
            Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        }

        Assert.Contains("https://localhost/bookings/manage/{token}", sent.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://localhost/bookings/manage/{token}", sent.HtmlBody, StringComparison.Ordinal);
        // The stored invitation is still one: unfolded it names the redacted link, folded no line is longer than 75 octets.
        Assert.Contains("Manage: https://localhost/bookings/manage/{token}", sent.Calendar!.Replace("\r\n ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(sent.Calendar.Split("\r\n"), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, line));
        Assert.Equal(queued.Calendar!.Split("\r\n ")[0], sent.Calendar.Split("\r\n ")[0]);
        Assert.DoesNotContain(token, sentDetail, StringComparison.Ordinal);
        // What went out had the working link.
        Assert.Contains($"https://localhost/bookings/manage/{token}", delivered.PlainText, StringComparison.Ordinal);
        Assert.Contains($"https://localhost/bookings/manage/{token}", delivered.Calendar!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboardShowsQueueHealthAndLinksToTheQueue()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        await app.AddMailAsync($"health-{Guid.NewGuid():N}@example.com", EmailStatus.Dead, attempts: 8, lastError: "timeout");

        var dashboard = await owner.GetDocumentAsync("/umbraco");
        var mail = dashboard.QuerySelector("section[aria-labelledby=mail-facts]")!;
        var deadCount = await app.QueryAsync(db => db.EmailOutbox.CountAsync(m => m.Status == EmailStatus.Dead));
        Assert.Equal(deadCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            mail.QuerySelectorAll("dd").Single(dd => dd.PreviousElementSibling!.TextContent == "Failed for good").TextContent);
        Assert.Equal("/umbraco/mail?state=dead", mail.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains(dashboard.QuerySelectorAll("section[aria-labelledby=business-facts] a"), a => a.GetAttribute("href") == "/umbraco/messages");
    }
}
