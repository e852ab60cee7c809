using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Web.Booking;
using Portfolio.Web.Email;

using Portfolio.Web.Privacy;
namespace Portfolio.Tests.Backoffice.Owner;

/// <summary>
/// The retention job: messages and bookings past the configured age (365 days by default) are removed with the
/// finished mails about them; newer data, upcoming bookings and mail still waiting to go stay.
/// </summary>
public sealed class OwnerRetentionTests(OwnerApp app) : IClassFixture<OwnerApp>
{
    [Fact]
    public async Task OldMessagesBookingsAndTheirSentMailsAreRemovedAndRecentDataIsKept()
    {
        var start = app.Clock.GetUtcNow();
        try
        {
            var oldMessage = await app.AddMessageAsync("old-sender@example.com");
            var oldBooking = await app.BookAsync("old-client@example.com");
            var oldSentMail = await app.AddMailAsync("old-client@example.com", EmailStatus.Sent, attempts: 1, kind: "booking-confirmation");
            var oldWaitingMail = await app.AddMailAsync("old-waiting@example.com", EmailStatus.Pending, attempts: 3, lastError: "timeout");

            app.Clock.Advance(TimeSpan.FromDays(370));
            var recentMessage = await app.AddMessageAsync("new-sender@example.com");
            var recentBooking = await app.BookAsync("new-client@example.com");
            var recentMail = await app.AddMailAsync("new-client@example.com", EmailStatus.Sent, attempts: 1, kind: "booking-confirmation");

            var removed = await app.WithScopeAsync(services => services.GetRequiredService<RetentionService>().ApplyAsync(default));

            Assert.Null(await app.FindMessageAsync(oldMessage.Id));
            Assert.NotNull(await app.FindMessageAsync(recentMessage.Id));
            var bookings = await app.QueryAsync(db => db.Bookings.Select(b => b.Id).ToListAsync());
            Assert.DoesNotContain(oldBooking.Id, bookings);
            Assert.Contains(recentBooking.Id, bookings);
            var mails = await app.QueryAsync(db => db.EmailOutbox.Select(m => m.Id).ToListAsync());
            Assert.DoesNotContain(oldSentMail.Id, mails);
            Assert.Contains(oldWaitingMail.Id, mails);
            Assert.Contains(recentMail.Id, mails);
            Assert.True(removed.Messages >= 1 && removed.Bookings >= 1 && removed.Mails >= 1);
            var audit = await app.QueryAsync(db => db.AuditEntries.Where(e => e.Action == OwnerAudit.RetentionApplied).ToListAsync());
            Assert.Single(audit);
            Assert.Null(audit[0].UserId);

            // Run again: nothing more is due.
            Assert.Equal(0, (await app.WithScopeAsync(services => services.GetRequiredService<RetentionService>().ApplyAsync(default))).Total);
        }
        finally
        {
            app.Clock.Set(start);
        }
    }

    [Fact]
    public async Task StoredIdempotencyAnswersAreRemovedAfterADayAndNewerOnesKept()
    {
        var start = app.Clock.GetUtcNow();
        try
        {
            var old = await RememberAsync("old-key");
            app.Clock.Advance(TimeSpan.FromHours(25));
            var recent = await RememberAsync("recent-key");

            await app.WithScopeAsync(services => services.GetRequiredService<RetentionService>().ApplyAsync(default));

            var keys = await app.QueryAsync(db => db.IdempotentRequests.Select(request => request.Key).ToListAsync());
            Assert.DoesNotContain(old, keys);
            Assert.Contains(recent, keys);
        }
        finally
        {
            app.Clock.Set(start);
        }
    }

    [Fact]
    public async Task Finding05_MailsSentBeforeLinksWereForgottenAtSendingLoseTheirManageTokenAtTheNextRetentionRun()
    {
        var token = Guid.NewGuid().ToString("N");
        var link = $"https://www.example.com/bookings/manage/{token}";
        var sent = await app.AddMailAsync("earlier-client@example.com", EmailStatus.Sent, attempts: 1, kind: "booking-confirmation");
        var waiting = await app.AddMailAsync("waiting-client@example.com", EmailStatus.Pending, attempts: 0, kind: "booking-confirmation");
        await app.QueryAsync(async db =>
        {
            foreach (var mail in await db.EmailOutbox.Where(mail => mail.Id == sent.Id || mail.Id == waiting.Id).ToListAsync())
            {
                mail.TextBody = $"Manage your booking: {link}";
                mail.HtmlBody = $"<p><a href=\"{link}\">Manage your booking</a></p>";
            }

            return await db.SaveChangesAsync();
        });

        await app.WithScopeAsync(services => services.GetRequiredService<RetentionService>().ApplyAsync(default));

        var stored = await app.QueryAsync(db => db.EmailOutbox.Where(mail => mail.Id == sent.Id || mail.Id == waiting.Id).ToDictionaryAsync(mail => mail.Id));
        Assert.DoesNotContain(token, stored[sent.Id].TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(token, stored[sent.Id].HtmlBody, StringComparison.Ordinal);
        Assert.Contains("/bookings/manage/{token}", stored[sent.Id].TextBody, StringComparison.Ordinal);
        // A mail not sent yet must still carry a working link.
        Assert.Contains(token, stored[waiting.Id].TextBody, StringComparison.Ordinal);
    }

    private Task<string> RememberAsync(string name) => app.QueryAsync(async db =>
    {
        var key = $"{name}-{Guid.NewGuid():N}";
        db.IdempotentRequests.Add(new IdempotentRequest
        {
            Scope = "bookings", Key = key, RequestHash = new string('0', 64), StatusCode = 201, ResponseJson = "{}",
            CreatedUtc = app.Clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync();
        return key;
    });
}
