using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Web.Booking;
using Portfolio.Web.Contact;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Backoffice.Owner;

/// <summary>
/// The backoffice app for the owner's pages. The mail dispatcher and the retention job are off, so what the tests
/// look at in the outbox and the tables stays as the test left it (both are driven by hand where a test needs them).
/// </summary>
public sealed class OwnerApp : BackofficeApp
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        .. base.Settings,
        new("Email:Dispatcher:Enabled", "false"),
        new("Retention:Enabled", "false"),
    ];

    /// <summary>Stores a contact message as the contact service would (without the rate limits of the public form).</summary>
    public async Task<ContactMessage> AddMessageAsync(string email, ContactMessageStatus status = ContactMessageStatus.New,
        string? subject = null, string? text = null, string? spamReason = null, string name = "Ada Lovelace")
    {
        var message = new ContactMessage
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Email = email,
            Subject = subject ?? $"Question {Guid.NewGuid():N}"[..20],
            Message = text ?? "Could we talk about our API's latency at peak hours?",
            Status = status,
            SpamReason = status == ContactMessageStatus.Spam ? spamReason ?? "Contains 5 links" : null,
            Source = "form",
            ContentHash = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
            CreatedUtc = Clock.GetUtcNow().UtcDateTime,
        };
        await WithDbAsync(async db =>
        {
            db.ContactMessages.Add(message);
            await db.SaveChangesAsync();
        });
        return message;
    }

    /// <summary>Books the <paramref name="index"/>th free slot of an expert through the real booking service (mails queued with it).</summary>
    public async Task<ConsultationBooking> BookAsync(string email, int index = 0, string expert = "talha", string name = "Grace Hopper")
    {
        return await WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            var found = (await bookings.FindExpertAsync(expert, default))!;
            var slots = await bookings.FreeSlotsAsync(found, Clock.GetUtcNow().UtcDateTime.Date, 28, default);
            var result = await bookings.BookAsync(
                new BookingRequest(expert, slots[index].StartUtc, name, email, "Navy Labs", "Database scaling review", "We run PostgreSQL 15.", "Europe/Berlin"),
                "https://localhost", null, default);
            return Assert.IsType<BookingResult.Created>(result).Booking;
        });
    }

    /// <summary>Adds an outbox row in a given state, as the dispatcher would have left it.</summary>
    public async Task<EmailOutboxMessage> AddMailAsync(string to, EmailStatus status, int attempts, string? lastError = null, string kind = "contact-notification",
        string? replyTo = null)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var mail = new EmailOutboxMessage
        {
            MessageId = $"<{Guid.NewGuid():N}@example.com>",
            Kind = kind,
            ToAddress = to,
            ToName = "Someone",
            ReplyTo = replyTo,
            Subject = "A test mail",
            TextBody = "Hello",
            HtmlBody = "<p>Hello</p>",
            Status = status,
            Attempts = attempts,
            CreatedUtc = now,
            NextAttemptUtc = now.AddMinutes(10),
            SentUtc = status == EmailStatus.Sent ? now : null,
            LastError = lastError,
        };
        for (var number = 1; number <= attempts; number++)
        {
            mail.DeliveryAttempts.Add(new EmailDeliveryAttempt
            {
                Number = number,
                StartedUtc = now,
                DurationMs = 12,
                Succeeded = status == EmailStatus.Sent && number == attempts,
                Error = status == EmailStatus.Sent && number == attempts ? null : lastError,
            });
        }

        await WithDbAsync(async db =>
        {
            db.EmailOutbox.Add(mail);
            await db.SaveChangesAsync();
        });
        return mail;
    }

    public Task<T> QueryAsync<T>(Func<PortfolioDbContext, Task<T>> query) =>
        WithScopeAsync(services => query(services.GetRequiredService<PortfolioDbContext>()));

    public Task<ContactMessage?> FindMessageAsync(Guid id) =>
        QueryAsync(db => db.ContactMessages.AsNoTracking().SingleOrDefaultAsync(message => message.Id == id));
}
