using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portfolio.Web.Media;

/// <summary>
/// An uploaded image. The file lives in <c>umbraco/media/</c> under <see cref="StoredName"/>, a name the app
/// made (the item's id and the extension of the type read from the file's bytes), never the uploaded name.
/// </summary>
public sealed class MediaItem
{
    public const int StoredNameMaxLength = 64;
    public const int OriginalNameMaxLength = 255;
    public const int ContentTypeMaxLength = 32;
    public const int AltTextMaxLength = 300;
    public const int UploadedByMaxLength = 256;

    public Guid Id { get; set; }
    /// <summary>The file's name in <c>umbraco/media/</c> and in its URL: <c>{id:N}.{jpg|png|webp|gif}</c>.</summary>
    public string StoredName { get; set; } = "";
    /// <summary>The name it was uploaded with, cleaned, for people to recognise it; never used as a path.</summary>
    public string OriginalName { get; set; } = "";
    /// <summary>Detected from the bytes: <c>image/jpeg</c>, <c>image/png</c>, <c>image/webp</c> or <c>image/gif</c>.</summary>
    public string ContentType { get; set; } = "";
    public long SizeBytes { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    /// <summary>
    /// The point the crops keep in view, in percent of the width from the left (0–100); 50/50, the centre, until an
    /// editor sets it. Part of the sizes' URLs, so a new focal point gives new URLs that no cache holds stale.
    /// </summary>
    public int FocalX { get; set; } = 50;
    /// <summary>The focal point's height in percent from the top (0–100).</summary>
    public int FocalY { get; set; } = 50;
    /// <summary>Empty until an editor describes the image; the picker offers only described images.</summary>
    public string AltText { get; set; } = "";
    /// <summary>Who uploaded it (e-mail or name, copied so it outlives the user).</summary>
    public string UploadedBy { get; set; } = "";
    public DateTime UploadedUtc { get; set; }

    /// <summary>Where the public site serves it.</summary>
    public string Url => MediaUrls.For(StoredName);

    public bool NeedsAltText => string.IsNullOrWhiteSpace(AltText);
}

internal sealed class MediaItemConfiguration : IEntityTypeConfiguration<MediaItem>
{
    public void Configure(EntityTypeBuilder<MediaItem> builder)
    {
        builder.ToTable("MediaItems");
        builder.HasKey(item => item.Id);
        builder.Property(item => item.StoredName).HasMaxLength(MediaItem.StoredNameMaxLength).IsRequired();
        builder.Property(item => item.OriginalName).HasMaxLength(MediaItem.OriginalNameMaxLength).IsRequired();
        builder.Property(item => item.ContentType).HasMaxLength(MediaItem.ContentTypeMaxLength).IsRequired();
        builder.Property(item => item.AltText).HasMaxLength(MediaItem.AltTextMaxLength).IsRequired();
        builder.Property(item => item.FocalX).HasDefaultValue(50);
        builder.Property(item => item.FocalY).HasDefaultValue(50);
        builder.Property(item => item.UploadedBy).HasMaxLength(MediaItem.UploadedByMaxLength).IsRequired();
        builder.Ignore(item => item.Url);
        builder.Ignore(item => item.NeedsAltText);
        builder.HasIndex(item => item.StoredName).IsUnique();
        builder.HasIndex(item => item.UploadedUtc);
        builder.ToTable(table =>
        {
            table.HasCheckConstraint("CK_MediaItems_SizeBytes", "\"SizeBytes\" > 0");
            table.HasCheckConstraint("CK_MediaItems_FocalPoint",
                "\"FocalX\" BETWEEN 0 AND 100 AND \"FocalY\" BETWEEN 0 AND 100");
            table.HasCheckConstraint("CK_MediaItems_ContentType",
                "\"ContentType\" IN ('image/jpeg', 'image/png', 'image/webp', 'image/gif')");
        });
    }
}
