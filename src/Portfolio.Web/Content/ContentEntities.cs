using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portfolio.Web.Content;

/// <summary>
/// A piece of content (an expert, an article, the home page …). Its documents live in
/// <see cref="ContentVersion"/>s; the item points at the published one and carries the schedule.
/// </summary>
public sealed class ContentItem
{
    public Guid Id { get; set; }
    public string ContentType { get; set; } = "";
    /// <summary>The slug of the latest version; unique per content type.</summary>
    public string Slug { get; set; } = "";
    /// <summary>The slug the public site uses; null while unpublished.</summary>
    public string? PublishedSlug { get; set; }
    public string Name { get; set; } = "";
    public int SortOrder { get; set; }
    public int LatestVersionNumber { get; set; }
    public int? PublishedVersionNumber { get; set; }
    public DateTime? PublishedUtc { get; set; }
    public DateTime? PublishAtUtc { get; set; }
    /// <summary>
    /// The version a scheduled publish publishes: the one scheduled, set together with <see cref="PublishAtUtc"/>. A draft
    /// saved after the schedule is not part of it (nobody with the Publish capability has approved it).
    /// </summary>
    public int? ScheduledVersionNumber { get; set; }
    public DateTime? UnpublishAtUtc { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }
    /// <summary>Who made the last change (saved, published, unpublished).</summary>
    public string UpdatedBy { get; set; } = "";
    /// <summary>Bumped by every change; a stale editor is told instead of overwriting (optimistic concurrency).</summary>
    public int Revision { get; set; }
    /// <summary>
    /// When the item went to the recycle bin (null: not binned). A binned item keeps its versions, redirects and slug
    /// (so that a restore always fits back), but is unpublished and out of every list but the bin's.
    /// </summary>
    public DateTime? TrashedUtc { get; set; }
    /// <summary>Who moved it to the recycle bin.</summary>
    public string? TrashedBy { get; set; }
    public List<ContentVersion> Versions { get; set; } = [];
}

/// <summary>One saved state of a content item: the document as JSON, immutable once written.</summary>
public sealed class ContentVersion
{
    public long Id { get; set; }
    public Guid ItemId { get; set; }
    public int Number { get; set; }
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    public string Json { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public string CreatedBy { get; set; } = "";
    public ContentItem? Item { get; set; }
}

/// <summary>A permanent (301) redirect from an old public URL to the current one.</summary>
public sealed class ContentRedirect
{
    public long Id { get; set; }
    public string FromPath { get; set; } = "";
    public string ToPath { get; set; } = "";
    public Guid? ItemId { get; set; }
    public DateTime CreatedUtc { get; set; }
}

internal sealed class ContentItemConfiguration : IEntityTypeConfiguration<ContentItem>
{
    public void Configure(EntityTypeBuilder<ContentItem> builder)
    {
        builder.ToTable("ContentItems", table =>
        {
            table.HasCheckConstraint("CK_ContentItems_Slug", "length(\"Slug\") > 0");
            table.HasCheckConstraint("CK_ContentItems_Versions", "\"PublishedVersionNumber\" IS NULL OR \"PublishedVersionNumber\" <= \"LatestVersionNumber\"");
        });
        builder.HasKey(item => item.Id);
        builder.Property(item => item.ContentType).HasMaxLength(64).IsRequired();
        builder.Property(item => item.Slug).HasMaxLength(200).IsRequired();
        builder.Property(item => item.PublishedSlug).HasMaxLength(200);
        builder.Property(item => item.Name).HasMaxLength(200).IsRequired();
        builder.Property(item => item.UpdatedBy).HasMaxLength(200).IsRequired();
        builder.Property(item => item.TrashedBy).HasMaxLength(200);
        builder.Property(item => item.Revision).IsConcurrencyToken();
        builder.HasIndex(item => new { item.ContentType, item.Slug }).IsUnique();
        builder.HasIndex(item => item.PublishAtUtc);
        builder.HasIndex(item => item.UnpublishAtUtc);
        builder.HasMany(item => item.Versions).WithOne(version => version.Item!)
            .HasForeignKey(version => version.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContentVersionConfiguration : IEntityTypeConfiguration<ContentVersion>
{
    public void Configure(EntityTypeBuilder<ContentVersion> builder)
    {
        builder.ToTable("ContentVersions", table => table.HasCheckConstraint("CK_ContentVersions_Number", "\"Number\" > 0"));
        builder.HasKey(version => version.Id);
        builder.HasIndex(version => new { version.ItemId, version.Number }).IsUnique();
        builder.Property(version => version.Slug).HasMaxLength(200).IsRequired();
        builder.Property(version => version.Name).HasMaxLength(200).IsRequired();
        builder.Property(version => version.Json).IsRequired();
        builder.Property(version => version.CreatedBy).HasMaxLength(200).IsRequired();
    }
}

internal sealed class ContentRedirectConfiguration : IEntityTypeConfiguration<ContentRedirect>
{
    public void Configure(EntityTypeBuilder<ContentRedirect> builder)
    {
        builder.ToTable("ContentRedirects", table => table.HasCheckConstraint("CK_ContentRedirects_NotSelf", "\"FromPath\" <> \"ToPath\""));
        builder.HasKey(redirect => redirect.Id);
        builder.Property(redirect => redirect.FromPath).HasMaxLength(400).IsRequired();
        builder.Property(redirect => redirect.ToPath).HasMaxLength(400).IsRequired();
        builder.HasIndex(redirect => redirect.FromPath).IsUnique();
        builder.HasOne<ContentItem>().WithMany().HasForeignKey(redirect => redirect.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}
