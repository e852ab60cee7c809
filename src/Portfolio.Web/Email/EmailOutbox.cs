using System.Net.Mail;
using Microsoft.Extensions.Options;
using Portfolio.Web.Data;

namespace Portfolio.Web.Email;

/// <summary>A mail to queue: who gets it and what it says (already rendered by <see cref="EmailTemplate"/>).</summary>
public sealed record EmailDraft(
    string Kind,
    string ToAddress,
    string ToName,
    RenderedEmail Content,
    string? ReplyTo = null,
    string? Calendar = null,
    string? CalendarMethod = null);

/// <summary>
/// Puts mail into the outbox table. <see cref="Enqueue"/> only adds the row to the caller's DbContext,
/// so it commits (or not) together with the booking or message that caused it; call <see cref="Wake"/>
/// after the commit so the dispatcher sends it right away instead of at its next poll.
/// </summary>
public sealed class EmailOutbox(IOptionsMonitor<EmailOptions> options, TimeProvider clock, EmailDispatchSignal signal)
{
    public EmailOutboxMessage Enqueue(PortfolioDbContext db, EmailDraft draft)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var mail = new EmailOutboxMessage
        {
            MessageId = NewMessageId(),
            Kind = draft.Kind,
            ToAddress = draft.ToAddress,
            ToName = MailMessageFactory.HeaderSafe(draft.ToName),
            ReplyTo = draft.ReplyTo,
            Subject = MailMessageFactory.HeaderSafe(draft.Content.Subject),
            TextBody = draft.Content.Text,
            HtmlBody = draft.Content.Html,
            Calendar = draft.Calendar,
            CalendarMethod = draft.CalendarMethod,
            Status = EmailStatus.Pending,
            CreatedUtc = now,
            NextAttemptUtc = now,
        };
        db.EmailOutbox.Add(mail);
        return mail;
    }

    /// <summary>Tells the dispatcher that committed mail is waiting.</summary>
    public void Wake() => signal.Wake();

    private string NewMessageId()
    {
        var domain = "portfolio.local";
        try
        {
            domain = new MailAddress(options.CurrentValue.From).Host;
        }
        catch (FormatException)
        {
            // A bad From is reported by options validation; the id still needs a domain.
        }

        return $"<{Guid.CreateVersion7():N}@{domain}>";
    }
}

/// <summary>Wakes the dispatcher when mail has been committed. Holds no mail itself: the table does.</summary>
public sealed class EmailDispatchSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake-pending; one wake-up is enough.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _signal.WaitAsync(timeout, cancellationToken);
}
