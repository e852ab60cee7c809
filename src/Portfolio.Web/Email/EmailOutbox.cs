using Microsoft.Extensions.Options;

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
/// Makes the outbox rows of mails (<see cref="Create"/>), which the store of what caused them writes in the same
/// transaction (the booking or message), so they commit (or not) together; call <see cref="Wake"/> after the commit
/// so the dispatcher sends them right away instead of at its next poll.
/// </summary>
public sealed class EmailOutbox(IOptionsMonitor<EmailOptions> options, TimeProvider clock, EmailDispatchSignal signal)
{
    /// <summary>
    /// The mail as a row, not yet stored: for write paths that store it with their own statements
    /// (<see cref="OutboxStore.Insert"/>). Call <see cref="Wake"/> after the commit.
    /// </summary>
    public EmailOutboxMessage Create(EmailDraft draft)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new EmailOutboxMessage
        {
            MessageId = NewMessageId(),
            Kind = draft.Kind,
            ToAddress = draft.ToAddress,
            ToName = MimeMessageFactory.HeaderSafe(draft.ToName),
            ReplyTo = draft.ReplyTo,
            Subject = MimeMessageFactory.HeaderSafe(draft.Content.Subject),
            TextBody = draft.Content.Text,
            HtmlBody = draft.Content.Html,
            Calendar = draft.Calendar,
            CalendarMethod = draft.CalendarMethod,
            Status = EmailStatus.Pending,
            CreatedUtc = now,
            NextAttemptUtc = now,
        };
    }

    /// <summary>Tells the dispatcher that committed mail is waiting.</summary>
    public void Wake() => signal.Wake();

    private string NewMessageId() => $"<{Guid.CreateVersion7():N}@{DomainOf(options.CurrentValue.From)}>";

    /// <summary>The From address's domain, parsed once per configured address rather than once per mail.</summary>
    private string DomainOf(string from)
    {
        if (_lastFrom is { } last && last.From == from)
        {
            return last.Domain;
        }

        // A bad From is reported by options validation; the id still needs a domain.
        var domain = MimeKit.MailboxAddress.TryParse(from, out var address) && address.Domain.Length > 0 ? address.Domain : "portfolio.local";
        _lastFrom = new FromDomain(from, domain);
        return domain;
    }

    /// <summary>Replaced as a whole (one reference), so concurrent requests never see half of it.</summary>
    private FromDomain? _lastFrom;

    private sealed record FromDomain(string From, string Domain);
}

/// <summary>Wakes the mail dispatcher when mail has been committed.</summary>
public sealed class EmailDispatchSignal : WakeSignal;
