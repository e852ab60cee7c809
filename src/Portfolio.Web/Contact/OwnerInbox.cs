using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Web.Contact;

/// <summary>How many messages each tab of the inbox holds.</summary>
public sealed record InboxCounts(int New, int Read, int Handled, int Spam)
{
    public int Of(ContactMessageStatus status) => status switch
    {
        ContactMessageStatus.New => New,
        ContactMessageStatus.Read => Read,
        ContactMessageStatus.Handled => Handled,
        _ => Spam,
    };
}

/// <summary>A line of an inbox tab: enough to recognise the message without opening it.</summary>
public sealed record InboxLine(Guid Id, string Name, string Email, string Subject, DateTime CreatedUtc, string? SpamReason);

/// <summary>
/// The owner's inbox of contact messages: tabs by status, opening (which marks a new message read), marking,
/// "not spam" and deleting. Every change is audited; the audit never copies the sender's details.
/// </summary>
public sealed class OwnerInbox(PortfolioDbContext db, AuditLog audit, TimeProvider clock)
{
    public const int PageSize = 20;

    public async Task<InboxCounts> CountsAsync(CancellationToken cancellationToken)
    {
        var counts = await db.ContactMessages.AsNoTracking()
            .GroupBy(message => message.Status)
            .Select(group => new { Status = group.Key, Count = group.Count() })
            .ToListAsync(cancellationToken);
        int Count(ContactMessageStatus status) => counts.SingleOrDefault(row => row.Status == status)?.Count ?? 0;
        return new InboxCounts(Count(ContactMessageStatus.New), Count(ContactMessageStatus.Read), Count(ContactMessageStatus.Handled),
            Count(ContactMessageStatus.Spam));
    }

    /// <summary>One tab, newest first.</summary>
    public async Task<PagedList<InboxLine>> ListAsync(ContactMessageStatus status, int page, CancellationToken cancellationToken)
    {
        var query = db.ContactMessages.AsNoTracking().Where(message => message.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(message => message.CreatedUtc).ThenByDescending(message => message.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(message => new InboxLine(message.Id, message.Name, message.Email, message.Subject, message.CreatedUtc, message.SpamReason))
            .ToListAsync(cancellationToken);
        return new PagedList<InboxLine>(items, page, PageSize, total);
    }

    /// <summary>The backoffice search: messages whose sender, address, company or subject holds the term (every tab), newest first.</summary>
    public async Task<IReadOnlyList<InboxLine>> SearchAsync(string term, int limit, CancellationToken cancellationToken)
    {
        var lower = term.ToLowerInvariant();
        return await db.ContactMessages.AsNoTracking()
            .Where(message => message.Name.ToLower().Contains(lower) || message.Email.ToLower().Contains(lower)
                              || (message.Company != null && message.Company.ToLower().Contains(lower)) || message.Subject.ToLower().Contains(lower))
            .OrderByDescending(message => message.CreatedUtc).ThenByDescending(message => message.Id)
            .Take(limit)
            .Select(message => new InboxLine(message.Id, message.Name, message.Email, message.Subject, message.CreatedUtc, message.SpamReason))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The message as it is, without marking it read.</summary>
    public async Task<ContactMessage?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.ContactMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);

    /// <summary>
    /// The message, for reading. Opening a new message marks it read (as a mail client does); suspected spam
    /// stays where it is until the owner says it is not spam.
    /// </summary>
    public async Task<ContactMessage?> OpenAsync(Guid id, CancellationToken cancellationToken)
    {
        var message = await db.ContactMessages.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is { Status: ContactMessageStatus.New })
        {
            message.Status = ContactMessageStatus.Read;
            message.ReadUtc = Now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return message;
    }

    /// <summary>Moves a message between New, Read and Handled; spam leaves the spam tab only through <see cref="NotSpamAsync"/>.</summary>
    public async Task<bool> MarkAsync(Guid id, ContactMessageStatus status, CancellationToken cancellationToken)
    {
        if (status == ContactMessageStatus.Spam)
        {
            return false;
        }

        var message = await db.ContactMessages.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is null || message.Status == ContactMessageStatus.Spam)
        {
            return false;
        }

        if (message.Status != status)
        {
            message.Status = status;
            message.ReadUtc ??= status == ContactMessageStatus.New ? null : Now;
            audit.Add(OwnerAudit.MessageMarked, OwnerAudit.ContactMessage, id.ToString(), details: status.ToString());
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>A message held as suspected spam was real after all: back to the New tab, without the reason.</summary>
    public async Task<bool> NotSpamAsync(Guid id, CancellationToken cancellationToken)
    {
        var message = await db.ContactMessages.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is not { Status: ContactMessageStatus.Spam })
        {
            return false;
        }

        audit.Add(OwnerAudit.MessageNotSpam, OwnerAudit.ContactMessage, id.ToString(), details: $"Was held: {message.SpamReason}");
        message.Status = ContactMessageStatus.New;
        message.SpamReason = null;
        message.ReadUtc = null;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var message = await db.ContactMessages.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is null)
        {
            return false;
        }

        db.ContactMessages.Remove(message);
        audit.Add(OwnerAudit.MessageDeleted, OwnerAudit.ContactMessage, id.ToString(), details: $"Was {message.Status}");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// A <c>mailto:</c> link that opens the owner's mail program with a reply: "Re: subject" and the message
    /// quoted. Every part is percent-encoded (RFC 6068), so nothing in the message can add headers or recipients.
    /// </summary>
    public static string ReplyLink(ContactMessage message)
    {
        var subject = message.Subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? message.Subject : "Re: " + message.Subject;
        var body = new StringBuilder();
        body.Append("\r\n\r\n")
            .Append(CultureInfo.InvariantCulture, $"On {message.CreatedUtc:d MMMM yyyy 'at' HH:mm 'UTC'}, {message.Name} wrote:\r\n");
        foreach (var line in message.Message.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            body.Append(line.Length == 0 ? ">" : "> " + line).Append("\r\n");
        }

        return $"{MailtoAddress(message.Email)}?subject={Uri.EscapeDataString(subject)}&body={Uri.EscapeDataString(body.ToString())}";
    }

    /// <summary><c>mailto:</c> and the address, percent-encoded so that no character of it can start a query.</summary>
    public static string MailtoAddress(string email)
    {
        var at = email.LastIndexOf('@');
        return "mailto:" + (at < 0
            ? Uri.EscapeDataString(email)
            : Uri.EscapeDataString(email[..at]) + "@" + Uri.EscapeDataString(email[(at + 1)..]));
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
