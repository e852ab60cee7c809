using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portfolio.Web.Shared;

/// <summary>
/// One line of the audit log: who did what to which entity (and which version of it), when.
/// Rows are only ever added. The user's id and name are copied, not referenced, so the log
/// outlives deleted users.
/// </summary>
public sealed class AuditEntry
{
    public const int UserNameMaxLength = 256;
    public const int ActionMaxLength = 64;
    public const int EntityTypeMaxLength = 64;
    public const int EntityIdMaxLength = 128;
    public const int DetailsMaxLength = 2000;

    public long Id { get; set; }
    public DateTime WhenUtc { get; set; }
    /// <summary>The acting user's id; null for the system (start-up, background jobs) and for unknown sign-in names.</summary>
    public string? UserId { get; set; }
    /// <summary>The acting user's name at the time (or the name someone tried to sign in with).</summary>
    public string UserName { get; set; } = "";
    /// <summary>What happened, one of <see cref="AuditActions"/>.</summary>
    public string Action { get; set; } = "";
    /// <summary>The kind of thing it happened to: <c>User</c>, <c>Session</c>, a content type alias …</summary>
    public string EntityType { get; set; } = "";
    public string? EntityId { get; set; }
    /// <summary>The content version the action produced or used, when there is one.</summary>
    public int? VersionNumber { get; set; }
    public string? Details { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(entry => entry.Id);
        builder.Property(entry => entry.UserId).HasMaxLength(450);
        builder.Property(entry => entry.UserName).HasMaxLength(AuditEntry.UserNameMaxLength).IsRequired();
        builder.Property(entry => entry.Action).HasMaxLength(AuditEntry.ActionMaxLength).IsRequired();
        builder.Property(entry => entry.EntityType).HasMaxLength(AuditEntry.EntityTypeMaxLength).IsRequired();
        builder.Property(entry => entry.EntityId).HasMaxLength(AuditEntry.EntityIdMaxLength);
        builder.Property(entry => entry.Details).HasMaxLength(AuditEntry.DetailsMaxLength);
        builder.HasIndex(entry => entry.WhenUtc);
        builder.HasIndex(entry => new { entry.EntityType, entry.EntityId });
        builder.HasIndex(entry => entry.UserId);
    }
}
