using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portfolio.Web.Email;

public enum EmailStatus
{
    /// <summary>Waiting to be sent (possibly after a failed attempt, at <see cref="EmailOutboxMessage.NextAttemptUtc"/>).</summary>
    Pending = 0,
    Sent = 1,
    /// <summary>Every attempt failed; kept for the owner to look at and retry by hand.</summary>
    Dead = 2,
}

/// <summary>
/// A mail waiting in the outbox: written in the same transaction as the booking or message that caused
/// it, sent later by <see cref="EmailDispatcher"/>. The Message-ID is fixed here, so a retry resends the
/// very same message and a recipient's client can tell duplicates apart.
/// </summary>
public sealed class EmailOutboxMessage
{
    public long Id { get; set; }
    /// <summary>RFC 5322 Message-ID including the angle brackets, e.g. <c>&lt;0193…@portfolio.local&gt;</c>.</summary>
    public string MessageId { get; set; } = "";
    public string ToAddress { get; set; } = "";
    public string ToName { get; set; } = "";
    public string? ReplyTo { get; set; }
    public string Subject { get; set; } = "";
    public string TextBody { get; set; } = "";
    public string HtmlBody { get; set; } = "";
    /// <summary>An iCalendar invitation (RFC 5545) sent as text/calendar, or null.</summary>
    public string? Calendar { get; set; }
    /// <summary>REQUEST or CANCEL, the iTIP method of <see cref="Calendar"/>.</summary>
    public string? CalendarMethod { get; set; }
    /// <summary>What the mail is about, e.g. <c>booking-confirmation</c>, for the owner's queue view.</summary>
    public string Kind { get; set; } = "";
    public EmailStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime NextAttemptUtc { get; set; }
    /// <summary>A dispatcher holds the row until then; a crashed one's lease simply runs out.</summary>
    public DateTime? LockedUntilUtc { get; set; }
    public string? LockedBy { get; set; }
    public DateTime? SentUtc { get; set; }
    public string? LastError { get; set; }
    public List<EmailDeliveryAttempt> DeliveryAttempts { get; set; } = [];
}

/// <summary>One try at handing a mail to the transport, with its outcome.</summary>
public sealed class EmailDeliveryAttempt
{
    public long Id { get; set; }
    public long EmailId { get; set; }
    public int Number { get; set; }
    public DateTime StartedUtc { get; set; }
    public double DurationMs { get; set; }
    public bool Succeeded { get; set; }
    public string? Error { get; set; }
}

internal sealed class EmailOutboxMessageConfiguration : IEntityTypeConfiguration<EmailOutboxMessage>
{
    public void Configure(EntityTypeBuilder<EmailOutboxMessage> builder)
    {
        builder.ToTable("EmailOutbox", table =>
        {
            table.HasCheckConstraint("CK_EmailOutbox_Attempts", "\"Attempts\" >= 0");
            table.HasCheckConstraint("CK_EmailOutbox_Status", "\"Status\" IN (0, 1, 2)");
        });
        builder.HasKey(mail => mail.Id);
        builder.Property(mail => mail.MessageId).HasMaxLength(200).IsRequired();
        builder.HasIndex(mail => mail.MessageId).IsUnique();
        builder.Property(mail => mail.ToAddress).HasMaxLength(320).IsRequired();
        builder.Property(mail => mail.ToName).HasMaxLength(200).IsRequired();
        builder.Property(mail => mail.ReplyTo).HasMaxLength(320);
        builder.Property(mail => mail.Subject).HasMaxLength(300).IsRequired();
        builder.Property(mail => mail.Kind).HasMaxLength(60).IsRequired();
        builder.Property(mail => mail.CalendarMethod).HasMaxLength(20);
        builder.Property(mail => mail.LockedBy).HasMaxLength(100);
        builder.Property(mail => mail.LastError).HasMaxLength(2000);
        builder.HasIndex(mail => new { mail.Status, mail.NextAttemptUtc });
        builder.HasMany(mail => mail.DeliveryAttempts).WithOne().HasForeignKey(attempt => attempt.EmailId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EmailDeliveryAttemptConfiguration : IEntityTypeConfiguration<EmailDeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<EmailDeliveryAttempt> builder)
    {
        builder.ToTable("EmailDeliveryAttempts");
        builder.HasKey(attempt => attempt.Id);
        builder.Property(attempt => attempt.Error).HasMaxLength(2000);
        builder.HasIndex(attempt => new { attempt.EmailId, attempt.Number }).IsUnique();
    }
}
