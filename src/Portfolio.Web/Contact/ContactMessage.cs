using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portfolio.Web.Contact;

public enum ContactMessageStatus
{
    New = 0,
    Read = 1,
    Handled = 2,
    /// <summary>Held as suspected spam, with <see cref="ContactMessage.SpamReason"/>; never silently dropped.</summary>
    Spam = 3,
}

/// <summary>A message someone sent through the contact form or the API.</summary>
public sealed class ContactMessage
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public string? Company { get; set; }
    public string Subject { get; set; } = "";
    public string Message { get; set; } = "";
    public ContactMessageStatus Status { get; set; }
    public string? SpamReason { get; set; }
    /// <summary><c>form</c> or <c>api</c>.</summary>
    public string Source { get; set; } = "";
    /// <summary>Hash of the normalised address and text, to store a resent message once.</summary>
    public string ContentHash { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public DateTime? ReadUtc { get; set; }
}

internal sealed class ContactMessageConfiguration : IEntityTypeConfiguration<ContactMessage>
{
    public void Configure(EntityTypeBuilder<ContactMessage> builder)
    {
        builder.ToTable("ContactMessages", table =>
        {
            table.HasCheckConstraint("CK_ContactMessages_Status", "\"Status\" IN (0, 1, 2, 3)");
            table.HasCheckConstraint("CK_ContactMessages_MessageLength", "length(\"Message\") BETWEEN 10 AND 5000");
        });
        builder.HasKey(message => message.Id);
        builder.Property(message => message.Name).HasMaxLength(100).IsRequired();
        builder.Property(message => message.Email).HasMaxLength(254).IsRequired();
        builder.Property(message => message.Company).HasMaxLength(100);
        builder.Property(message => message.Subject).HasMaxLength(150).IsRequired();
        builder.Property(message => message.Message).HasMaxLength(5000).IsRequired();
        builder.Property(message => message.SpamReason).HasMaxLength(200);
        builder.Property(message => message.Source).HasMaxLength(10).IsRequired();
        builder.Property(message => message.ContentHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(message => new { message.ContentHash, message.CreatedUtc });
        builder.HasIndex(message => new { message.Status, message.CreatedUtc });
        builder.HasIndex(message => message.Email);
    }
}
