using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Booking;
using Portfolio.Web.Contact;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Web.Privacy;

/// <summary>Everything stored about one e-mail address, listed before it is erased.</summary>
public sealed record PersonalDataFound(
    IReadOnlyList<(Guid Id, string Subject, DateTime CreatedUtc, ContactMessageStatus Status)> Messages,
    IReadOnlyList<(Guid Id, string ExpertSlug, DateTime StartUtc, BookingStatus Status)> Bookings,
    IReadOnlyList<(long Id, string Kind, string Subject, EmailStatus Status)> Mails)
{
    public bool IsEmpty => Messages.Count == 0 && Bookings.Count == 0 && Mails.Count == 0;
}

/// <summary>
/// "Erase everything about this e-mail address": the person's contact messages, bookings (past and upcoming)
/// and every outbox mail to them or about them (the owner's notifications carry their address as Reply-To),
/// in one transaction. The audit log records the erasure under a hash of the address, never the address.
/// </summary>
public sealed class PersonalDataEraser(PortfolioDbContext db, AuditLog audit)
{
    public async Task<PersonalDataFound> FindAsync(string email, CancellationToken cancellationToken)
    {
        var address = Normalize(email);
        var messages = await Messages(address).AsNoTracking().OrderBy(message => message.CreatedUtc)
            .Select(message => new { message.Id, message.Subject, message.CreatedUtc, message.Status })
            .ToListAsync(cancellationToken);
        var bookings = await Bookings(address).AsNoTracking().OrderBy(booking => booking.StartUtc)
            .Select(booking => new { booking.Id, booking.ExpertSlug, booking.StartUtc, booking.Status })
            .ToListAsync(cancellationToken);
        var mails = await Mails(address).AsNoTracking().OrderBy(mail => mail.Id)
            .Select(mail => new { mail.Id, mail.Kind, mail.Subject, mail.Status })
            .ToListAsync(cancellationToken);
        return new PersonalDataFound(
            messages.Select(m => (m.Id, m.Subject, m.CreatedUtc, m.Status)).ToList(),
            bookings.Select(b => (b.Id, b.ExpertSlug, b.StartUtc, b.Status)).ToList(),
            mails.Select(m => (m.Id, m.Kind, m.Subject, m.Status)).ToList());
    }

    public async Task<RemovedData> EraseAsync(string email, CancellationToken cancellationToken)
    {
        var address = Normalize(email);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var messages = await Messages(address).ExecuteDeleteAsync(cancellationToken);
        var bookings = await Bookings(address).ExecuteDeleteAsync(cancellationToken);
        var mails = await Mails(address).ExecuteDeleteAsync(cancellationToken);
        audit.Add(OwnerAudit.PersonalDataErased, OwnerAudit.Person, OwnerAudit.HashEmail(address),
            details: $"Erased {messages} message(s), {bookings} booking(s), {mails} mail(s)");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RemovedData(messages, bookings, mails);
    }

    /// <summary>Addresses are compared without case: Ada@Example.com and ada@example.com are one person.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    private IQueryable<ContactMessage> Messages(string address) =>
        db.ContactMessages.Where(message => message.Email.ToLower() == address);

    private IQueryable<ConsultationBooking> Bookings(string address) =>
        db.Bookings.Where(booking => booking.Email.ToLower() == address);

    private IQueryable<EmailOutboxMessage> Mails(string address) =>
        db.EmailOutbox.Where(mail => mail.ToAddress.ToLower() == address || (mail.ReplyTo != null && mail.ReplyTo.ToLower() == address));
}
